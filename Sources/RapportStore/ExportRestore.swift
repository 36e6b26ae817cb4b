import Foundation
import RapportCore
import SQLKit

/// One import of an export, table by table inside the caller's transaction: ids kept where free on SQLite (new ones where
/// not, or when merging), references followed through the new ids, derived keys made again, search documents written.
struct ExportRestore {
    let document: ExportDocument
    let owner: AccountID
    let merge: Bool
    let dialect: Dialect
    /// Old id → id in this database, by table.
    var ids: [String: [Int64: Int64]] = [:]
    var result: ExportImport

    init(document: ExportDocument, owner: AccountID, merge: Bool, dialect: Dialect) {
        self.document = document
        self.owner = owner
        self.merge = merge
        self.dialect = dialect
        self.result = ExportImport(merged: merge)
    }

    mutating func apply(on db: any SQLDatabase) async throws {
        let conversations = Dictionary(firstOf: (document.tables["conversations"] ?? []).compactMap { row in
            row["id"]?.int.map { ($0, row) }
        })
        for table in ExportTable.all {
            let rows = document.tables[table.name] ?? []
            guard !rows.isEmpty else { continue }
            // On SQLite (one user, one writer at a time) rows keep their ids where free, so a restored circle is the
            // one that was saved, down to the ids in links and notes. On PostgreSQL the ids come from sequences that
            // every account draws from at the same time: an id written by hand could be handed out to another user's
            // insert a moment later, so rows there always take new ids (the references follow them).
            let keep = table.hasID && !merge && dialect == .sqlite
                ? try await Self.idsFree(rows.compactMap { $0["id"]?.int }, in: table.name, on: db) : false
            for row in rows {
                try await insert(row, into: table, keepID: keep, conversations: conversations, on: db)
            }
        }
        try await index(on: db)
    }

