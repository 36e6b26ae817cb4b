import RapportCore
import SQLKit

/// Everything that differs between SQLite and PostgreSQL lives here.
public enum Dialect: String, Sendable {
    case sqlite, postgres

    /// SQLite takes the write lock up front so two writers never deadlock on an upgrade.
    var beginTransaction: String {
        switch self {
        case .sqlite: return "BEGIN IMMEDIATE"
        case .postgres: return "BEGIN"
        }
    }

    /// Starts a read-only transaction that sees one moment of the database throughout, whatever others write
    /// meanwhile: SQLite's WAL gives a deferred transaction the snapshot of its first read; PostgreSQL needs
    /// REPEATABLE READ, as READ COMMITTED takes a new snapshot for each statement.
    var beginSnapshot: String {
        switch self {
        case .sqlite: return "BEGIN DEFERRED"
        case .postgres: return "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
        }
    }

    /// Serialises migrations between processes that open the same PostgreSQL database at once.
    var migrationLock: String? {
        switch self {
        case .sqlite: return nil
        case .postgres: return "SELECT pg_advisory_xact_lock(727277)"
        }
    }

    /// Makes writers to one account's circle take turns for the rest of the transaction, so two people added at
    /// once cannot both pass the duplicate check. SQLite's `BEGIN IMMEDIATE` already serialises every writer.
    func lockCircle(of owner: AccountID, on db: any SQLDatabase) async throws {
        guard self == .postgres else { return }
        try await db.execute(sql: SQLQueryString("SELECT pg_advisory_xact_lock(\(bind: 727_279_000_000_000 + owner.rawValue))")) { _ in }
    }

    /// The full-text index: one row per searchable thing (`kind`, `ref_id`), weighted heading > extra > body.
    var createSearchIndex: [String] {
        switch self {
        case .sqlite:
            return ["""
                CREATE VIRTUAL TABLE search_documents USING fts5(
                    kind UNINDEXED, ref_id UNINDEXED, owner_id UNINDEXED, heading, extra, body,
                    tokenize = 'unicode61 remove_diacritics 2')
                """]
        case .postgres:
            return ["""
                CREATE TABLE search_documents (
                    kind TEXT NOT NULL,
                    ref_id BIGINT NOT NULL,
                    owner_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                    heading TEXT NOT NULL,
                    extra TEXT NOT NULL,
                    body TEXT NOT NULL,
                    document tsvector GENERATED ALWAYS AS (
                        setweight(to_tsvector('simple', heading), 'A') ||
                        setweight(to_tsvector('simple', extra), 'B') ||
                        setweight(to_tsvector('simple', body), 'C')) STORED,
                    PRIMARY KEY (kind, ref_id))
                """,
                "CREATE INDEX search_documents_document ON search_documents USING GIN (document)",
                "CREATE INDEX search_documents_owner ON search_documents (owner_id, kind)",
            ]
        }
    }

    /// The query text for the index, built from sanitised words only (letters and digits), each as a prefix.
    ///
    /// The result is bound as a value, never spliced into SQL.
    func searchQuery(_ words: [String]) -> String {
        switch self {
        case .sqlite: return words.map { "\"\($0)\"*" }.joined(separator: " ")
        case .postgres: return words.map { "\($0):*" }.joined(separator: " & ")
        }
    }

    /// `ref_id`s of documents of `kind` owned by `owner` that match all `words`, best first.
    func search(
        _ words: [String], kind: String, owner: AccountID, limit: Int, on db: any SQLDatabase
    ) async throws -> [Int64] {
        let query = searchQuery(words)
        switch self {
        case .sqlite:
            return try await db.select().column("ref_id")
                .from("search_documents")
                .where(SQLIdentifier("search_documents"), SQLRaw("MATCH"), SQLBind(query))
                .where("owner_id", .equal, owner.rawValue)
                .where("kind", .equal, kind)
                .orderBy(SQLRaw("bm25(search_documents, 0.0, 0.0, 0.0, 10.0, 4.0, 1.0)"))
                .limit(limit)
                .all(decodingColumn: "ref_id", as: Int64.self)
        case .postgres:
            let tsquery = SQLFunction("to_tsquery", args: [SQLLiteral.string("simple"), SQLBind(query)])
            return try await db.select().column("ref_id")
                .from("search_documents")
                .where(SQLIdentifier("document"), SQLRaw("@@"), tsquery)
                .where("owner_id", .equal, owner.rawValue)
                .where("kind", .equal, kind)
                .orderBy(SQLFunction("ts_rank", args: [SQLIdentifier("document"), tsquery]), SQLDirection.descending)
                .limit(limit)
                .all(decodingColumn: "ref_id", as: Int64.self)
        }
    }
}

