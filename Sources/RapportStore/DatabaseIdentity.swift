import Foundation
import RapportCore
import SQLKit

/// Knows a Rapport database from any other file before anything is written to it.
///
/// A SQLite file made by Rapport says so in its header (SQLite file format, "The Database Header"):
/// `application_id` (offset 68) is ``applicationID`` and `user_version` (offset 60) is its schema version, the number
/// of ``Migrations/steps`` applied. Opening refuses, and leaves the file byte for byte as it was:
/// - a file that is not SQLite (a text file, a CSV, a truncated header), saying what it begins with;
/// - another program's SQLite file (another `application_id`, or tables and no `rapport_migrations`);
/// - a database from a newer Rapport (a schema version, or a migration name, this build does not know), with both
///   versions.
/// An empty or new file becomes a Rapport database. Older Rapport files (no `application_id` yet, but
/// `rapport_migrations`) are recognised and stamped.
enum DatabaseIdentity {
    /// `Rapp` in ASCII: what `PRAGMA application_id` says of a Rapport database.
    static let applicationID: Int32 = 0x5261_7070

    /// The schema version this build writes: one per migration step.
    static var schemaVersion: Int { Migrations.steps.count }

    /// Checks the header of the SQLite file at `path` without opening it; nothing happens to a missing or empty file.
    static func checkHeader(path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 100)) ?? Data()
        if header.isEmpty { return }
        let magic = Data("SQLite format 3\u{0}".utf8)
        guard header.count == 100, header.prefix(16) == magic else {
            throw refusal(path, "it is not a database (it begins with \(describe(header.prefix(16))))")
        }
        let userVersion = Int(bigEndian32(header, at: 60))
        let application = bigEndian32(header, at: 68)
        if application != 0 && application != applicationID {
            throw refusal(path, "it is another program's SQLite database (application id 0x\(String(UInt32(bitPattern: application), radix: 16)))")
        }
        if application == applicationID && userVersion > schemaVersion {
            throw newer(path, version: userVersion)
        }
    }

    /// On the first connection, before any write: an unstamped SQLite file must be empty or an older Rapport's.
    /// Returns whether the file already carries this build's stamp (then ``stamp(_:)`` has nothing to write).
    static func checkTables(_ db: any SQLDatabase, path: String) async throws -> Bool {
        let application = try await db.raw("PRAGMA application_id").first().map { try $0.decode(column: "application_id", as: Int32.self) } ?? 0
        let version = try await db.raw("PRAGMA user_version").first().map { try $0.decode(column: "user_version", as: Int.self) } ?? 0
        if application == applicationID { return version == schemaVersion }
        let tables = try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
            .all().map { try $0.decode(column: "name", as: String.self) }
        if application == 0 && !tables.isEmpty && !tables.contains("rapport_migrations") {
            let shown = tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "")
            throw refusal(path, "it is another program's SQLite database (its tables: \(shown))")
        }
        return false
    }

    /// Refuses a database holding migrations this build does not know: a newer Rapport wrote it.
    static func checkMigrations(_ db: any SQLDatabase, location: String) async throws {
        let applied = try await db.select().column("name").from("rapport_migrations").all()
            .map { try $0.decode(column: "name", as: String.self) }
        let known = Set(Migrations.steps.map(\.name))
        if applied.contains(where: { !known.contains($0) }) {
            throw newer(location, version: applied.count)
        }
    }

    /// Stamps a SQLite database as Rapport's, with its schema version.
    static func stamp(_ db: any SQLDatabase) async throws {
        try await db.raw(SQLQueryString("PRAGMA application_id = \(unsafeRaw: String(applicationID))")).run()
        try await db.raw(SQLQueryString("PRAGMA user_version = \(unsafeRaw: String(schemaVersion))")).run()
    }

    static func refusal(_ path: String, _ why: String) -> RapportError {
        .invalid("database", "\(path) is not a Rapport database: \(why). Nothing was changed; give the path of a Rapport database, or a new path to start one")
    }

    static func newer(_ path: String, version: Int) -> RapportError {
        .invalid("database", "\(path) was written by a newer Rapport (schema version \(version); this Rapport knows up to \(schemaVersion)). Nothing was changed; update Rapport to open it")
    }

    static func bigEndian32(_ data: Data, at offset: Int) -> Int32 {
        let bytes = Array(data[data.startIndex + offset ..< data.startIndex + offset + 4])
        return Int32(bitPattern: UInt32(bytes[0]) << 24 | UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3]))
    }

    /// The first bytes as text when printable ("name,email,…"), else as hex.
    static func describe(_ bytes: Data) -> String {
        if let text = String(data: bytes, encoding: .utf8), text.unicodeScalars.allSatisfy({ $0.properties.generalCategory != .control || $0 == "\n" || $0 == "\t" }) {
            return "\"" + text.replacingOccurrences(of: "\n", with: "\\n") + "\""
        }
        return bytes.map { String(format: "%02x", $0) }.joined(separator: " ")
    }
}
