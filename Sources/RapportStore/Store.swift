import AsyncKit
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import RapportCore
import SQLKit
import SQLiteKit
import Synchronization

/// The database behind Rapport: opens SQLite or PostgreSQL, runs migrations, and hands out repositories.
///
/// Every repository call takes the acting account and touches only that account's rows.
public final class Store: Sendable {
    public let location: DatabaseLocation
    public let dialect: Dialect
    /// The clock; injected so tests are deterministic.
    public let now: @Sendable () -> Date
    /// The IANA zones person details are checked against, read from the system once, when first needed.
    public var timeZones: TimeZoneCatalog { Self.systemCatalog }
    private static let systemCatalog = systemTimeZones()
    let pool: ConnectionPool
    public let logger: Logger

    private init(
        location: DatabaseLocation, dialect: Dialect, pool: ConnectionPool, logger: Logger,
        now: @escaping @Sendable () -> Date
    ) {
        self.location = location
        self.dialect = dialect
        self.pool = pool
        self.logger = logger
        self.now = now
    }

    /// The IANA zones this machine knows: Foundation's list plus the system tzdata's current names.
    static func systemTimeZones() -> TimeZoneCatalog {
        var names = TimeZone.knownTimeZoneIdentifiers
        if let data = FileManager.default.contents(atPath: "/usr/share/zoneinfo/tzdata.zi") {
            for line in String(decoding: data, as: UTF8.self).split(separator: "\n") where line.hasPrefix("Z ") || line.hasPrefix("L ") {
                let parts = line.split(separator: " ")
                if let name = parts.count >= 3 ? (line.hasPrefix("L ") ? parts[2] : parts[1]) : nil, name.contains("/") {
                    names.append(String(name))
                }
            }
        }
        // Both lists name zones this system has, so no name is loaded here (that cost ~30 ms per command).
        return TimeZoneCatalog(identifiers: Array(Set(names)), accepts: { TimeZone(identifier: $0) != nil })
    }

    /// Opens the database at `location`, creating it (privately) if needed, and brings its schema up to date.
    public static func open(
        _ location: DatabaseLocation, logger: Logger = Logger(label: "rapport.store"),
        now: @escaping @Sendable () -> Date = { Date() }
    ) async throws -> Store {
        let pool: ConnectionPool
        let dialect: Dialect
        switch location {
        case .sqlite(let path):
            try DatabaseIdentity.checkHeader(path: path)
            try PrivateFile.prepare(path: path)
            pool = .sqlite(.init(path: path, logger: logger))
            dialect = .sqlite
        case .sqliteInMemory:
            pool = .sqlite(.init(path: nil, logger: logger))
            dialect = .sqlite
        case .postgres(let url):
            let configuration: SQLPostgresConfiguration
            do {
                configuration = try SQLPostgresConfiguration(url: url)
            } catch {
                throw RapportError.invalid("database-url", "\"\(DatabaseLocation.redacted(url))\" is not a usable PostgreSQL URL; write postgres://user:password@host:5432/dbname")
            }
            pool = .postgres(.init(configuration: configuration, logger: logger))
            dialect = .postgres
        }
        let store = Store(location: location, dialect: dialect, pool: pool, logger: logger, now: now)
        do {
            try await store.withSession { db in
                var stamped = true
                if case .sqlite = dialect {
                    stamped = try await DatabaseIdentity.checkTables(db, path: location.displayName)
                    try await db.raw("PRAGMA journal_mode = WAL").run()
                    try await db.raw("PRAGMA synchronous = NORMAL").run()
                }
                try await Migrations.run(on: db, dialect: dialect, logger: logger, location: location.displayName)
                if !stamped { try await DatabaseIdentity.stamp(db) }  // only a new or older file is written
                try await TextKeys.refresh(on: db, dialect: dialect, logger: logger)
            }
        } catch let error as RapportError {
            await store.close()
            throw error
        } catch {
            await store.close()
            throw RapportError.storage("cannot open the database \(location.displayName): \(Store.describe(error))")
        }
        if case .sqlite(let path) = location { PrivateFile.restrict(path) }
        return store
    }

