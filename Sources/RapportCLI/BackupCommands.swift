import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// `rapport backup [FILE] [--encrypt]`
struct BackupCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "backup",
        abstract: "Write a consistent snapshot of your data, even while `rapport serve` runs; --encrypt protects it with a passphrase (age).",
        discussion: """
            On SQLite the snapshot is the whole database (VACUUM INTO, so the latest edits are in it); on PostgreSQL \
            it is the JSON export of your circle. With --encrypt the file is in the age format (age-encryption.org/v1): \
            open it with Rapport (`rapport restore FILE`) or with the standard tool (`age -d FILE > backup.sqlite`). \
            The passphrase is asked for, or read from RAPPORT_PASSPHRASE.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The file to write (default: rapport-backup-DATE-TIME.sqlite, .json on PostgreSQL; .age added when encrypted).")
    var file: String?
    @Flag(help: "Encrypt it with a passphrase, in the age format.") var encrypt = false

    func run(in env: CLIEnvironment) async throws {
        let passphrase = encrypt ? try Passphrase.read(env: env, confirm: true) : nil
        let (written, kind) = try await env.withStore(global) { store, account -> (URL, BackupKind) in
            let stamp = store.backups.fileStamp()
            let ext = store.dialect == .sqlite ? "sqlite" : "json"
            let target = URL(fileURLWithPath: file ?? "rapport-backup-\(stamp).\(ext)" + (encrypt ? ".age" : ""))
            guard !FileManager.default.fileExists(atPath: target.path) else {
                throw RapportError.invalid("file", "\(target.path) exists already; name a new file")
            }
            guard let passphrase else { return (target, try await store.backups.snapshot(to: target, as: account)) }
            // The plain snapshot lives only as long as it takes to encrypt it, readable by the user alone.
            let plain = target.deletingLastPathComponent().appendingPathComponent(".\(target.lastPathComponent).\(UUID().uuidString).plain")
            defer { try? FileManager.default.removeItem(at: plain) }
            _ = try await store.backups.snapshot(to: plain, as: account)
            let size = (try? FileManager.default.attributesOfItem(atPath: plain.path)[.size] as? Int) ?? 0
            let bar = ProgressBar(output: env.output, total: size, noun: "bytes", enabled: !global.json)
            defer { bar.finish() }
            try AgeFile.encrypt(plain, to: target, passphrase: passphrase) { bar.update($0) }
            return (target, .age)
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: written.path)[.size] as? Int) ?? 0
        if global.json { try env.json(["file": written.path, "kind": kind.rawValue, "bytes": String(size)]); return }
        env.output.line("Wrote \(written.path) (\(ByteCountFormatter.string(fromByteCount: Int64(size), countStyle: .file)), "
            + (kind == .age ? "encrypted with age; open it with `rapport restore` or `age -d`" : "readable by you alone") + ").")
    }
}

/// `rapport restore FILE [--force]`
struct RestoreCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "restore",
        abstract: "Put a backup back: a SQLite snapshot, a JSON export, or either encrypted with age.",
        discussion: """
            Into an empty database; with --force, over what is there, after first writing a backup of it. \
            Stop `rapport serve` on this database while restoring.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The backup file.") var file: String
    @Flag(help: "Replace what is in the database, after writing a backup of it first.") var force = false

    func run(in env: CLIEnvironment) async throws {
        let url = URL(fileURLWithPath: file)
        guard let kind = BackupKind.of(url) else {
            throw RapportError.invalid("file", "\(file) is not a Rapport backup (a SQLite file, a JSON export, or either encrypted with age)")
        }
        var source = url
        let decrypted = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-restore-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: decrypted) }
        if kind == .age {
            let passphrase = try Passphrase.read(env: env, confirm: false)
            try AgeFile.decrypt(url, to: decrypted, passphrase: passphrase)
            source = decrypted
        }
        let document = try await BackupRepository.document(in: source)
        let (result, saved) = try await env.withStore(global) { store, account -> (ExportImport, URL?) in
            var saved: URL?
            if force {
                let folder = URL(fileURLWithPath: Backups.folder(for: store.location, environment: env.variables))
                try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                let stamp = store.backups.fileStamp()
                let before = folder.appendingPathComponent("before-restore-\(stamp).\(store.dialect == .sqlite ? "sqlite" : "json")")
                _ = try await store.backups.snapshot(to: before, as: account)
                saved = before
            }
            do {
                return (try await store.exports.restore(document, merge: false, replacing: force, as: account), saved)
            } catch let error as RapportError where error.fieldErrors.first?.field == "merge" {
                throw RapportError.invalid("force", "your database already has a circle; restore into an empty one, or add --force to replace it (a backup of it is written first)")
            }
        }
        if global.json { try env.json(result); return }
        if let saved { env.output.line("What was there is saved in \(saved.path).") }
        let people = result.added["people"] ?? 0, conversations = result.added["conversations"] ?? 0
        env.output.line("Restored \(file) (from \(document.exportedAt)): \(people) people, \(conversations) conversations, "
            + "\(result.added.values.reduce(0, +)) rows in all.")
    }
}

/// Where automatic and safety backups go: `backups/` beside the SQLite file, or in the data folder for PostgreSQL.
enum Backups {
    static func folder(for location: DatabaseLocation, environment: [String: String]) -> String {
        switch location {
        case .sqlite(let path): return URL(fileURLWithPath: path).deletingLastPathComponent().appendingPathComponent("backups").path
        default:
            return URL(fileURLWithPath: DatabaseLocation.defaultPath(environment: environment)).deletingLastPathComponent()
                .appendingPathComponent("backups").path
        }
    }
}

/// The passphrase of an encrypted backup: RAPPORT_PASSPHRASE, else asked for on the terminal without echo.
enum Passphrase {
    static func read(env: CLIEnvironment, confirm: Bool) throws -> String {
        if let given = env.variables["RAPPORT_PASSPHRASE"], !given.isEmpty { return given }
        guard isatty(STDIN_FILENO) == 1, let first = getpass("Passphrase: ").map({ String(cString: $0) }) else {
            throw RapportError.invalid("passphrase", "no passphrase: run on a terminal to be asked, or set RAPPORT_PASSPHRASE")
        }
        guard !first.isEmpty else { throw RapportError.invalid("passphrase", "the passphrase is empty; an empty one protects nothing") }
        if confirm {
            guard let again = getpass("Again: ").map({ String(cString: $0) }), again == first else {
                throw RapportError.invalid("passphrase", "the two passphrases differ; nothing was written")
            }
        }
        return first
    }
}
