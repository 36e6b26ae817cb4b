import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// What the PM chose on the import preview: the preset, a field for each column, and what every contact gets.
struct ImportChoices {
    /// nil: detected from the header.
    var preset: ContactPreset?
    /// The field chosen for each column, by index (`map.3=email:work`); kept only while the preset they were drawn
    /// for is still the one chosen.
    var maps: [Int: String] = [:]
    var personas: [String] = []
    var tags = ""
    var stage = ""
    var overwrite = false
    var merge = false

    init() {}

    init(form: FormData) {
        preset = ContactPreset(rawValue: form["preset"])
        if form["drawn_preset"] == form["preset"] {
            for (key, value) in form.pairs where key.hasPrefix("map.") {
                if let index = Int(key.dropFirst(4)), index >= 0 { maps[index] = value }
            }
        }
        personas = form.all("persona").filter { !$0.isEmpty }
        tags = form["tags"]
        stage = form["stage"]
        overwrite = form["overwrite"] == "1"
        merge = form["merge"] == "1"
    }

    /// - Throws: ``RapportError/invalid(_:)`` under `stage` for a stage Rapport does not have.
    func options() throws -> ImportOptions {
        var options = ImportOptions()
        options.personas = personas
        options.tags = tags.split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        if !stage.isEmpty {
            options.stage = try Stage(rawValue: stage).orThrow(RapportError.invalid("stage", "choose one of the stages listed"))
        }
        options.overwrite = overwrite
        return options
    }

    /// The columns whose chosen field differs from the detected one, as `--map` would give them.
    func overrides(for file: URL, name: String?, store: Store) throws -> [(String, ContactColumn)] {
        guard !maps.isEmpty, try ContactFileKind.of(file, name: name) == .csv else { return [] }
        let layout = try CSVContacts(url: file, preset: preset, timeZones: store.timeZones).layout
        var overrides: [(String, ContactColumn)] = []
        for (index, value) in maps.sorted(by: { $0.key < $1.key }) where index < layout.headers.count {
            guard !value.isEmpty, value != layout.columns[index].mapValue else { continue }
            overrides.append((layout.headers[index], try ContactColumn.parse(value)))
        }
        return overrides
    }
}

/// The import preview and result page.
struct ImportView {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Tile {
        var label: String
        var count: Int
        init(_ label: String, _ count: Int) { (self.label, self.count) = (label, count) }
    }

    struct Column {
        var index: Int
        var header: String
        var options: [Option]
        var samples: String
    }

    struct Line {
        var line: Int
        var text: String
        var personID: Int64?
        var name: String?
        var sameAsID: Int64?
        var sameAsName: String?
    }

    var chrome = Chrome(importExport: true)
    var csrf: String
    var uploadID: String
    var filename: String
    var done: Bool
    var error: String?
    var kind: String
    var isCSV: Bool
    var isJSON: Bool
    var facts: [String] = []
    var presets: [Option] = []
    var drawnPreset = ""
    var columns: [Column] = []
    var personas: [Option] = []
    var stages: [Option] = []
    var tags: String
    var overwrite: Bool
    var merge: Bool
    var ran: Bool
    var headline = ""
    var created: [Line] = []
    var createdMore = 0
    var updated: [Line] = []
    var skipped: [Line] = []
    var duplicates: [Line] = []
    var warnings: [Line] = []
    var restored: [String] = []
    var tiles: [Tile] = []
    var hasSkipped = false, hasDuplicates = false, hasUpdated = false, hasWarnings = false, hasCreated = false, hasMore = false

    init(upload: Upload, result: FileImportResult?, choices: ImportChoices, csrf: String, store: Store, account: AccountID, done: Bool) async throws {
        let file = try upload.existing()
        let fileKind = try ContactFileKind.of(file, name: upload.filename)
        self.csrf = csrf
        uploadID = upload.id ?? ""
        filename = upload.filename ?? "the file"
        self.done = done
        kind = ["csv": "CSV", "vcard": "vCard", "json": "Rapport JSON export"][fileKind.rawValue] ?? fileKind.rawValue
        isCSV = fileKind == .csv
        isJSON = fileKind == .json
        tags = choices.tags
        overwrite = choices.overwrite
        merge = choices.merge
        ran = result != nil
        let chosen = Set(choices.personas)
        personas = try await store.personas.list(as: account).map { Option(value: $0.name, label: $0.name, selected: chosen.contains($0.name)) }
        stages = [Option(value: "", label: "as in the file (else customer)", selected: choices.stage.isEmpty)]
            + Stage.allCases.map { Option(value: $0.rawValue, label: $0.rawValue, selected: choices.stage == $0.rawValue) }
        if isCSV { try describeCSV(file, choices: choices, store: store) }
        if let cards = result?.cards { facts.append("\(cards) card\(cards == 1 ? "" : "s")" + (result?.vCardVersion.map { ", vCard \($0)" } ?? "")) }
        if let exported = result?.exportedAt { facts.append("exported \(exported)") }
        if let summary = result?.summary { show(summary) }
        if let restored = result?.restored { show(restored) }
    }