    /// Whether none of `ids` is used in `table` (by any account), so rows may keep them.
    static func idsFree(_ ids: [Int64], in table: String, on db: any SQLDatabase) async throws -> Bool {
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + PersonRows.chunk, ids.count)])
            start += PersonRows.chunk
            if try await db.select().column("id").from(table).where("id", .in, chunk).first() != nil { return false }
        }
        return true
    }

    mutating func insert(
        _ row: [String: ExportValue], into table: ExportTable, keepID: Bool, conversations: [Int64: [String: ExportValue]],
        on db: any SQLDatabase
    ) async throws {
        var values: [(String, any Encodable & Sendable)] = [("owner_id", owner.rawValue)]
        for (column, kind) in table.columns {
            var value = row[column] ?? .null
            if let target = table.references[column], let old = value.int {
                guard let new = ids[target]?[old] else {
                    // A person merged into one already here brings no second copy of what they link to.
                    if merge { return }
                    throw RapportError.invalid("file", "\(table.name) refers to \(target) #\(old), which the export does not hold; the file is damaged")
                }
                value = .int(new)
            }
            values.append((column, try Self.bind(value, kind)))
        }
        for (column, source, make) in ExportTable.derived[table.name] ?? [] {
            values.append((column, make(row[source]?.string ?? "")))
        }
        if table.name == "conversation_people", let c = row["conversation_id"]?.int, let conversation = conversations[c] {
            for column in ["occurred_at", "direction", "kind"] { values.append((column, conversation[column]?.string ?? "")) }
        }
        if merge, try await existing(row, table: table, on: db) { return }
        if table.name == "settings", !merge, let key = row["key"]?.string {
            // Restoring into an empty circle: the export's settings win over any set since.
            try await db.delete(from: "settings").where("owner_id", .equal, owner.rawValue).where("key", .equal, key).run()
        }
        let old = row["id"]?.int
        if table.hasID, keepID, let old { values.insert(("id", old), at: 0) }
        let insert = db.insert(into: table.name).columns(values.map(\.0)).values(values.map(\.1))
        if table.hasID {
            guard let new = try await insert.returning("id").first(decodingColumn: "id", as: Int64.self) else {
                throw RapportError.storage("the database did not return the id of a new row of \(table.name)")
            }
            if let old { ids[table.name, default: [:]][old] = new }
        } else {
            try await insert.run()
        }
        result.added[table.name, default: 0] += 1
    }

    /// When merging: whether this row is already here (by its natural key, a person by one of their emails, a link
    /// or setting by its whole key), recording the stored row's id for the rows that point to it.
    mutating func existing(_ row: [String: ExportValue], table: ExportTable, on db: any SQLDatabase) async throws -> Bool {
        var found: Int64?
        if let same = table.sameAs, let text = row[same.column]?.string {
            found = try await db.select().column("id").from(table.name).where("owner_id", .equal, owner.rawValue)
                .where(SQLIdentifier(same.stored), .equal, SQLBind(same.key(text))).first(decodingColumn: "id", as: Int64.self)
        } else if table.name == "people", let old = row["id"]?.int {
            let emails = (document.tables["person_emails"] ?? []).filter { $0["person_id"]?.int == old }.compactMap { $0["value"]?.string }
            if !emails.isEmpty {
                found = try await PersonRows.match(emails: emails.map { ContactPoint(value: $0) }, phones: [], owner: owner, on: db)
            }
        } else if table.name == "person_phones", let old = row["person_id"]?.int, let person = ids["people"]?[old], let value = row["value"]?.string {
            // A number the person (merged into one already here) has already, however spelt, is not added twice.
            if try await db.select().column("id").from("person_phones").where("person_id", .equal, person)
                .where("digits", .equal, PhoneNumber.key(value)).first() != nil {
                result.matched[table.name, default: 0] += 1
                return true
            }
            return false
        } else if !table.match.isEmpty {
            var query = db.select().column(SQLLiteral.all).from(table.name).where("owner_id", .equal, owner.rawValue)
            for column in table.match {
                var value = row[column] ?? .null
                if let target = table.references[column], let old = value.int, let new = ids[target]?[old] { value = .int(new) }
                let kind = table.columns.first { $0.0 == column }?.1 ?? .text
                query = value == .null ? query.where(SQLIdentifier(column), .is, SQLLiteral.null)
                    : query.where(SQLIdentifier(column), .equal, SQLBind(try Self.bind(value, kind)))
            }
            guard let stored = try await query.first() else { return false }
            if table.hasID { found = try stored.decode(column: "id", as: Int64.self) } else {
                result.matched[table.name, default: 0] += 1
                return true
            }
        }
        guard let found else { return false }
        if let old = row["id"]?.int { ids[table.name, default: [:]][old] = found }
        result.matched[table.name, default: 0] += 1
        return true
    }

    static func bind(_ value: ExportValue, _ kind: ExportTable.Kind) throws -> any Encodable & Sendable {
        switch (value, kind) {
        // A NULL is bound with its column's type: PostgreSQL will not put a text NULL in a bigint column.
        case (.null, .int): return Int64?.none
        case (.null, .bool): return Bool?.none
        case (.null, _): return String?.none
        case (.string(let s), .int):
            guard let number = Int64(s) else { throw RapportError.invalid("file", "\"\(s)\" stands where a number belongs; the file is damaged") }
            return number
        case (.string(let s), _): return s
        case (.int(let i), .bool): return i != 0
        case (.int(let i), _): return i
        case (.bool(let b), _): return b
        case (.array, _), (.object, _):
            let encoder = JSONEncoder()
            encoder.outputFormatting = .sortedKeys
            return String(decoding: try encoder.encode(value), as: UTF8.self)
        }
    }

    /// Search documents for the people, conversations and feedback added.
    func index(on db: any SQLDatabase) async throws {
        if let people = ids["people"]?.values, !people.isEmpty { try await PersonRows.reindex(Array(people), owner: owner, on: db) }
        for c in try await ConversationRows.load(Array(ids["conversations"]?.values ?? [:].values), owner: owner, on: db) {
            try await ConversationRows.index(c.id.rawValue, c.details, owner: owner, on: db)
        }
        for f in try await FeedbackRows.load(Array(ids["feedback"]?.values ?? [:].values), owner: owner, on: db) {
            try await FeedbackRows.index(f.id.rawValue, f.details, owner: owner, on: db)
        }
    }
}
