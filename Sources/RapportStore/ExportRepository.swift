import Foundation
import RapportCore
import SQLKit

/// Everything of one account, as the JSON export writes it (format `rapport-export`, described in
/// `docs/export-format.md`): each table's rows, with the account and derived keys left out.
public struct ExportDocument: Sendable, Codable, Equatable {
    public static let currentVersion = 1

    public var format = "rapport-export"
    /// Bumped when the tables change; an import reads its own version and older ones.
    public var version = ExportDocument.currentVersion
    public var exportedAt: String
    /// Whether secret settings (the Slack webhook) are included.
    public var includesSecrets: Bool
    /// Rows by table name; each row is its columns by name.
    public var tables: [String: [[String: ExportValue]]]

    /// How many rows each non-empty table has.
    public var counts: [String: Int] { tables.filter { !$0.value.isEmpty }.mapValues(\.count) }
}

/// What an import of an export did.
public struct ExportImport: Sendable, Codable, Equatable {
    /// Rows added, by table.
    public var added: [String: Int] = [:]
    /// Rows of the export that were already there (by name, email or key) and were used instead, by table.
    public var matched: [String: Int] = [:]
    public var merged: Bool
    /// Worked out and rolled back: nothing was written.
    public var dryRun = false
}

/// Taking everything out, and putting it back.
public struct ExportRepository: Sendable {
    let store: Store

