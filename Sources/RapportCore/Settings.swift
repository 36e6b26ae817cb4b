#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One setting the PM can change: its key, default, what it means, and how a typed value is checked.
public struct SettingDefinition: Sendable {
    public var key: String
    /// The value when unset; nil means "none" (for example no cadence for stage `other`).
    public var defaultValue: String?
    public var help: String
    /// Returns the value to store (normalised), or throws an error naming the key and the fix.
    public var check: @Sendable (String, TimeZoneCatalog) throws -> String
    /// A secret (a webhook URL): listed as set or not, never shown in full.
    public var secret: Bool

    public init(key: String, defaultValue: String?, help: String, secret: Bool = false,
                check: @escaping @Sendable (String, TimeZoneCatalog) throws -> String) {
        self.secret = secret
        self.key = key
        self.defaultValue = defaultValue
        self.help = help
        self.check = check
    }
}

/// The settings of one account: what is stored, over the defaults.
public struct Settings: Sendable, Equatable {
    /// Stored values by key; keys not here have their default.
    public var stored: [String: String]

    public init(stored: [String: String] = [:]) {
        self.stored = stored
    }

    /// Every setting Rapport knows, in the order `settings show` lists them.
    public static let definitions: [SettingDefinition] = {
        var list: [SettingDefinition] = [
            SettingDefinition(
                key: "timezone", defaultValue: nil,
                help: "Your IANA time zone; dates you type and see are in it (default: this machine's).",
                check: { value, catalog in
                    let name = value.trimmed
                    // A city works too: "Berlin" is Europe/Berlin.
                    let utc = ["utc", "gmt", "etc/utc", "z"].contains(name.lowercased()) ? "UTC" : nil
                    guard let zone = utc ?? catalog.canonical(name) ?? catalog.zone(forCity: name) else {
                        throw RapportError.invalid([catalog.unknownZoneError(name, field: "timezone")])
                    }
                    return zone
                }),
        ]
        for (stage, days) in CadencePolicy.standardDefaults {
            list.append(SettingDefinition(
                key: "cadence.\(stage.rawValue)", defaultValue: days.map(String.init),
                help: "Days between conversations for people at stage \(stage.rawValue) without a cadence of their own (\"none\": never due).",
                check: { value, _ in try Self.days(value, key: "cadence.\(stage.rawValue)", allowNone: true) }))
        }
        list.append(SettingDefinition(
            key: "pick.recent-days", defaultValue: "14",
            help: "People talked to or asked within this many days drop in `pick` (and it says so).",
            check: { value, _ in try Self.days(value, key: "pick.recent-days", allowNone: false) }))
        list.append(SettingDefinition(
            key: "no-show.pause-days", defaultValue: "60",
            help: "After three no-shows in a row, a person leaves `pick` and `plan` for this many days (\"none\": never paused).",
            check: { value, _ in try Self.days(value, key: "no-show.pause-days", allowNone: true) }))
        list.append(SettingDefinition(
            key: "product", defaultValue: nil,
            help: "Your product's name, for {{product}} in campaign emails and guides.",
            check: { value, _ in try Self.text(value, key: "product", example: "Acme Analytics") }))
        list.append(SettingDefinition(
            key: "sender.name", defaultValue: nil,
            help: "Your name, for {{sender}} and the From: of campaign emails.",
            check: { value, _ in try Self.text(value, key: "sender.name", example: "Pat Lee") }))
        list.append(SettingDefinition(
            key: "sender.email", defaultValue: nil,
            help: "Your email address, for the From: of campaign emails (.eml and mbox files).",
            check: { value, _ in
                let text = value.trimmed
                guard EmailAddress.isValid(text) else {
                    throw RapportError.invalid("sender.email", "\"\(value)\" is not an email address; write it as name@example.com")
                }
                return text
            }))
        list.append(SettingDefinition(
            key: "requests.notify-subject", defaultValue: "{{request}} is here",
            help: "Subject of the email telling people a request they asked for shipped ({{first_name}}, {{name}}, {{company}}, {{request}}, {{product}}, {{sender}}).",
            check: { value, _ in try Self.template(value, key: "requests.notify-subject", allowed: RequestNotice.placeholders) }))
        list.append(SettingDefinition(
            key: "requests.notify-body", defaultValue: RequestNotice.defaultBody,
            help: "Body of that email; write \\n for a new line.",
            check: { value, _ in try Self.template(value.replacing("\\n", with: "\n"), key: "requests.notify-body", allowed: RequestNotice.placeholders) }))
        list.append(SettingDefinition(
            key: "streak.min", defaultValue: "1",
            help: "Conversations a week needs for the weekly streak (`rapport streak`).",
            check: { value, _ in try Self.count(value, key: "streak.min", in: 1...50, of: "conversations", give: "1 to 50") }))
        list.append(SettingDefinition(
            key: "lint.jargon", defaultValue: nil,
            help: "Words the question lint flags as jargon, comma-separated: \"synergy,SKU\" (\"none\": no list).",
            check: { value, _ in
                let terms = value.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
                if value.trimmed.lowercased() == "none" { return "none" }
                guard !terms.isEmpty, terms.allSatisfy({ $0.count <= 60 }), !value.contains("\n") else {
                    throw RapportError.invalid("lint.jargon", "give words separated by commas, each under 60 characters, for example \"synergy,SKU,workflow orchestration\"")
                }
                return terms.joined(separator: ",")
            }))
        list.append(SettingDefinition(
            key: "backup.keep", defaultValue: "7",
            help: "Daily backups `rapport serve` keeps in the backups folder beside the database (0: none).",
            check: { value, _ in try Self.count(value, key: "backup.keep", in: 0...365, of: "backups", give: "0 (none) to 365") }))
        list.append(SettingDefinition(
            key: "slack.webhook", defaultValue: nil,
            help: "A Slack incoming-webhook URL for `rapport report --format slack --post` (kept secret: shown only as set).",
            secret: true,
            check: { value, _ in try Self.webhook(value, key: "slack.webhook") }))
        return list
    }()

