import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// `rapport export`
struct ExportCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Take your circle out: vCard (people), JSON (everything), CSV (people, as the import reads it) or iCalendar (follow-ups and calls).",
        discussion: """
            Examples: rapport export --format vcard --out circle.vcf; rapport export --format json --out everything.json
            A file written with --out is readable by you alone (mode 0600): it holds your private circle.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "vcard, json, csv or ics.") var format: ExportFormat
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
        var options = ExportFormat.Options()
        (options.vCardVersion, options.personas, options.includeSecrets) = (VCardWriter.Version(rawValue: version) ?? .v4, personas, includeSecrets)
        let bar = ProgressBar(output: env.output, total: 0, noun: format == .json ? "tables" : "people", enabled: !global.json)
        defer { bar.finish() }
        let text = try await env.withStore(global) { store, account in
            try await format.render(from: store, as: account, options: options) { done, total in
                bar.setTotal(total)
                bar.update(done)
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

extension ExportFormat: ExpressibleByArgument {}