    /// Closes every connection. Call once, when done.
    public func close() async {
        await pool.shutdown()
    }

    /// Runs `body` on one connection, so its statements see each other.
    func withSession<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await pool.withDatabase(logger: logger, body)
    }

    /// Runs `body` in one transaction: all of it is stored, or none of it.
    /// With `rollingBack`, everything is worked out and nothing kept: a dry run that meets the very same checks.
    func transaction<R: Sendable>(rollingBack: Bool = false, _ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withSession { db in
            try await db.execute(sql: SQLRaw(dialect.beginTransaction)) { _ in }
            do {
                let result = try await body(db)
                try await db.raw(rollingBack ? "ROLLBACK" : "COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Runs `body`'s reads against one consistent moment of the database (see ``Dialect/beginSnapshot``), so an
    /// export or backup read table by table never pairs a row with another written after it.
    func snapshot<R: Sendable>(_ body: @Sendable (any SQLDatabase) async throws -> R) async throws -> R {
        try await withSession { db in
            try await db.execute(sql: SQLRaw(dialect.beginSnapshot)) { _ in }
            do {
                let result = try await body(db)
                try await db.raw("COMMIT").run()
                return result
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// The account of local mode, created on first use.
    public func localAccount() async throws -> AccountID {
        try await transaction { db in
            if let id = try await db.select().column("id").from("accounts")
                .where("name", .equal, "local").orderBy("id").limit(1)
                .first(decodingColumn: "id", as: Int64.self) {
                return AccountID(id)
            }
            return try await Self.insertAccount(named: "local", on: db, now: self.now())
        }
    }

    /// Creates another account (tests use one per case; the team server will create one per member).
    public func createAccount(named name: String) async throws -> AccountID {
        try await transaction { db in try await Self.insertAccount(named: name, on: db, now: self.now()) }
    }

    static func insertAccount(named name: String, on db: any SQLDatabase, now: Date) async throws -> AccountID {
        let id = try await db.insert(into: "accounts").columns("name", "created_at")
            .values(name, Timestamp.string(now))
            .returning("id").first(decodingColumn: "id", as: Int64.self)
        guard let id else { throw RapportError.storage("the database did not return the new account's id") }
        try await QuestionRows.seedStarters(owner: AccountID(id), now: now, on: db)
        return AccountID(id)
    }

    /// The moment to stamp on a write, to the second.
    func stamp() -> Date { Timestamp.truncate(now()) }

    public var people: PeopleRepository { PeopleRepository(store: self) }
    public var personas: PersonaRepository { PersonaRepository(store: self) }
    public var conversations: ConversationRepository { ConversationRepository(store: self) }
    public var followUps: FollowUpRepository { FollowUpRepository(store: self) }
    public var settings: SettingsRepository { SettingsRepository(store: self) }
    public var activity: ActivityRepository { ActivityRepository(store: self) }
    public var attempts: AttemptRepository { AttemptRepository(store: self) }
    public var campaigns: CampaignRepository { CampaignRepository(store: self) }
    public var outreach: OutreachRepository { OutreachRepository(store: self) }
    public var questions: QuestionRepository { QuestionRepository(store: self) }
    public var guides: GuideRepository { GuideRepository(store: self) }
    public var feedback: FeedbackRepository { FeedbackRepository(store: self) }
    public var themes: ThemeRepository { ThemeRepository(store: self) }
    public var requests: FeatureRequestRepository { FeatureRequestRepository(store: self) }
    public var hypotheses: HypothesisRepository { HypothesisRepository(store: self) }
    public var goals: GoalRepository { GoalRepository(store: self) }
    public var dashboard: DashboardRepository { DashboardRepository(store: self) }
    public var bulk: BulkRepository { BulkRepository(store: self) }
    public var companies: CompanyRepository { CompanyRepository(store: self) }
    public var reports: ReportRepository { ReportRepository(store: self) }
    public var imports: ImportRepository { ImportRepository(store: self) }

    /// A short, safe description of a driver error (never the connection URL or its password).
    static func describe(_ error: any Error) -> String {
        if let error = error as? RapportError { return error.message }
        // Driver errors hide their detail from `description`; `reflecting` has the server's message, never the URL.
        let text = String(reflecting: error)
        return text.count > 300 ? String(text.prefix(300)) + "…" : text
    }
}

/// The two kinds of connection pool, behind one interface.
enum ConnectionPool: Sendable {
    case sqlite(PoolBox<RapportSQLiteSource>)
    case postgres(PoolBox<PostgresConnectionSource>)

    func withDatabase<R: Sendable>(
        logger: Logger, _ body: @Sendable (any SQLDatabase) async throws -> R
    ) async throws -> R {
        switch self {
        case .sqlite(let box):
            let connection = try await box.pool.requestConnection(logger: logger).get()
            defer { box.pool.releaseConnection(connection) }
            return try await body(NormalizedTextDatabase(base: connection.sql()))
        case .postgres(let box):
            let connection = try await box.pool.requestConnection(logger: logger).get()
            defer { box.pool.releaseConnection(connection) }
            return try await body(NormalizedTextDatabase(base: connection.sql()))
        }
    }

    func shutdown() async {
        switch self {
        case .sqlite(let box): await box.shutdown()
        case .postgres(let box): await box.shutdown()
        }
    }
}

/// Holds an AsyncKit pool, which guards its own state with locks but is not marked `Sendable`.
final class PoolBox<Source: ConnectionPoolSource>: @unchecked Sendable {
    let pool: EventLoopGroupConnectionPool<Source>
    private let closed = Mutex(false)

    init(pool: EventLoopGroupConnectionPool<Source>) {
        self.pool = pool
    }

    /// Closes every connection, once.
    func shutdown() async {
        guard closed.withLock({ done in defer { done = true }; return !done }) else { return }
        try? await pool.shutdownAsync()
    }

    /// A store dropped on an error path without ``Store/close()`` (a failure between opening it and handing it
    /// over) still closes its connections, in the background, instead of tripping AsyncKit's check that the pool
    /// was shut down. After `close()` this does nothing.
    deinit {
        if !closed.withLock({ $0 }) { pool.shutdownGracefully { _ in } }
    }
}

extension PoolBox where Source == RapportSQLiteSource {
    /// One SQLite connection on one event loop: every use of the file is serialised, so transactions never interleave.
    convenience init(path: String?, logger: Logger) {
        let storage: SQLiteConfiguration.Storage = path.map { .file(path: $0) } ?? .memory
        let source = RapportSQLiteSource(base: SQLiteConnectionSource(configuration: .init(storage: storage, enableForeignKeys: true)))
        self.init(pool: EventLoopGroupConnectionPool(
            source: source, maxConnectionsPerEventLoop: 1, requestTimeout: .seconds(30), logger: logger,
            on: MultiThreadedEventLoopGroup.singleton.next()))
    }
}

extension PoolBox where Source == PostgresConnectionSource {
    convenience init(configuration: SQLPostgresConfiguration, logger: Logger) {
        self.init(pool: EventLoopGroupConnectionPool(
            source: PostgresConnectionSource(sqlConfiguration: configuration), maxConnectionsPerEventLoop: 2,
            requestTimeout: .seconds(30), logger: logger, on: MultiThreadedEventLoopGroup.singleton))
    }
}

/// SQLite connections that wait (up to 5 s) for another process's write instead of failing with "database is locked".
struct RapportSQLiteSource: ConnectionPoolSource {
    let base: SQLiteConnectionSource

    func makeConnection(logger: Logger, on eventLoop: any EventLoop) -> EventLoopFuture<SQLiteConnection> {
        base.makeConnection(logger: logger, on: eventLoop).flatMap { connection in
            connection.query("PRAGMA busy_timeout = 5000").map { _ in connection }
        }
    }
}