    /// Where the secret of the calendar feed's address is kept (not a setting a person types: it is made, and
    /// rotated, by Rapport).
    public static let calendarTokenKey = "calendar.token"

    /// Where the web app's form secret is kept: the key of the HMAC that binds each form's CSRF token to the
    /// browser's session cookie, made on first use.
    public static let formSecretKey = "forms.secret"

    /// Keys whose values are secrets: kept out of exports unless asked for, never shown in full.
    public static var secretKeys: Set<String> { Set(definitions.filter(\.secret).map(\.key)).union([calendarTokenKey, formSecretKey]) }

    public static func definition(_ key: String) throws -> SettingDefinition {
        let normalised = key.trimmed.lowercased()
        if let found = definitions.first(where: { $0.key == normalised }) { return found }
        let keys = definitions.map(\.key)
        let hint = ClosestNames.to(normalised, among: keys, maxDistance: 4, limit: 1).first.map { "did you mean \"\($0)\"? " } ?? ""
        throw RapportError.invalid("key", "\"\(key)\" is not a setting; \(hint)Settings: \(keys.joined(separator: ", "))")
    }

    /// The value of `key`: stored, else the default; nil for "none".
    public func value(_ key: String) -> String? {
        if let stored = stored[key] { return stored == "none" ? nil : stored }
        return Self.definitions.first { $0.key == key }?.defaultValue
    }

    /// Every setting with its value (for `timezone` unset, `zone`: the machine's), default and meaning, in order.
    /// A secret's value is masked to its host ("https://hooks.slack.com/… (hidden)").
    public func entries(zone: String) -> [SettingEntry] {
        Self.definitions.map { d in
            var shown = value(d.key) ?? (d.key == "timezone" ? zone : nil)
            if d.secret, let secret = shown { shown = Self.mask(secret) }
            return SettingEntry(key: d.key, value: shown, isDefault: stored[d.key] == nil, defaultValue: d.defaultValue, help: d.help,
                                secret: d.secret)
        }
    }

    /// "https://hooks.slack.com/… (hidden)": enough to recognise, not enough to use.
    public static func mask(_ secret: String) -> String {
        guard let scheme = secret.firstRange(of: "://") else { return "… (hidden)" }
        let rest = secret[scheme.upperBound...]
        let authority = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        // The user part (`user:password@`) is a secret too: only the host (and port) is shown.
        let host = authority.split(separator: "@", omittingEmptySubsequences: false).last ?? ""
        return String(secret[..<scheme.upperBound]) + host + "/… (hidden)"
    }

    /// An incoming-webhook URL: https, or http to this machine (for testing against a local server).
    static func webhook(_ value: String, key: String) throws -> String {
        let text = value.trimmed
        let lower = text.lowercased()
        let local = ["http://127.0.0.1", "http://localhost", "http://[::1]"].contains { lower.hasPrefix($0 + ":") || lower.hasPrefix($0 + "/") }
        guard lower.hasPrefix("https://") || local, text.count <= 500, !text.contains(" "), !text.contains("\n"),
              text.dropFirst(lower.hasPrefix("https://") ? 8 : 7).contains("/") else {
            throw RapportError.invalid(key, "give the webhook's https URL from Slack (Apps → Incoming Webhooks), for example https://hooks.slack.com/services/T000/B000/XXXX")
        }
        return text
    }

    /// The cadence defaults by stage, as set.
    public var cadence: CadencePolicy {
        var byStage: [Stage: Int] = [:]
        for stage in Stage.allCases {
            if let text = value("cadence.\(stage.rawValue)"), let days = Int(text) { byStage[stage] = days }
        }
        return CadencePolicy(byStage: byStage)
    }

    /// Days within which a person counts as recently asked in `pick`.
    public var pickRecentDays: Int { value("pick.recent-days").flatMap(Int.init) ?? 14 }

    /// Conversations a week for the streak.
    public var streakMinimum: Int { value("streak.min").flatMap(Int.init) ?? 1 }

