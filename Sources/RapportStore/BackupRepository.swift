import Foundation
import RapportCore
import SQLKit

/// What a backup file holds.
public enum BackupKind: String, Sendable, Codable {
    /// A SQLite database: the whole file as one moment saw it.
    case sqlite
    /// A JSON export of one account (how a PostgreSQL database is backed up).
    case json
    /// Either of them, encrypted with a passphrase in the age format.
    case age

    /// The kind of the file at `url`, by its first bytes; nil when it is none of them.
    public static func of(_ url: URL) -> BackupKind? {
        guard let handle = try? FileHandle(forReadingFrom: url) else { return nil }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 32)) ?? Data()
        if head.starts(with: Array("SQLite format 3\u{0}".utf8)) { return .sqlite }
        if head.starts(with: Array("age-encryption.org/v1\n".utf8)) { return .age }
        if head.drop(while: { [0x20, 0x0A, 0x0D, 0x09, 0xEF, 0xBB, 0xBF].contains($0) }).first == UInt8(ascii: "{") { return .json }
        return nil
    }
}

/// Backups: a consistent snapshot while the server runs, and putting one back.
public struct BackupRepository: Sendable {
    let store: Store

    /// Now as a file name part, in UTC: `20261130-153012`.
    public func fileStamp() -> String {
        Timestamp.string(store.now()).filter { $0.isNumber || $0 == "T" }.replacingOccurrences(of: "T", with: "-")
    }

    /// Writes a snapshot to `url` (which must not exist): on SQLite the whole database with `VACUUM INTO`, which
    /// reads one consistent moment, the latest writes still in the WAL file included, while others keep writing;
    /// on PostgreSQL the JSON export of `owner`, secrets included (it is the user's own copy).
    public func snapshot(to url: URL, as owner: AccountID) async throws -> BackupKind {
        guard !FileManager.default.fileExists(atPath: url.path) else {
            throw RapportError.invalid("file", "\(url.path) exists already; name a new file")
        }
        switch store.dialect {
        case .sqlite:
            try await store.withSession { db in
                try await db.execute(sql: SQLQueryString("VACUUM INTO \(bind: url.path)")) { _ in }
            }
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: url.path)
            return .sqlite
        case .postgres:
            let document = try await store.exports.export(includeSecrets: true, as: owner)
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
            guard FileManager.default.createFile(atPath: url.path, contents: try encoder.encode(document), attributes: [.posixPermissions: 0o600]) else {
                throw RapportError.invalid("file", "cannot write \(url.path); check the folder exists and you may write there")
            }
            return .json
        }
    }

    /// The export inside a backup (decrypted already): a SQLite snapshot is opened from a copy (so the file itself
    /// is never changed) and the circle of `account` (the local one when nil) exported with secrets; a JSON file is read.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` when the file is neither, or a snapshot holds no circle.
    public static func document(in url: URL, account: AccountID? = nil) async throws -> ExportDocument {
        switch BackupKind.of(url) {
        case .sqlite:
            let copy = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-restore-\(UUID().uuidString).sqlite")
            defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy.path + suffix) } }
            try FileManager.default.copyItem(at: url, to: copy)
            let snapshot: Store
            do {
                snapshot = try await Store.open(.sqlite(path: copy.path))
            } catch let error as RapportError where error.fieldErrors.first?.field == "database" {
                // Said of the file the user named, not of the private copy it was opened from.
                throw RapportError.invalid("file", (error.fieldErrors.first?.message ?? error.message).replacingOccurrences(of: copy.path, with: url.path))
            }
            do {
                let owner: AccountID
                if let account { owner = account } else { owner = try await snapshot.localAccount() }
                let document = try await snapshot.exports.export(includeSecrets: true, as: owner)
                await snapshot.close()
                return document
            } catch {
                await snapshot.close()
                throw error
            }
        case .json:
            guard let data = FileManager.default.contents(atPath: url.path) else {
                throw RapportError.invalid("file", "cannot read \(url.path)")
            }
            do { return try JSONDecoder().decode(ExportDocument.self, from: data) } catch {
                throw RapportError.invalid("file", "\(url.lastPathComponent) is JSON but not a Rapport export or backup")
            }
        case .age:
            throw RapportError.invalid("file", "\(url.lastPathComponent) is encrypted; decrypt it first")
        case nil:
            throw RapportError.invalid("file", "\(url.lastPathComponent) is not a Rapport backup (a SQLite file, a JSON export, or either encrypted with age)")
        }
    }

    /// Keeps a daily snapshot in `folder`: writes today's (`rapport-YYYY-MM-DD.sqlite`, or `.json` on PostgreSQL)
    /// when there is none yet, and deletes all but the newest `keep`. Returns the file written, if any.
    public func daily(in folder: URL, keep: Int, today: CalendarDay, as owner: AccountID) async throws -> URL? {
        guard keep > 0 else { return nil }
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let ext = store.dialect == .sqlite ? "sqlite" : "json"
        let name = "rapport-\(today).\(ext)"
        let target = folder.appendingPathComponent(name)
        var written: URL?
        if !FileManager.default.fileExists(atPath: target.path) {
            let partial = folder.appendingPathComponent(".\(name).part")
            try? FileManager.default.removeItem(at: partial)
            _ = try await snapshot(to: partial, as: owner)
            guard rename(partial.path, target.path) == 0 else { throw RapportError.storage("cannot name the backup \(target.path)") }
            written = target
        }
        let backups = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [])
            .filter { $0.hasPrefix("rapport-") && ($0.hasSuffix(".sqlite") || $0.hasSuffix(".json")) }.sorted()
        for old in backups.dropLast(keep) { try? FileManager.default.removeItem(at: folder.appendingPathComponent(old)) }
        return written
    }
}

extension Store {
    public var backups: BackupRepository { BackupRepository(store: self) }
}
