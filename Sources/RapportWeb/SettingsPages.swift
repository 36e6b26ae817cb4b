import Foundation
import Hummingbird
import RapportCore
import RapportStore

/// `/settings` (the page) and `/api/v1/settings`: cadence defaults, time zone and the rest.
struct SettingsPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    struct Row {
        var key: String
        var value: String
        var isDefault: Bool
        var defaultValue: String
        var help: String
        var error: String?
        var csrf: String
        /// For a secret: its masked value as a placeholder; the field itself starts empty.
        var placeholder: String
    }

    struct View {
        var chrome = Chrome(settings: true)
        var rows: [Row]
        var zone: String
        var saved: String?
    }

    func addRoutes(to router: Router<WebContext>, api: RouterGroup<WebContext>) {
        router.get("/settings", use: page)
        router.post("/settings", use: save)
        api.get("settings", use: list)
        api.patch("settings", use: patch)
    }

    func rows(_ clock: UserClock, csrf: String, typed: [String: String] = [:], errors: [String: String] = [:]) -> [Row] {
        clock.settings.entries(zone: clock.zone.identifier).map { e in
            Row(key: e.key, value: typed[e.key] ?? (e.secret ? "" : e.value ?? "none"), isDefault: e.isDefault,
                defaultValue: e.key == "timezone" ? "this machine's (\(TimeZone.current.identifier))" : e.defaultValue ?? "none",
                help: e.help, error: errors[e.key], csrf: csrf,
                placeholder: e.secret ? (e.value.map { "set: \($0); type a new one to replace it" } ?? "not set") : "")
        }
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let clock = try await store.clock(as: account)
        let saved = FormData(query: request)["saved"]
        let known = Settings.definitions.contains { $0.key == saved }
        return pages.render("settings", View(rows: rows(clock, csrf: context.csrfToken), zone: clock.zone.identifier,
                                             saved: known ? saved : nil))
    }

    /// One form per setting: `key` and `value`, or `reset=1` to go back to the default.
    @Sendable func save(_ request: Request, context: WebContext) async throws -> Response {
        let key = context.form["key"]
        do {
            if context.form["reset"] == "1" {
                _ = try await store.settings.reset(key, as: account)
            } else {
                _ = try await store.settings.set(key, to: context.form["value"], as: account)
            }
            return Pages.redirect("/settings?saved=\(try Settings.definition(key).key)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            let clock = try await store.clock(as: account)
            let message = error.fieldErrors.map(\.message).joined(separator: " ")
            let view = View(rows: rows(clock, csrf: context.csrfToken, typed: [key: context.form["value"]], errors: [key: message]),
                            zone: clock.zone.identifier, saved: nil)
            return pages.render("settings", view, status: .unprocessableContent)
        }
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let clock = try await store.clock(as: account)
        return try JSONBody.response(clock.settings.entries(zone: clock.zone.identifier))
    }

    /// `{"cadence.customer": "45", "timezone": null}`: each key set, or reset with null; all checked before any is stored.
    @Sendable func patch(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(SettingsBody.self, from: request, context: context)
        let (changes, errors) = (body.changes, body.errors)
        // A value of the wrong type does not hide what is wrong with the others.
        _ = try errors.check { try store.settings.check(changes) }
        try errors.throwIfAny()
        _ = try await store.settings.change(changes, as: account)
        let clock = try await store.clock(as: account)
        return try JSONBody.response(clock.settings.entries(zone: clock.zone.identifier))
    }

    /// `PATCH /api/v1/settings`: `{"cadence.customer": "45", "timezone": null}`: each setting's key with its value as
    /// text or a number, or null to reset it. A value of the wrong type is gathered, not thrown, so the handler can
    /// also say what is wrong with the others.
    struct SettingsBody: RequestBody {
        static let keys = Settings.definitions.map(\.key)
        var changes: [(key: String, value: String?)] = []
        let errors = FieldErrors()

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            let given = Self.keys.filter(read.has).sorted()
            if given.isEmpty { errors.append("settings", "name at least one setting to change, e.g. {\"cadence.customer\": \"45\"}") }
            for key in given {
                if read.isNull(key) { changes.append((key, nil)); continue }
                guard let text = read.decoded(String.self, key) ?? read.decoded(Int64.self, key).map(String.init) else {
                    errors.append(key, "give the value as a string or a number, or null to reset it")
                    continue
                }
                changes.append((key, text))
            }
        }
    }
}
