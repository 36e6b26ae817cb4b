import Foundation
import Hummingbird
import RapportCore
import RapportFormats
import RapportStore

/// `/import`: upload a CSV, vCard or JSON export, see what Rapport makes of it (encoding, preset, the mapping with
/// the first rows, and a dry run with every skipped row and duplicate), adjust, then import; and
/// `POST /api/v1/imports`, the same through the API. Both go through ``FileImport/run``, as `rapport import` does.
struct ImportPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>, api: RouterGroup<WebContext>) {
        router.get("/import", use: form)
        router.post("/import", use: upload)
        router.get("/import/:upload", use: preview)
        router.post("/import/:upload", use: decide)
        api.post("imports", use: importFile)
    }

    struct FormView {
        var chrome = Chrome(importExport: true)
        var csrf: String
        var error: String?
    }

    @Sendable func form(_ request: Request, context: WebContext) async throws -> Response {
        pages.render("import", FormView(csrf: context.csrfToken))
    }

    /// The upload arrives as multipart; its token is checked from the address (see ``CSRFMiddleware``).
    @Sendable func upload(_ request: Request, context: WebContext) async throws -> Response {
        let upload: Upload
        do {
            upload = try await Upload.read(request)
        } catch let error as RapportError {
            return pages.render("import", FormView(csrf: context.csrfToken, error: error.message), status: .unprocessableContent)
        }
        guard let id = upload.id else {
            return pages.render("import", FormView(csrf: context.csrfToken, error: "Choose a file to import first."), status: .unprocessableContent)
        }
        return Pages.redirect("/import/\(id)")
    }

    @Sendable func preview(_ request: Request, context: WebContext) async throws -> Response {
        let upload = try stored(context)
        return try await draw(upload, choices: ImportChoices(), csrf: context.csrfToken)
    }

    /// `action=preview` runs the dry run again with the choices; `action=import` imports for real.
    @Sendable func decide(_ request: Request, context: WebContext) async throws -> Response {
        let upload = try stored(context)
        let choices = ImportChoices(form: context.form)
        guard context.form["action"] == "import" else { return try await draw(upload, choices: choices, csrf: context.csrfToken) }
        let file = try upload.existing()
        do {
            var options = try choices.options()
            options.dryRun = false
            let result = try await FileImport.run(
                file, name: upload.filename, store: store, as: account, options: options, preset: choices.preset,
                overrides: try choices.overrides(for: file, name: upload.filename, store: store), merge: choices.merge)
            let view = try await ImportView(upload: upload, result: result, choices: choices, csrf: context.csrfToken, store: store, account: account, done: true)
            upload.discard()
            return pages.render("import_preview", view)
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await draw(upload, choices: choices, csrf: context.csrfToken, error: error.message)
        }
    }

    /// The preview: the dry run with `choices`, or why it cannot run.
    func draw(_ upload: Upload, choices: ImportChoices, csrf: String, error: String? = nil) async throws -> Response {
        let file = try upload.existing()
        var message = error
        var result: FileImportResult?
        do {
            var options = try choices.options()
            options.dryRun = true
            result = try await FileImport.run(
                file, name: upload.filename, store: store, as: account, options: options, preset: choices.preset,
                overrides: try choices.overrides(for: file, name: upload.filename, store: store), merge: choices.merge)
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            message = message ?? error.message
        }
        var view = try await ImportView(upload: upload, result: result, choices: choices, csrf: csrf, store: store, account: account, done: false)
        view.error = message
        return pages.render("import_preview", view, status: message == nil ? .ok : .unprocessableContent)
    }

    /// The upload named in the address.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` once it has been imported or cleared away.
    func stored(_ context: WebContext) throws -> Upload {
        let id = context.parameters.get("upload") ?? ""
        guard let upload = try Upload.stored(id) else {
            throw RapportError.invalid("file", "this upload has been imported already or was cleared away; upload the file again at /import")
        }
        return upload
    }

    /// `POST /api/v1/imports`: multipart with `file` and the optional fields `preset`, `map` (`COLUMN=FIELD`,
    /// repeatable), `persona` and `tag` (repeatable), `stage`, `dryRun`, `overwrite`, `merge`; the header
    /// `Rapport-Upload: 1`. Answers the ``FileImportResult``.
    @Sendable func importFile(_ request: Request, context: WebContext) async throws -> Response {
        let upload = try await Upload.read(request)
        defer { upload.discard() }
        guard let file = upload.file else {
            throw RapportError.invalid("file", "send the file in a multipart part named \"file\"")
        }
        let fields = upload.fields
        let known: Set = ["file", "preset", "map", "persona", "tag", "stage", "dryRun", "overwrite", "merge"]
        if let unknown = fields.pairs.map(\.0).first(where: { !known.contains($0) }) {
            throw RapportError.invalid(unknown, "is not a field of an import; send \(known.sorted().joined(separator: ", "))")
        }
        var options = ImportOptions()
        options.personas = fields.all("persona").filter { !$0.trimmed.isEmpty }
        options.tags = fields.all("tag").filter { !$0.trimmed.isEmpty }
        if !fields["stage"].isEmpty {
            guard let stage = Stage(rawValue: fields["stage"].trimmed.lowercased()) else {
                throw RapportError.invalid("stage", "use one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            options.stage = stage
        }
        options.dryRun = try Self.flag(fields, "dryRun")
        options.overwrite = try Self.flag(fields, "overwrite")
        let preset = try fields["preset"].isEmpty ? nil : ContactPreset(rawValue: fields["preset"].lowercased()).orThrow(
            RapportError.invalid("preset", "use one of \(ContactPreset.allCases.map(\.rawValue).joined(separator: ", ")), or leave it out to detect it"))
        let overrides = try fields.all("map").map { map -> (String, ContactColumn) in
            let parts = map.split(separator: "=", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { throw RapportError.invalid("map", "\"\(map)\" needs the form COLUMN=FIELD, e.g. Organisation=company") }
            return (parts[0].trimmed, try ContactColumn.parse(parts[1]))
        }
        let result = try await FileImport.run(file, name: upload.filename, store: store, as: account, options: options,
                                              preset: preset, overrides: overrides, merge: try Self.flag(fields, "merge"))
        return try JSONBody.response(result)
    }

    static func flag(_ fields: FormData, _ key: String) throws -> Bool {
        switch fields[key].trimmed.lowercased() {
        case "", "false", "0", "no", "off": return false
        case "true", "1", "yes", "on": return true
        default: throw RapportError.invalid(key, "give true or false")
        }
    }
}

extension Upload {
    /// The uploaded file.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` when none was sent.
    func existing() throws -> URL {
        guard let file else { throw RapportError.invalid("file", "choose a file to import first") }
        return file
    }
}

extension Optional {
    /// The value, or `error` thrown.
    func orThrow(_ error: @autoclosure () -> any Error) throws -> Wrapped {
        guard let self else { throw error() }
        return self
    }
}
