import Foundation
import Logging
import RapportCore
import SQLKit

/// Keeps what is stored in step with ``TextIdentity``: every text in NFC, every matching key made by
/// ``TextIdentity/key(_:)`` (emails by ``TextIdentity/emailKey(_:)``, phones by ``PhoneNumber/key(_:)``), and the
/// search index made by ``SearchText``.
///
/// Not a schema step: the keys are computed in Swift, so this runs after the migrations whenever the database was
/// keyed with another ``TextIdentity/version`` (older databases, and each time the identity changes), all in one
/// transaction: a killed run leaves the database as it was, and the next open does it again.
enum TextKeys {
    static let versionKey = "text-identity"

    /// Brings stored text, keys and the search index to the current ``TextIdentity/version``; a no-op (one read)
    /// when they are there already.
    static func refresh(on session: any SQLDatabase, dialect: Dialect, logger: Logger) async throws {
        // The raw session: old rows are found by their text as stored, not as it would be normalised.
        let db = NormalizedTextDatabase.unwrapped(session)
        guard try await storedVersion(db) != TextIdentity.version else { return }
        try await db.execute(sql: SQLRaw(dialect.beginTransaction)) { _ in }
        do {
            if let lock = dialect.migrationLock { try await db.execute(sql: SQLRaw(lock)) { _ in } }
            if try await storedVersion(db) != TextIdentity.version {
                logger.info("keying stored text", metadata: ["version": "\(TextIdentity.version)"])
                try await rekey(db)
                try await normaliseText(db, dialect: dialect)
                try await SearchIndex.rebuild(on: db)
                try await db.delete(from: "rapport_meta").where("key", .equal, versionKey).run()
                try await db.insert(into: "rapport_meta").columns("key", "value").values(versionKey, String(TextIdentity.version)).run()
            }
            try await db.raw("COMMIT").run()
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    static func storedVersion(_ db: any SQLDatabase) async throws -> Int? {
        try await db.select().column("value").from("rapport_meta").where("key", .equal, versionKey)
            .first(decodingColumn: "value", as: String.self).flatMap { Int($0) }
    }

    // MARK: Keys

    /// A key column and the column it is made from.
    struct KeyColumn: Sendable {
        let table: String
        let source: String
        let key: String
        let make: @Sendable (String) -> String
        /// Unique per owner: rows whose new keys meet are merged (``merge``) or told apart by their id.
        let unique: Bool
        var merge: Merge?
    }

    /// How two rows whose names now share a key become one: a company, tag or theme spelt two ways is one thing.
    enum Merge: Sendable {
        case company, tag, theme
    }

    static let columns: [KeyColumn] = [
        KeyColumn(table: "people", source: "name", key: "name_key", make: TextIdentity.key, unique: false),
        KeyColumn(table: "person_phones", source: "value", key: "digits", make: PhoneNumber.key, unique: false),
        KeyColumn(table: "person_emails", source: "value", key: "value_key", make: TextIdentity.emailKey, unique: true),
        KeyColumn(table: "companies", source: "name", key: "name_key", make: TextIdentity.key, unique: true, merge: .company),
        KeyColumn(table: "tags", source: "name", key: "name_key", make: TextIdentity.key, unique: true, merge: .tag),
        KeyColumn(table: "themes", source: "name", key: "name_key", make: TextIdentity.key, unique: true, merge: .theme),
        KeyColumn(table: "personas", source: "name", key: "name_key", make: TextIdentity.key, unique: true),
        KeyColumn(table: "campaigns", source: "name", key: "name_key", make: TextIdentity.key, unique: true),
        KeyColumn(table: "guides", source: "name", key: "name_key", make: TextIdentity.key, unique: true),
        KeyColumn(table: "questions", source: "text", key: "text_key", make: TextIdentity.key, unique: true),
        KeyColumn(table: "feature_requests", source: "title", key: "title_key", make: TextIdentity.key, unique: true),
    ]

    static func rekey(_ db: any SQLDatabase) async throws {
        for column in columns { try await rekey(column, on: db) }
        try await rekeyContactFlags(db)
    }

    private struct KeyRow {
        let id: Int64
        let owner: Int64
        let old: String
        let new: String
    }

    private static func rekey(_ c: KeyColumn, on db: any SQLDatabase) async throws {
        let rows = try await db.select().column("id").column("owner_id").column(SQLIdentifier(c.source)).column(SQLIdentifier(c.key))
            .from(c.table).orderBy("id").all().map { row in
                KeyRow(id: try row.decode(column: "id", as: Int64.self), owner: try row.decode(column: "owner_id", as: Int64.self),
                       old: try row.decode(column: c.key, as: String.self), new: c.make(try row.decode(column: c.source, as: String.self)))
            }
        var targets: [(id: Int64, old: String, new: String)] = []
        if c.unique {
            // Keys are compared as the database compares them: byte for byte (Swift's == would equate NFC and NFD).
            var keeper: [[UInt8]: Int64] = [:]
            for row in rows {
                let slot = Array("\(row.owner)|\(row.new)".utf8)
                guard let first = keeper[slot] else {
                    keeper[slot] = row.id
                    targets.append((row.id, row.old, row.new))
                    continue
                }
                if let merge = c.merge {
                    try await fold(row.id, into: first, merge, on: db)
                } else {
                    targets.append((row.id, row.old, "\(row.new) #\(row.id)"))
                }
            }
        } else {
            targets = rows.map { ($0.id, $0.old, $0.new) }
        }
        let changed = targets.filter { !$0.old.utf8.elementsEqual($0.new.utf8) }
        if c.unique {
            // Through a key no row can have, so no row's new key meets another's old one on the way.
            for row in changed {
                try await db.update(c.table).set(SQLIdentifier(c.key), to: SQLBind("\u{1}\(row.id)")).where("id", .equal, row.id).run()
            }
        }
        for row in changed {
            try await db.update(c.table).set(SQLIdentifier(c.key), to: SQLBind(row.new)).where("id", .equal, row.id).run()
        }
    }

    /// Makes row `duplicate` part of row `keeper` and deletes it.
    private static func fold(_ duplicate: Int64, into keeper: Int64, _ merge: Merge, on db: any SQLDatabase) async throws {
        switch merge {
        case .company:
            for table in ["people", "conversations"] {
                try await db.update(table).set("company_id", to: keeper).where("company_id", .equal, duplicate).run()
            }
            let rows = try await db.select().columns("id", "industry", "shareable").from("companies").where("id", .in, [keeper, duplicate]).all()
            var industry: String?
            var shareable = false
            for id in [keeper, duplicate] {
                guard let row = try rows.first(where: { try $0.decode(column: "id", as: Int64.self) == id }) else { continue }
                let theirs = try row.value("industry", as: String.self)
                if industry == nil { industry = theirs }
                if try row.decode(column: "shareable", as: Bool.self) { shareable = true }
            }
            try await db.update("companies").set("industry", to: industry).set("shareable", to: shareable).where("id", .equal, keeper).run()
            try await db.delete(from: "companies").where("id", .equal, duplicate).run()
        case .tag:
            try await foldLinks("person_tags", owner: "person_id", link: "tag_id", duplicate, into: keeper, on: db)
            try await db.delete(from: "tags").where("id", .equal, duplicate).run()
        case .theme:
            try await foldLinks("feedback_themes", owner: "feedback_id", link: "theme_id", duplicate, into: keeper, on: db)
            try await db.delete(from: "themes").where("id", .equal, duplicate).run()
        }
    }

    /// Moves the links of `duplicate` to `keeper`, dropping those whose row already links to `keeper`.
    private static func foldLinks(
        _ table: String, owner: String, link: String, _ duplicate: Int64, into keeper: Int64, on db: any SQLDatabase
    ) async throws {
        try await db.delete(from: table).where(SQLIdentifier(link), .equal, SQLBind(duplicate))
            .where(SQLIdentifier(owner), .in, SQLSubquery.select { $0.column(SQLIdentifier(owner)).from(table).where(SQLIdentifier(link), .equal, SQLBind(keeper)) })
            .run()
        try await db.update(table).set(SQLIdentifier(link), to: SQLBind(keeper)).where(SQLIdentifier(link), .equal, SQLBind(duplicate)).run()
    }

    /// Bad-contact marks are keyed by person, kind and the key of the value; two marks that now share a key are one.
    private static func rekeyContactFlags(_ db: any SQLDatabase) async throws {
        let rows = try await db.select().columns("person_id", "kind", "value_key").from("contact_flags").all()
        var kept = Set<[UInt8]>()
        for row in rows {
            let person = try row.decode(column: "person_id", as: Int64.self)
            let kind = try row.decode(column: "kind", as: String.self)
            let old = try row.decode(column: "value_key", as: String.self)
            let new = kind == "phone" ? PhoneNumber.key(old) : TextIdentity.emailKey(old)
            guard kept.insert(Array("\(person)|\(kind)|\(new)".utf8)).inserted else {
                try await db.delete(from: "contact_flags").where("person_id", .equal, person).where("kind", .equal, kind)
                    .where("value_key", .equal, old).run()
                continue
            }
            if !old.utf8.elementsEqual(new.utf8) {
                try await db.update("contact_flags").set("value_key", to: new).where("person_id", .equal, person)
                    .where("kind", .equal, kind).where("value_key", .equal, old).run()
            }
        }
    }

    // MARK: NFC

    /// Rewrites every stored text in NFC: each text column of each table (the search index aside, which is rebuilt).
    static func normaliseText(_ db: any SQLDatabase, dialect: Dialect) async throws {
        for (table, column) in try await textColumns(db, dialect: dialect) {
            let values = try await db.select().distinct().column(SQLIdentifier(column)).from(SQLIdentifier(table))
                .where(SQLIdentifier(column), .isNot, SQLLiteral.null)
                .all(decodingColumn: column, as: String.self)
            for value in values where !value.utf8.allSatisfy({ $0 < 0x80 }) {
                let nfc = TextIdentity.nfc(value)
                guard !nfc.utf8.elementsEqual(value.utf8) else { continue }
                try await db.update(SQLIdentifier(table)).set(SQLIdentifier(column), to: SQLBind(nfc))
                    .where(SQLIdentifier(column), .equal, SQLBind(value)).run()
            }
        }
    }

    /// The text columns of Rapport's tables, read from the database itself so a column added later is never missed.
    static func textColumns(_ db: any SQLDatabase, dialect: Dialect) async throws -> [(String, String)] {
        func kept(_ table: String) -> Bool {
            !table.hasPrefix("sqlite_") && !table.hasPrefix("search_") && !table.hasPrefix("rapport_")
        }
        switch dialect {
        case .sqlite:
            let tables = try await db.select().column("name").from("sqlite_master").where("type", .equal, "table")
                .orderBy("name").all(decodingColumn: "name", as: String.self).filter(kept)
            var out: [(String, String)] = []
            for table in tables {
                let rows = try await db.select().column("name").column("type")
                    .from(SQLFunction("pragma_table_info", args: SQLBind(table))).all()
                for row in rows where try row.decode(column: "type", as: String.self).uppercased() == "TEXT" {
                    out.append((table, try row.decode(column: "name", as: String.self)))
                }
            }
            return out
        case .postgres:
            let rows = try await db.select().column("table_name").column("column_name").from(SQLRaw("information_schema.columns"))
                .where(SQLIdentifier("table_schema"), .equal, SQLFunction("current_schema"))
                .where("data_type", .equal, "text")
                .orderBy("table_name").orderBy("column_name").all()
            return try rows.map { (try $0.decode(column: "table_name", as: String.self), try $0.decode(column: "column_name", as: String.self)) }
                .filter { kept($0.0) }
        }
    }
}
