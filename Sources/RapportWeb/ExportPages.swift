import Foundation
import Hummingbird
import NIOCore
import RapportCore
import RapportFormats
import RapportStore

/// `/export` (each format, the calendar feed's address, backups), the feed itself at `/calendar/TOKEN.ics`, and
/// `GET /api/v1/export?format=…`, the downloads the page links to.
struct ExportPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>, api: RouterGroup<WebContext>) {
        router.get("/export", use: page)
        router.post("/export/calendar-token", use: rotate)
        router.post("/export/backup", use: encryptedBackup)
        router.get("/calendar/:file", use: feed)
        api.get("export", use: download)
        // The Export page's own download forms: a select left on "everyone" sends `persona=`, which the API refuses.
        router.get("/export/file", use: download)
    }

    struct Option {
        var value: String
        var label: String
    }

    struct View {
        var chrome = Chrome(importExport: true)
        var csrf: String
        var feedURL: String
        var personas: [Option]
        var rotated: Bool
        var error: String?
        var backupKind: String
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        try await pages.render("export", view(request, context: context))
    }

    func view(_ request: Request, context: WebContext, error: String? = nil) async throws -> View {
        let token = try await store.settings.calendarToken(as: account)
        let host = request.head.authority.flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1:8080"
        let personas = try await store.personas.list(as: account).map { Option(value: $0.name, label: $0.name) }
        return View(csrf: context.csrfToken, feedURL: "http://\(host)/calendar/\(token).ics", personas: personas,
                    rotated: FormData(query: request)["rotated"] == "1", error: error,
                    backupKind: store.dialect == .sqlite ? "the whole SQLite database" : "a JSON export of everything")
    }

    /// A new feed address; the old one stops working at once (for a calendar shared by mistake).
    @Sendable func rotate(_ request: Request, context: WebContext) async throws -> Response {
        _ = try await store.settings.rotateCalendarToken(as: account)
        return Pages.redirect("/export?rotated=1#calendar")
    }

    /// `GET /calendar/TOKEN.ics`: the feed a calendar app subscribes to. The token is the only key, so any other
    /// address is a plain 404 that says nothing of whether a feed exists.
    @Sendable func feed(_ request: Request, context: WebContext) async throws -> Response {
        let file = context.parameters.get("file") ?? ""
        guard file.hasSuffix(".ics"), case let token = String(file.dropLast(4)), !token.isEmpty,
              try await store.settings.account(forCalendarToken: token) == account else {
            return Pages.plain(.notFound, "No calendar here. The address may have been replaced: copy the new one from the Export page.")
        }
        let text = try await CalendarFile.feed(from: store, as: account)
        return Response(status: .ok, headers: [.contentType: ExportFormat.ics.mediaType],
                        body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    /// `GET /api/v1/export?format=vcard|json|csv|ics|backup`, with `version=3.0|4.0` (vcard), `persona=` (vcard,
    /// csv; repeatable) and `includeSecrets=true` (json). Answers the file as an attachment.
    @Sendable func download(_ request: Request, context: WebContext) async throws -> Response {
        let query = FormData(query: request)
        let known: Set = ["format", "version", "persona", "includeSecrets"]
        if let unknown = query.pairs.map(\.0).first(where: { !known.contains($0) }) {
            throw RapportError.invalid(unknown, "is not a parameter of an export; use \(known.sorted().joined(separator: ", "))")
        }
        let formats = ExportFormat.allCases.map(\.rawValue) + ["backup"]
        let name = query["format"].lowercased()
        if query.has("version"), VCardWriter.Version(rawValue: query["version"]) == nil {
            throw RapportError.invalid("version", "use 4.0 or 3.0 (with format=vcard)")
        }
        let secrets = try ImportPages.flag(query, "includeSecrets")
        if name == "backup" { return try await backup(passphrase: nil) }
        guard let format = ExportFormat(rawValue: name) else {
            throw RapportError.invalid("format", "\(name.isEmpty ? "say which format" : "\"\(name)\" is not a format"); use one of \(formats.joined(separator: ", "))")
        }
        var options = ExportFormat.Options()
        if query.has("version") {
            options.vCardVersion = try VCardWriter.Version(rawValue: query["version"]).orThrow(RapportError.invalid("version", "use 4.0 or 3.0"))
        }
        options.personas = query.all("persona").filter { !$0.trimmed.isEmpty }
        options.includeSecrets = secrets
        let text = try await format.render(from: store, as: account, options: options)
        let what = format == .ics ? "calendar" : format == .json ? "everything" : "people"
        return attachment(Data(text.utf8), type: format.mediaType, filename: "rapport-\(what)-\(store.backups.fileStamp()).\(format.fileExtension)")
    }

    /// `POST /export/backup` with `passphrase` and `confirm`: the backup encrypted in the age format.
    @Sendable func encryptedBackup(_ request: Request, context: WebContext) async throws -> Response {
        let passphrase = context.form["passphrase"]
        var problem: String?
        if passphrase.count < 8 { problem = "Choose a passphrase of at least 8 characters; it is the only key to the file." }
        else if passphrase != context.form["confirm"] { problem = "The two passphrases differ; type the same one twice." }
        if let problem {
            return try await pages.render("export", view(request, context: context, error: problem), status: .unprocessableContent)
        }
        return try await backup(passphrase: passphrase)
    }

    /// A snapshot (``BackupRepository/snapshot(to:as:)``) as a download, encrypted when a passphrase is given;
    /// the temporary files are readable by the user alone and removed once read.
    func backup(passphrase: String?) async throws -> Response {
        let folder = try Upload.uploads()
        let plain = folder.appendingPathComponent(UUID().uuidString)
        let sealed = folder.appendingPathComponent(UUID().uuidString)
        defer {
            try? FileManager.default.removeItem(at: plain)
            try? FileManager.default.removeItem(at: sealed)
        }
        let kind = try await store.backups.snapshot(to: plain, as: account)
        let ext = kind == .sqlite ? "sqlite" : "json"
        var name = "rapport-backup-\(store.backups.fileStamp()).\(ext)"
        var file = plain
        if let passphrase {
            try AgeFile.encrypt(plain, to: sealed, passphrase: passphrase)
            (file, name) = (sealed, name + ".age")
        }
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw RapportError.storage("the backup could not be read back")
        }
        let type = passphrase != nil ? "application/octet-stream" : kind == .sqlite ? "application/vnd.sqlite3" : "application/json"
        return attachment(data, type: type, filename: name)
    }

    func attachment(_ data: Data, type: String, filename: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(filename)\""],
                 body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
