import Foundation
import RapportCore
import RapportStore

/// The open formats a circle is taken out in; the CLI's `rapport export`, the Export page and
/// `GET /api/v1/export` all write them through ``ExportFormat/render(from:as:options:)``.
public enum ExportFormat: String, Sendable, CaseIterable, Codable {
    /// People as vCard (RFC 6350 4.0, or 3.0 on request).
    case vcard
    /// Everything of the owner, the versioned document of `docs/export-format.md`.
    case json
    /// People with every column `rapport import` reads.
    case csv
    /// Open follow-ups, today's calls and snoozes ending (RFC 5545).
    case ics

    /// What to put in a vCard or CSV export, and whether a JSON export carries secrets.
    public struct Options: Sendable, Equatable {
        public var vCardVersion: VCardWriter.Version = .v4
        /// Only people of these personas (vcard, csv); all when empty.
        public var personas: [String] = []
        /// The Slack webhook and other secrets (json).
        public var includeSecrets = false
        public init() {}
    }

    /// The file's media type (RFC 6350 §10.1, RFC 5545 §8.1, RFC 4180 §3).
    public var mediaType: String {
        switch self {
        case .vcard: return "text/vcard; charset=utf-8"
        case .json: return "application/json"
        case .csv: return "text/csv; charset=utf-8; header=present"
        case .ics: return "text/calendar; charset=utf-8"
        }
    }

    /// The usual file extension.
    public var fileExtension: String {
        switch self {
        case .vcard: return "vcf"
        case .json: return "json"
        case .csv: return "csv"
        case .ics: return "ics"
        }
    }

    /// The export as text. `progress` gets the work done and its total: tables for json, people for vcard and csv.
    ///
    /// - Throws: ``RapportError/notFound(_:_:)`` for a persona that does not exist; storage errors.
    public func render(from store: Store, as owner: AccountID, options: Options = Options(),
                       progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> String {
        switch self {
        case .vcard:
            let people = try await store.people.all(personas: options.personas, as: owner)
            var cards = ""
            for (index, person) in people.enumerated() {
                cards += VCardWriter.card(person, version: options.vCardVersion, owner: owner)
                progress?(index + 1, people.count)
            }
            return cards
        case .json:
            return try ExportJSON.string(try await store.exports.export(includeSecrets: options.includeSecrets, as: owner, progress: progress))
        case .csv:
            let people = try await store.people.all(personas: options.personas, as: owner)
            defer { progress?(people.count, people.count) }
            return String(decoding: try PeopleCSV.write(people), as: UTF8.self)
        case .ics:
            return try await CalendarFile.feed(from: store, as: owner)
        }
    }
}

/// The JSON of an export: keys sorted and indented, so two exports compare line by line.
public enum ExportJSON {
    public static func string(_ document: ExportDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// The export in `data`.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` when it is not JSON or not an export.
    public static func read(_ data: Data, file: String) throws -> ExportDocument {
        do {
            return try JSONDecoder().decode(ExportDocument.self, from: data)
        } catch let error as DecodingError {
            var at = ""
            switch error {
            case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context), .valueNotFound(_, let context):
                at = context.codingPath.map(\.stringValue).joined(separator: ".")
            @unknown default: break
            }
            throw RapportError.invalid("file", "\(file) is not a Rapport JSON export\(at.isEmpty ? "" : " (at \(at))"); export one with `rapport export --format json`")
        }
    }
}