/// Keeps the full-text index in step with what it indexes. Call inside the write's transaction.
///
/// Text is stored as its index words (``SearchText``: keyed, CJK runs as overlapping pairs), separated by spaces, so
/// SQLite's FTS5 and PostgreSQL's `simple` configuration split it into the very same tokens, and a query made of
/// the same words finds the same rows on both.
enum SearchIndex {
    static func replace(
        kind: String, id: Int64, owner: AccountID, heading: String, extra: String, body: String, fresh: Bool = false,
        on db: any SQLDatabase
    ) async throws {
        if !fresh { try await remove(kind: kind, id: id, on: db) }
        var columns: [String] = ["kind", "ref_id", "owner_id", "heading", "extra", "body"]
        var values: [any Encodable & Sendable] = [kind, id, owner.rawValue, SearchText.indexed(heading), SearchText.indexed(extra), SearchText.indexed(body)]
        if let rowid = rowid(kind: kind, id: id, on: db) {
            columns.insert("rowid", at: 0)
            values.insert(rowid, at: 0)
        }
        try await db.insert(into: "search_documents").columns(columns).values(values).run()
    }

    static func remove(kind: String, id: Int64, on db: any SQLDatabase) async throws {
        if let rowid = rowid(kind: kind, id: id, on: db) {
            try await db.delete(from: "search_documents").where("rowid", .equal, rowid).run()
        } else {
            try await db.delete(from: "search_documents").where("kind", .equal, kind).where("ref_id", .equal, id).run()
        }
    }

    /// On SQLite, the document's rowid, made from what it indexes: FTS5 finds a row by its rowid at once, but by any
    /// other column only by reading the whole index, which made every write slower as the circle grew (an import of
    /// 100,000 people never finished). PostgreSQL's primary key (kind, ref_id) is an index already: nil there.
    static func rowid(kind: String, id: Int64, on db: any SQLDatabase) -> Int64? {
        guard db.dialect.name == "sqlite" else { return nil }
        let code: Int64
        switch kind {
        case "person": code = 1
        case "conversation": code = 2
        case "feedback": code = 3
        default: preconditionFailure("no rowid scheme for search documents of kind \(kind)")
        }
        return id * 4 + code
    }

    /// The index words of a search; refused when there are none.
    static func query(_ text: String) throws -> [String] {
        let words = words(text)
        guard !words.isEmpty else {
            throw RapportError.invalid("query", "type at least one letter or digit to search for")
        }
        return words
    }

    /// Splits what a person typed into index words, exactly as stored text is split (``SearchText/words(_:)``), so
    /// both databases match "sudwind" to "Südwind" and "小明" to "王小明"; at most 12.
    static func words(_ text: String) -> [String] {
        var seen = Set<String>()
        return Array(SearchText.words(text).filter { seen.insert($0).inserted }.prefix(12))
    }
}

extension Dialect {
    /// `haystack` contains `needle` (bound), without LIKE's wildcards to escape.
    func contains(_ haystack: any SQLExpression, _ needle: String) -> any SQLExpression {
        switch self {
        case .sqlite:
            return SQLBinaryExpression(SQLFunction("instr", args: [haystack, SQLBind(needle)]), .greaterThan, SQLLiteral.numeric("0"))
        case .postgres:
            return SQLBinaryExpression(SQLFunction("strpos", args: [haystack, SQLBind(needle)]), .greaterThan, SQLLiteral.numeric("0"))
        }
    }
}

/// Owner scoping for queries whose selective filter is a list of keys (`id IN (...)`).
enum Owned {
    /// `+table.owner_id = owner`: the unary plus keeps SQLite from walking an `(owner_id, ...)` index over the whole
    /// account when the key list is what narrows the rows; PostgreSQL reads it as the same comparison. `table` is
    /// always a name from this code, never user input.
    static func by(_ table: String, _ owner: AccountID) -> any SQLExpression {
        SQLBinaryExpression(SQLRaw("+\(table).owner_id"), .equal, SQLBind(owner.rawValue))
    }
}