    /// The question lint with the PM's jargon list.
    public var questionLint: QuestionLint { QuestionLint(jargonSetting: value("lint.jargon")) }

    /// Pauses after three no-shows in a row last this many days; nil: never paused.
    public var noShowPauseDays: Int? { value("no-show.pause-days").flatMap(Int.init) }

    static func text(_ value: String, key: String, example: String) throws -> String {
        let text = value.trimmed
        guard !text.isEmpty, text.count <= 200, !text.contains("\n") else {
            throw RapportError.invalid(key, "give one line of up to 200 characters, for example \"\(example)\"")
        }
        return text
    }

    static func template(_ value: String, key: String, allowed: [String]) throws -> String {
        let text = value.trimmed
        guard !text.isEmpty, text.count <= 5_000 else { throw RapportError.invalid(key, "give the text, up to 5000 characters") }
        let errors = MessageTemplate.check(text, field: key, allowed: allowed)
        if !errors.isEmpty { throw RapportError.invalid(errors) }
        return text
    }

    /// A whole number of `noun` within `range`, as the setting stores it; refused saying what to `give`.
    static func count(_ value: String, key: String, in range: ClosedRange<Int>, of noun: String, give: String) throws -> String {
        guard let n = Int(value.trimmed), range.contains(n) else {
            throw RapportError.invalid(key, "\"\(value)\" is not a number of \(noun); give \(give)")
        }
        return String(n)
    }

    static func days(_ value: String, key: String, allowNone: Bool) throws -> String {
        let text = value.trimmed.lowercased()
        if allowNone && text == "none" { return "none" }
        guard let days = Int(text), (1...3650).contains(days) else {
            throw RapportError.invalid(key, "\"\(value)\" is not a number of days; give a whole number from 1 to 3650\(allowNone ? ", or none" : "")")
        }
        return String(days)
    }
}

/// How often each stage is due when a person has no cadence of their own.
public struct CadencePolicy: Sendable, Equatable {
    public static let standardDefaults: [(Stage, Int?)] = [(.customer, 30), (.prospect, 21), (.partner, 60), (.former, 90), (.other, nil)]
    public static let standard = CadencePolicy(byStage: [.customer: 30, .prospect: 21, .partner: 60, .former: 90])

    public var byStage: [Stage: Int]

    public init(byStage: [Stage: Int]) {
        self.byStage = byStage
    }

    /// The days between conversations for `person`, and where that number comes from; nil when never due.
    public func cadence(for details: PersonDetails) -> (days: Int, source: CadenceSource)? {
        if let own = details.cadenceDays { return (own, .person) }
        return byStage[details.stage].map { ($0, .stage) }
    }
}

/// Where a person's cadence comes from.
public enum CadenceSource: String, Sendable, Codable {
    /// Set on the person.
    case person
    /// The default for their stage, from settings.
    case stage
}

/// One setting as `settings show` and the API list it.
public struct SettingEntry: Sendable, Codable, Equatable {
    public var key: String
    /// The value in use; nil means none (for example no cadence).
    public var value: String?
    public var isDefault: Bool
    public var defaultValue: String?
    public var help: String
    /// The value is masked; set a new one to change it.
    public var secret: Bool = false
}

/// The moment, the user's zone and their settings: what reading and showing dates needs.
public struct UserClock: Sendable {
    public var now: Date
    public var zone: TimeZone
    public var settings: Settings

    public init(now: Date, zone: TimeZone, settings: Settings) {
        self.now = now
        self.zone = zone
        self.settings = settings
    }

    public var input: DateInput { DateInput(now: now, zone: zone) }
    public var today: CalendarDay { CalendarDay(now, in: zone) }

    /// Reads a date the user typed for `field`.
    public func parse(_ text: String, field: String, lean: DateInput.Lean) throws -> TypedMoment {
        try input.parse(text, field: field, lean: lean)
    }

    /// The start of the day `text` names (`2 weeks ago`, `2026-11-01`): a `since` bound.
    public func startOfDay(_ text: String, field: String) throws -> Date {
        try parse(text, field: field, lean: .past).day.moment(in: zone)
    }

    /// The start of the day after the one `text` names: an exclusive `until` bound that includes that day.
    public func endOfDay(_ text: String, field: String) throws -> Date {
        try parse(text, field: field, lean: .past).day.adding(days: 1).moment(in: zone)
    }

    /// The bounds of a `since`…`until` filter: the start of the first day and the (exclusive) start of the day after
    /// the last, each nil when not given; a bad date is kept in `errors` under its field, so both are told at once.
    public func bounds(since: String?, until: String?, errors: FieldErrors) throws -> (since: Date?, until: Date?) {
        let from = try since.flatMap { text in try errors.check { try startOfDay(text, field: "since") } }
        let to = try until.flatMap { text in try errors.check { try endOfDay(text, field: "until") } }
        return (from, to)
    }

    /// `2026-11-22 16:00` in the user's zone.
    public func show(_ date: Date) -> String { LocalTime.string(date, in: zone) }
}
