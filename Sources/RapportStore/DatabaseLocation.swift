import Foundation
import RapportCore

/// Where the data lives: an embedded SQLite file (the default), a throwaway in-memory SQLite, or PostgreSQL.
public enum DatabaseLocation: Sendable, Equatable {
    case sqlite(path: String)
    case sqliteInMemory
    case postgres(url: String)

    /// Chooses the location from the flags, then the environment, then the platform's data folder.
    ///
    /// `--database-url`/`RAPPORT_DATABASE_URL` wins over `--db`/`RAPPORT_DB`, which wins over the default file.
    public static func resolve(
        db: String?, databaseURL: String?, environment: [String: String]
    ) throws -> DatabaseLocation {
        if let url = databaseURL ?? environment["RAPPORT_DATABASE_URL"], !url.isEmpty {
            guard url.hasPrefix("postgres://") || url.hasPrefix("postgresql://") else {
                throw RapportError.invalid("database-url", "\"\(redacted(url))\" is not a PostgreSQL URL; write postgres://user@host:5432/dbname")
            }
            return .postgres(url: url)
        }
        if let path = db ?? environment["RAPPORT_DB"], !path.isEmpty {
            return .sqlite(path: path)
        }
        return .sqlite(path: defaultPath(environment: environment))
    }

    /// `$XDG_DATA_HOME/rapport/rapport.sqlite`, else `~/.local/share/rapport/rapport.sqlite`
    /// (`~/Library/Application Support/Rapport/rapport.sqlite` on macOS).
    public static func defaultPath(environment: [String: String]) -> String {
        let home = environment["HOME"] ?? NSHomeDirectory()
        #if os(macOS)
        let folder = home + "/Library/Application Support/Rapport"
        #else
        let base = environment["XDG_DATA_HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? home + "/.local/share"
        let folder = base + "/rapport"
        #endif
        return folder + "/rapport.sqlite"
    }

    /// A URL with its password replaced by `***`, safe to print or log.
    public static func redacted(_ url: String) -> String {
        guard let schemeEnd = url.range(of: "://"), let at = url[schemeEnd.upperBound...].firstIndex(of: "@") else {
            return url
        }
        let userInfo = url[schemeEnd.upperBound..<at]
        guard let colon = userInfo.firstIndex(of: ":") else { return url }
        return String(url[..<colon]) + ":***" + String(url[at...])
    }

    /// What to show a person: the file path, or the URL without its password.
    public var displayName: String {
        switch self {
        case .sqlite(let path): return path
        case .sqliteInMemory: return "(in memory)"
        case .postgres(let url): return Self.redacted(url)
        }
    }
}

/// Creates the SQLite file's folder (0700) and the file itself (0600) before SQLite opens it.
enum PrivateFile {
    static func prepare(path: String) throws {
        let fm = FileManager.default
        let url = URL(fileURLWithPath: path)
        let folder = url.deletingLastPathComponent().path
        if !fm.fileExists(atPath: folder) {
            do {
                try fm.createDirectory(atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw RapportError.storage("cannot create the folder \(folder): \(error.localizedDescription); check its parent's permissions or pass --db PATH")
            }
        }
        if !fm.fileExists(atPath: path) {
            guard fm.createFile(atPath: path, contents: nil, attributes: [.posixPermissions: 0o600]) else {
                throw RapportError.storage("cannot create the database file \(path); check the folder's permissions or pass --db PATH")
            }
        }
        restrict(path)
    }

    /// Makes the file and its WAL companions readable by the owner only.
    static func restrict(_ path: String) {
        for file in [path, path + "-wal", path + "-shm"] where FileManager.default.fileExists(atPath: file) {
            try? FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: file)
        }
    }
}