    /// The layout, the preset choice and a field choice per column, with the first rows as examples.
    mutating func describeCSV(_ file: URL, choices: ImportChoices, store: Store) throws {
        let csv: CSVContacts
        do {
            csv = try CSVContacts(url: file, preset: choices.preset, overrides: try choices.overrides(for: file, name: filename, store: store), timeZones: store.timeZones)
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            csv = try CSVContacts(url: file, preset: choices.preset, timeZones: store.timeZones)
        }
        let layout = csv.layout
        let separator = layout.delimiter == "\t" ? "tabs" : "“\(layout.delimiter)”"
        facts.append(layout.encoding == .windows1252 ? "Windows-1252 (not UTF-8, so read as the “ANSI” Excel and Outlook write)" : layout.encoding.rawValue)
        facts.append("separated by \(separator)")
        facts.append("header on line \(layout.headerLine)")
        facts.append(layout.preset.map { "looks like \($0.label.indefiniteArticle) \($0.label) export" } ?? "no vendor preset: columns matched by their names")
        presets = [Option(value: "", label: "Detect from the header", selected: choices.preset == nil)]
            + ContactPreset.allCases.map { Option(value: $0.rawValue, label: $0.label, selected: choices.preset == $0) }
        drawnPreset = choices.preset?.rawValue ?? ""
        let rows = csv.sample(3)
        let standard = ContactColumn.mapNames.filter { $0 != "ignore" }
        for (index, header) in layout.headers.enumerated() {
            let current = layout.columns[index]
            var options = [Option(value: "ignore", label: "ignored", selected: current == .ignore)]
            options += standard.map { name in
                Option(value: name, label: (try? ContactColumn.parse(name).description) ?? name, selected: current.mapValue == name)
            }
            let custom = "field:" + header
            options.append(Option(value: custom, label: "custom field “\(header)”", selected: current.mapValue == custom))
            if !options.contains(where: \.selected) {
                options.insert(Option(value: current.mapValue ?? "", label: current.description, selected: true), at: 0)
            }
            let samples = rows.compactMap { index < $0.count ? $0[index].trimmed : nil }.filter { !$0.isEmpty }
            let joined = samples.joined(separator: " · ")
            columns.append(Column(index: index, header: header.isEmpty ? "(no name)" : header, options: options,
                                  samples: joined.count > 90 ? String(joined.prefix(89)) + "…" : joined))
        }
    }

    mutating func show(_ s: ImportSummary) {
        headline = s.headline + "."
        created = s.created.prefix(50).map { Line(line: $0.line, text: "", personID: done ? $0.person.id.rawValue : nil, name: $0.person.name) }
        createdMore = max(0, s.created.count - 50)
        updated = s.updated.map { Line(line: $0.line, text: $0.fields.joined(separator: ", "), personID: $0.person.id.rawValue, name: $0.person.name) }
        skipped = s.skipped.map { Line(line: $0.line, text: $0.reason) }
        duplicates = s.duplicates.map {
            Line(line: $0.line, text: "", personID: done ? $0.person.id.rawValue : nil, name: $0.person.name,
                 sameAsID: $0.sameAs.id.rawValue, sameAsName: $0.sameAs.name)
        }
        warnings = s.warnings.map { Line(line: $0.line, text: $0.message) }
        (hasSkipped, hasDuplicates, hasUpdated) = (!skipped.isEmpty, !duplicates.isEmpty, !updated.isEmpty)
        (hasWarnings, hasCreated, hasMore) = (!warnings.isEmpty, !created.isEmpty, createdMore > 0)
        tiles = [Tile(done ? "created" : "to create", s.created.count), Tile(done ? "updated" : "to update", s.updated.count),
                 Tile(done ? "skipped" : "to skip", s.skipped.count), Tile("likely duplicates", s.duplicates.count)]
    }

    mutating func show(_ r: ExportImport) {
        func list(_ counts: [String: Int]) -> String {
            counts.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key.replacingOccurrences(of: "_", with: " "))" }.joined(separator: ", ")
        }
        headline = (done ? "Imported: " : "Would import: ") + (r.added.isEmpty ? "nothing new" : list(r.added)) + "."
        if !r.matched.isEmpty { restored.append("Already here, kept as they are: " + list(r.matched) + ".") }
        tiles = [Tile(done ? "people added" : "people to add", r.added["people"] ?? 0),
                 Tile(done ? "conversations added" : "conversations to add", r.added["conversations"] ?? 0),
                 Tile(done ? "rows added" : "rows to add", r.added.values.reduce(0, +))]
    }
}
