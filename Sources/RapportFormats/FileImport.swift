import Foundation
import RapportCore
import RapportStore

/// What a file to import holds, by its name or, failing that, its first bytes.
public enum ContactFileKind: String, Sendable, Codable {
    case csv, vcard, json

    public static func of(_ url: URL, name: String? = nil) throws -> ContactFileKind {
        switch URL(fileURLWithPath: name ?? url.lastPathComponent).pathExtension.lowercased() {
        case "vcf", "vcard": return .vcard
        case "json": return .json
        case "csv", "tsv", "txt": return .csv
        default:
            guard let handle = try? FileHandle(forReadingFrom: url) else {
                throw RapportError.invalid("file", "cannot read \(url.path); check the path and that you may read it")
            }
            defer { try? handle.close() }
            let head = String(decoding: (try? handle.read(upToCount: 64)) ?? Data(), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines.union(CharacterSet(charactersIn: "\u{FEFF}")))
            return head.uppercased().hasPrefix("BEGIN:VCARD") ? .vcard : head.hasPrefix("{") ? .json : .csv
        }
    }
}

/// What one import did, whatever the file was.
public struct FileImportResult: Sendable, Encodable {
    public var kind: ContactFileKind
    /// A CSV's encoding, separator, header, preset and columns.
    public var layout: CSVLayout?
    /// A vCard file's cards and version.
    public var cards: Int?
    public var vCardVersion: String?
    /// Contacts (CSV, vCard).
    public var summary: ImportSummary?
    /// A JSON export put back.
    public var restored: ExportImport?
    public var exportedAt: String?
}

/// Imports a file of any kind Rapport reads, the one path the CLI, the import page and the API take.
public enum FileImport {
    /// Reads `url` (named `name` when it was uploaded) and imports it into `owner`'s circle: contacts from a CSV or a
    /// vCard file through ``ImportRepository``, or a whole JSON export (into an empty circle, or with `merge`).
    /// `described` is called with the CSV's layout or the vCard count before anything is written.
    public static func run(
        _ url: URL, name: String? = nil, store: Store, as owner: AccountID, options: ImportOptions,
        preset: ContactPreset? = nil, overrides: [(String, ContactColumn)] = [], merge: Bool = false,
        described: (FileImportResult) -> Void = { _ in }, progress: (@Sendable (Int, Int) -> Void)? = nil
    ) async throws -> FileImportResult {
        let kind = try ContactFileKind.of(url, name: name)
        var result = FileImportResult(kind: kind)
        switch kind {
        case .json:
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw RapportError.invalid("file", "cannot read \(name ?? url.lastPathComponent)")
            }
            let document = try ExportJSON.read(data, file: name ?? url.lastPathComponent)
            result.exportedAt = document.exportedAt
            described(result)
            result.restored = try await store.exports.restore(document, merge: merge, dryRun: options.dryRun, as: owner)
        case .csv, .vcard:
            if kind == .vcard && (preset != nil || !overrides.isEmpty) {
                throw RapportError.invalid("preset", "a preset and a column mapping are for CSV files; a vCard names its own fields")
            }
            let source: any ContactSource
            let total: Int
            if kind == .csv {
                let csv = try CSVContacts(url: url, preset: preset, overrides: overrides, timeZones: store.timeZones)
                (source, total, result.layout) = (csv, csv.layout.lines, csv.layout)
            } else {
                let cards = try VCardContacts(url: url, timeZones: store.timeZones)
                (source, total, result.cards, result.vCardVersion) = (cards, cards.count, cards.count, cards.version)
            }
            described(result)
            result.summary = try await store.imports.run(source, options: options, as: owner) { progress?($0, total) }
        }
        return result
    }
}