    /// Every row of `owner`'s data, all read at one moment; secret settings only with `includeSecrets`.
    /// `progress` gets the tables done and their number.
    public func export(includeSecrets: Bool = false, as owner: AccountID,
                       progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> ExportDocument {
        let secrets = Settings.secretKeys
        let tables = try await store.snapshot { db -> [String: [[String: ExportValue]]] in
            var tables: [String: [[String: ExportValue]]] = [:]
            for (index, table) in ExportTable.all.enumerated() {
                progress?(index, ExportTable.all.count)
                var query = db.select().from(table.name).where("owner_id", .equal, owner.rawValue)
                for column in table.columnNames { query = query.column(SQLIdentifier(column)) }
                for column in table.hasID ? ["id"] : table.columns.prefix(2).map(\.0) { query = query.orderBy(SQLIdentifier(column)) }
                var rows: [[String: ExportValue]] = []
                for row in try await query.all() {
                    var out: [String: ExportValue] = [:]
                    if table.hasID { out["id"] = .int(try row.decode(column: "id", as: Int64.self)) }
                    for (column, kind) in table.columns { out[column] = try Self.value(row, column, kind) }
                    if table.name == "settings", !includeSecrets, let key = out["key"]?.string, secrets.contains(key) { continue }
                    rows.append(out)
                }
                tables[table.name] = rows
            }
            progress?(ExportTable.all.count, ExportTable.all.count)
            return tables
        }
        return ExportDocument(exportedAt: Timestamp.string(store.stamp()), includesSecrets: includeSecrets, tables: tables)
    }

    static func value(_ row: any SQLRow, _ column: String, _ kind: ExportTable.Kind) throws -> ExportValue {
        if try row.decodeNil(column: column) { return .null }
        switch kind {
        case .text: return .string(try row.decode(column: column, as: String.self))
        case .int: return .int(try row.decode(column: column, as: Int64.self))
        case .bool: return .bool(try row.decode(column: column, as: Bool.self))
        case .json:
            let text = try row.decode(column: column, as: String.self)
            return (try? JSONDecoder().decode(ExportValue.self, from: Data(text.utf8))) ?? .string(text)
        }
    }

    /// Puts an export into `owner`'s circle in one transaction. Into an empty circle every row comes back as it was,
    /// ids included where the database has them free (so exporting again gives the same file); with `merge`, into a
    /// circle that has data, rows get new ids and a company, persona, tag, theme, question, guide, campaign or request
    /// already there by name, or a person already there by email, is used instead of a copy.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` for a file that is not a Rapport export (or is from a newer
    ///   Rapport), and under `merge` when the circle has data and `merge` is not set.
    /// With `replacing`, everything of `owner` is deleted first, in the same transaction (a restore over what is
    /// there, after a backup of it was written).
    /// A dry run does all of it and rolls back, to report what an import would add.
    public func restore(_ document: ExportDocument, merge: Bool, replacing: Bool = false, dryRun: Bool = false,
                        as owner: AccountID) async throws -> ExportImport {
        guard document.format == "rapport-export" else {
            throw RapportError.invalid("file", "this JSON is not a Rapport export (its format is \"\(document.format)\"); export with `rapport export --format json`")
        }
        guard document.version <= ExportDocument.currentVersion else {
            throw RapportError.invalid("file", "this export is version \(document.version), from a newer Rapport; update Rapport to import it")
        }
        let dialect = store.dialect
        return try await store.transaction(rollingBack: dryRun) { db in
            try await dialect.lockCircle(of: owner, on: db)
            if replacing {
                for table in ExportTable.all.reversed() {
                    try await db.delete(from: table.name).where("owner_id", .equal, owner.rawValue).run()
                }
                try await SearchIndex.removeAll(owner: owner, on: db)
            }
            let held = try await Self.heldRows(owner: owner, on: db)
            if held > 0 && !merge {
                throw RapportError.invalid("merge", "your circle already holds \(held) rows (people, conversations and more); an export goes into an empty database, or add to what is here with --merge")
            }
            if held == 0 {
                // A new account starts with the starter questions; the export has its own.
                try await db.delete(from: "questions").where("owner_id", .equal, owner.rawValue).run()
            }
            var run = ExportRestore(document: document, owner: owner, merge: held > 0, dialect: dialect)
            try await run.apply(on: db)
            run.result.dryRun = dryRun
            return run.result
        }
    }

    /// Rows of the circle other than settings and unused starter questions.
    static func heldRows(owner: AccountID, on db: any SQLDatabase) async throws -> Int {
        var total = 0
        for table in ["people", "personas", "conversations", "campaigns", "guides", "feedback", "feature_requests", "hypotheses", "goals", "companies"] {
            total += try await db.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n").from(table)
                .where("owner_id", .equal, owner.rawValue).first(decodingColumn: "n", as: Int.self) ?? 0
        }
        return total
    }
}

extension Store {
    public var exports: ExportRepository { ExportRepository(store: self) }
}

extension ExportDocument {
    /// The same document with each table's ids renumbered from 1 in their order, the references between tables
    /// following them, and the rows of every table sorted: two exports of one circle from different databases (where
    /// the ids differ) are then equal, and a diff of them shows only what really changed.
    public func renumbered() -> ExportDocument {
        var copy = self
        var ids: [String: [Int64: Int64]] = [:]
        for table in ExportTable.all where table.hasID {
            let old = (tables[table.name] ?? []).compactMap { $0["id"]?.int }.sorted()
            ids[table.name] = Dictionary(firstOf: old.enumerated().map { ($1, Int64($0 + 1)) })
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        for table in ExportTable.all {
            guard let rows = tables[table.name] else { continue }
            let mapped = rows.map { row -> [String: ExportValue] in
                var row = row
                if table.hasID, let id = row["id"]?.int, let new = ids[table.name]?[id] { row["id"] = .int(new) }
                for (column, target) in table.references {
                    if let old = row[column]?.int, let new = ids[target]?[old] { row[column] = .int(new) }
                }
                return row
            }
            copy.tables[table.name] = mapped
                .map { (key: (try? encoder.encode($0)).map { String(decoding: $0, as: UTF8.self) } ?? "", row: $0) }
                .sorted { a, b in
                    let (x, y) = (a.row["id"]?.int ?? 0, b.row["id"]?.int ?? 0)
                    return x != y ? x < y : a.key < b.key
                }
                .map(\.row)
        }
        return copy
    }
}
