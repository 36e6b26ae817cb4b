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
        try await db.execute(sql: SQLQueryString("SELECT pg_advisory_xact_lock(\(bind: Self.circleLockBase + owner.rawValue))")) { _ in }
    }

    /// The advisory lock key of account 0 (``lockCircle(of:on:)`` adds the account's id); the theme figure triggers
    /// take the same lock (migration 0016).
    static let circleLockBase: Int64 = 727_279_000_000_000

    /// The full-text index as migration 0001 made it: one table of every searchable thing (`kind`, `ref_id`). Kept
    /// for that step, which never changes; migration 0013 replaces it with one table per kind (``SearchKind``).
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

    /// Ids of the `kind` owned by `owner` whose documents match all `words`, in `order`: best first (heading over
    /// extra over body, equal ranks by id, so pages do not overlap) or newest first (by id, the order they were
    /// written); `limit` of them after passing over `offset`. Reads only that kind's index (``SearchKind/table``).
    ///
    /// Ranking scores every match before the first is returned (a word in half of 100,000 conversations: 107 ms in
    /// the sqlite3 CLI); newest first walks the index's own order and stops at `limit` (6 ms).
    func search(
        _ words: [String], kind: SearchKind, owner: AccountID, limit: Int, offset: Int = 0, order: SearchOrder = .relevance,
        on db: any SQLDatabase
    ) async throws -> [Int64] {
        try Paging.check(offset: offset)
        let query = searchQuery(words)
        let key = kind.key(self)
        var select = db.select().column(SQLColumn(key), as: "ref_id").from(kind.table)
        switch self {
        case .sqlite:
            select = select.where(SQLIdentifier(kind.table), SQLRaw("MATCH"), SQLBind(query)).where("owner_id", .equal, owner.rawValue)
            if order == .relevance {
                select = select.orderBy(SQLFunction("bm25", args: SQLIdentifier(kind.table), SQLRaw("0.0"), SQLRaw("10.0"), SQLRaw("4.0"), SQLRaw("1.0")))
            }
        case .postgres:
            let tsquery = SQLFunction("to_tsquery", args: [SQLLiteral.string("simple"), SQLBind(query)])
            select = select.where(SQLIdentifier("document"), SQLRaw("@@"), tsquery).where("owner_id", .equal, owner.rawValue)
            if order == .relevance {
                select = select.orderBy(SQLFunction("ts_rank", args: [SQLIdentifier("document"), tsquery]), SQLDirection.descending)
            }
        }
        return try await select.orderBy(SQLColumn(key), order == .relevance ? SQLDirection.ascending : SQLDirection.descending)
            .limit(max(0, limit)).offset(offset)
            .all(decodingColumn: "ref_id", as: Int64.self)
    }
}

/// The order of search results.
public enum SearchOrder: Sendable, Equatable {
    /// Best match first.
    case relevance
    /// The most recently written first (by id).
    case newest
}

/// What the full-text index holds, one table per kind, each keyed by the indexed row's own id (migration 0013):
/// a write replaces one document by its key, and a search reads one kind's documents only.
///
/// - SQLite: an FTS5 table whose `rowid` is the row's id, columns `owner_id` (unindexed), `heading`, `extra`, `body`.
/// - PostgreSQL: a table whose `id` is the row's id (deleted with the row), with a generated, GIN-indexed `tsvector`
///   weighted heading (A) > extra (B) > body (C).
public enum SearchKind: String, Sendable, CaseIterable {
    case person, conversation, feedback

    /// The index table: `search_people`, `search_conversations` or `search_feedback`.
    var table: String {
        switch self {
        case .person: return "search_people"
        case .conversation: return "search_conversations"
        case .feedback: return "search_feedback"
        }
    }

    /// The column holding the indexed row's id: FTS5's own `rowid` on SQLite, `id` on PostgreSQL.
    func key(_ dialect: Dialect) -> String { dialect == .sqlite ? "rowid" : "id" }
}

/// Keeps the full-text index in step with what it indexes. Call inside the write's transaction.
///
/// Text is stored as its index words (``SearchText``: keyed, CJK runs as overlapping pairs), separated by spaces, so
/// SQLite's FTS5 and PostgreSQL's `simple` configuration split it into the very same tokens, and a query made of
/// the same words finds the same rows on both.
enum SearchIndex {
    /// Writes the document of row `id` of `kind`, replacing the one it had (`fresh`: it has none yet).
    static func replace(
        kind: SearchKind, id: Int64, owner: AccountID, heading: String, extra: String, body: String, fresh: Bool = false,
        on db: any SQLDatabase
    ) async throws {
        if !fresh { try await remove(kind: kind, id: id, on: db) }
        try await db.insert(into: kind.table)
            .columns(kind.key(Dialect(db)), "owner_id", "heading", "extra", "body")
            .values(id, owner.rawValue, SearchText.indexed(heading), SearchText.indexed(extra), SearchText.indexed(body))
            .run()
    }

    /// Writes the documents of new rows of `kind` (none indexed yet), many to a statement.
    static func insertMany(kind: SearchKind, _ documents: [(id: Int64, document: SearchDocument)], owner: AccountID, on db: any SQLDatabase) async throws {
        for chunk in documents.chunked(by: 1_000) {
            var insert = db.insert(into: kind.table).columns(kind.key(Dialect(db)), "owner_id", "heading", "extra", "body")
            for (id, d) in chunk {
                insert = insert.values(id, owner.rawValue, SearchText.indexed(d.heading), SearchText.indexed(d.extra), SearchText.indexed(d.body))
            }
            try await insert.run()
        }
    }

    /// Removes the document of row `id` of `kind`: one look-up by its key.
    static func remove(kind: SearchKind, id: Int64, on db: any SQLDatabase) async throws {
        try await db.delete(from: kind.table).where(SQLColumn(kind.key(Dialect(db))), .equal, SQLBind(id)).run()
    }

    /// Removes every document of `owner` (a restore over their circle).
    static func removeAll(owner: AccountID, on db: any SQLDatabase) async throws {
        for kind in SearchKind.allCases {
            try await db.delete(from: kind.table).where("owner_id", .equal, owner.rawValue).run()
        }
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
    /// The dialect of a session.
    init(_ db: any SQLDatabase) {
        self = db.dialect.name == "sqlite" ? .sqlite : .postgres
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

    /// The account's rows for a question about most of each row (the due test, birthdays, a count over a column
    /// without an index): on SQLite read in table order (``by(_:_:)``), which costs less than walking the
    /// `(owner_id, …)` index and looking up every row (birthdays at 10,000 people: 1 to 3 ms against 7 to 12);
    /// PostgreSQL, where a team's accounts share the table, keeps the owner index (`table.owner_id = owner`).
    static func scanning(_ table: String, _ owner: AccountID, on db: any SQLDatabase) -> any SQLExpression {
        db.dialect.name == "sqlite" ? by(table, owner) : SQLBinaryExpression(SQLColumn("owner_id", table: table), .equal, SQLBind(owner.rawValue))
    }
}

/// The text of one search document: heading (weighted most), extra, body.
struct SearchDocument: Sendable, Equatable {
    var heading: String
    var extra: String
    var body: String
}

extension Array {
    /// The array cut in runs of at most `size` (bound parameters per statement are limited).
    func chunked(by size: Int) -> [ArraySlice<Element>] {
        stride(from: 0, to: count, by: Swift.max(size, 1)).map { self[$0..<Swift.min($0 + size, count)] }
    }
}
