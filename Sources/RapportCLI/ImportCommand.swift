import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

extension ContactPreset: ExpressibleByArgument {}

/// `rapport import FILE`
struct ImportCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Bring contacts in from a CSV (Google, Outlook, LinkedIn, HubSpot, Salesforce or any), a vCard file, or a Rapport JSON export.",
        discussion: """
            A contact whose email or phone matches someone in your circle fills what that person lacks and adds new \
            emails, phones, personas and tags; filled fields keep their value unless --overwrite. Rows of one file \
            that match each other become one person. Columns Rapport does not know become custom fields. \
            Every skipped row is reported with its line and the reason. The import lands whole or not at all.
            Example: rapport import contacts.csv --preset google --tag imported --dry-run
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The file: .csv (also ; or tab separated), .vcf, or .json (a Rapport export).") var file: String
    @Option(help: "The export it comes from: google, outlook, linkedin, hubspot or salesforce (detected from the columns when left out).")
    var preset: ContactPreset?
    @Option(name: .customLong("map"), help: "COLUMN=FIELD: what a column holds (\(ContactColumn.mapNames.joined(separator: ", ")), email:LABEL, phone:LABEL, field:KEY). Repeatable.")
    var maps: [String] = []
    @Option(name: .customLong("persona"), help: "Give every contact this persona (must exist). Repeatable.") var personas: [String] = []
    @Option(name: .customLong("tag"), help: "Give every contact this tag. Repeatable.") var tags: [String] = []
    @Option(help: "The stage of the people created.") var stage: Stage?
    @Flag(help: "Show what would be created, updated and skipped; write nothing.") var dryRun = false
    @Flag(help: "Write the file's values over fields that are already filled.") var overwrite = false
    @Flag(help: "Add a JSON export to a circle that already has data (people already here by email are kept, not copied).")
    var merge = false

    func validate() throws {
        for map in maps where !map.contains("=") {
            throw ValidationError("--map \"\(map)\" needs the form COLUMN=FIELD, e.g. --map \"Organisation=company\"")
        }
    }

    func run(in env: CLIEnvironment) async throws {
        var options = ImportOptions()
        (options.personas, options.tags, options.stage, options.dryRun, options.overwrite) = (personas, tags, stage, dryRun, overwrite)
        let overrides = try maps.map { map -> (String, ContactColumn) in
            let parts = map.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0].trimmed, try ContactColumn.parse(parts.count > 1 ? parts[1] : ""))
        }
        let url = URL(fileURLWithPath: file)
        let json = global.json
        let result = try await env.withStore(global) { store, account -> FileImportResult in
            let bar = ProgressBox()
            defer { bar.value?.finish() }
            return try await FileImport.run(
                url, store: store, as: account, options: options, preset: preset, overrides: overrides, merge: merge,
                described: { found in
                    if !json { Self.describe(found, file: url.lastPathComponent, env: env) }
                    bar.value = ProgressBar(output: env.output, total: found.layout?.lines ?? found.cards ?? 0,
                                            noun: found.kind == .csv ? "rows" : "cards", enabled: !json)
                },
                progress: { done, _ in bar.value?.update(done) })
        }
        if json { try env.json(result); return }
        if let summary = result.summary { ImportPrinter(env: env).summary(summary) }
        if let restored = result.restored { ImportPrinter(env: env).restored(restored) }
    }

    /// What the file is (a CSV's encoding, separator, header, preset and columns; a vCard's cards; an export's
    /// date), before anything is written.
    static func describe(_ found: FileImportResult, file: String, env: CLIEnvironment) {
        if let cards = found.cards {
            env.output.line("\(file): \(cards) card\(cards == 1 ? "" : "s")" + (found.vCardVersion.map { " (vCard \($0))" } ?? ""))
        }
        if let exported = found.exportedAt { env.output.line("\(file): a Rapport export of \(exported)") }
        guard let layout = found.layout else { return }
        let separator = layout.delimiter == "\t" ? "tabs" : "\"\(layout.delimiter)\""
        var what = "\(file): \(layout.encoding.rawValue), separated by \(separator), header on line \(layout.headerLine)"
        if let preset = layout.preset { what += ", \(preset.label.indefiniteArticle) \(preset.label) export" }
        env.output.line(what)
        if layout.encoding == .windows1252 { env.output.line("Not UTF-8, so read as Windows-1252 (what Excel and Outlook write as \"ANSI\").") }
        let width = min(layout.headers.map(\.count).max() ?? 0, 30)
        for (column, field) in layout.mapping where field != "ignored" {
            env.output.line("  " + column.padding(toLength: max(width, column.count), withPad: " ", startingAt: 0) + "  → " + field)
        }
    }
}

/// Prints what an import did.
struct ImportPrinter {
    let env: CLIEnvironment

    func summary(_ s: ImportSummary) {
        let out = env.output
        if s.dryRun { out.line("Dry run: nothing was written.") }
        out.line(s.headline + ".")
        if !s.skipped.isEmpty {
            out.line("Skipped:")
            for row in s.skipped { out.line("  line \(row.line): \(row.reason)") }
        }
        // Every skipped row is listed; the other lists stop at `shown` lines (`--json` has them all).
        let shown = 50
        func more(_ count: Int, _ hint: String) {
            if count > shown { out.line("  …and \(count - shown) more (\(hint))") }
        }
        if !s.updated.isEmpty {
            out.line(s.dryRun ? "Would update:" : "Updated:")
            for row in s.updated.prefix(shown) { out.line("  line \(row.line): \(row.person.name) (#\(row.person.id)): \(row.fields.joined(separator: ", "))") }
            more(s.updated.count, "--json lists them all")
        }
        if !s.duplicates.isEmpty {
            out.line("Likely duplicates (the same name as someone already in your circle):")
            for d in s.duplicates.prefix(shown) {
                out.line("  line \(d.line): \(d.person.name) (#\(d.person.id)) and #\(d.sameAs.id) \(d.sameAs.name)"
                    + (s.dryRun ? "" : "; merge with: rapport people merge \(d.person.id) --into \(d.sameAs.id)"))
            }
            more(s.duplicates.count, s.dryRun ? "--json lists them all" : "rapport people duplicates shows them all")
        }
        if !s.warnings.isEmpty {
            out.line("Kept as custom fields:")
            for w in s.warnings.prefix(shown) { out.line("  line \(w.line): \(w.message)") }
            more(s.warnings.count, "--json lists them all")
        }
        if !s.created.isEmpty && s.created.count <= 20 {
            out.line(s.dryRun ? "Would create:" : "Created:")
            for c in s.created { out.line("  line \(c.line): \(c.person.name)" + (s.dryRun ? "" : " (#\(c.person.id))")) }
        }
    }

    func restored(_ result: ExportImport) {
        func list(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
        }
        if result.dryRun { env.output.line("Dry run: nothing was written.") }
        env.output.line((result.dryRun ? "Would import: " : "Imported: ") + (result.added.isEmpty ? "nothing new" : list(result.added)) + ".")
        if !result.matched.isEmpty { env.output.line("Already here, kept as they are: " + list(result.matched) + ".") }
    }
}
