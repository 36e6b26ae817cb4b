import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// `rapport export`
struct ExportCommand: RapportRunnable {
    enum Format: String, ExpressibleByArgument, CaseIterable {
        case vcard, json, csv, ics
    }

    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Take your circle out: vCard (people), JSON (everything), CSV (people, as the import reads it) or iCalendar (follow-ups and calls).",
        discussion: """
            Examples: rapport export --format vcard --out circle.vcf; rapport export --format json --out everything.json
            A file written with --out is readable by you alone (mode 0600): it holds your private circle.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "vcard, json, csv or ics.") var format: Format
    @Option(help: "The vCard version: 4.0 (RFC 6350, the default) or 3.0 (for older address books).") var version: String = "4.0"
    @Option(name: .customLong("persona"), help: "Only people of this persona (vcard and csv). Repeatable.") var personas: [String] = []
    @Flag(help: "Include secrets such as the Slack webhook (json).") var includeSecrets = false
    @Option(help: "Write to this file instead of the terminal.") var out: String?

    func validate() throws {
        if format == .vcard && VCardWriter.Version(rawValue: version) == nil {
            throw ValidationError("--version must be 4.0 or 3.0")
        }
    }

    func run(in env: CLIEnvironment) async throws {
        let text = try await env.withStore(global) { store, account -> String in
            switch format {
            case .vcard:
                let people = try await store.people.all(personas: personas, as: account)
                return VCardWriter.file(people, version: VCardWriter.Version(rawValue: version) ?? .v4, owner: account)
            case .json:
                return try ExportJSON.string(try await store.exports.export(includeSecrets: includeSecrets, as: account))
            case .csv:
                let people = try await store.people.all(personas: personas, as: account)
                return String(decoding: try PeopleCSV.write(people), as: UTF8.self)
            case .ics:
                return try await CalendarFile.feed(from: store, as: account)
            }
        }
        try ExportFile.write(text, to: out, env: env)
    }
}

/// Where an export goes: the terminal as it is, or a private file.
enum ExportFile {
    static func write(_ text: String, to path: String?, env: CLIEnvironment) throws {
        guard let path else { env.output.raw(text); return }
        try write(Data(text.utf8), to: path, env: env)
    }

    /// Writes `data` to `path` readable by the user alone (0600), whole or not at all.
    static func write(_ data: Data, to path: String, env: CLIEnvironment) throws {
        let url = URL(fileURLWithPath: path)
        let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).\(UUID().uuidString).part")
        guard FileManager.default.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: 0o600]) else {
            throw RapportError.invalid("out", "cannot write \(path); check the folder exists and you may write there")
        }
        // rename(2) replaces the file in one step: a reader sees the old file or the new one, never half of one.
        guard rename(temporary.path, url.path) == 0 else {
            try? FileManager.default.removeItem(at: temporary)
            throw RapportError.invalid("out", "cannot write \(path); check the folder exists and you may write there")
        }
        env.output.error("Wrote \(path) (\(ByteCountFormatter.string(fromByteCount: Int64(data.count), countStyle: .file))).")
    }
}

/// The JSON of an export: keys sorted and indented, so two exports compare line by line.
enum ExportJSON {
    static func string(_ document: ExportDocument) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(document), as: UTF8.self) + "\n"
    }

    /// The export in `data`.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` when it is not JSON or not an export.
    static func read(_ data: Data, file: String) throws -> ExportDocument {
        do {
            return try JSONDecoder().decode(ExportDocument.self, from: data)
        } catch let error as DecodingError {
            var at = ""
            if case .dataCorrupted(let context) = error { at = context.codingPath.map(\.stringValue).joined(separator: ".") }
            throw RapportError.invalid("file", "\(file) is not a Rapport JSON export\(at.isEmpty ? "" : " (at \(at))"); export one with `rapport export --format json`")
        }
    }
}
