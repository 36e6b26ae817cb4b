import Foundation
import RapportCore
import SQLKit

/// Who is due, found in SQL from `people` alone: the cadence (the person's own, else their stage's from settings),
/// the latest direct conversation (`people.last_contact_at`, kept by triggers: migration 0012) and when they were
/// added.
///
/// A person with cadence `c` is due within `w` days when the day of their last contact, in the user's zone, plus `c`
/// is on or before today plus `w`: that is, when the moment of last contact is before the start of day
/// `today + w - c + 1` in the user's zone. That moment is worked out here once per distinct cadence (a few values),
/// so the comparison in SQL is exact in any zone, daylight-saving changes included, and needs no zone support from
/// the database. Only people due within the window come back, as light rows; the caller loads the ones it shows.
struct DueQuery: Sendable {
    let owner: AccountID
    let today: CalendarDay
    let zone: TimeZone
    let policy: CadencePolicy
    let within: Int

    /// A person due within the window, with their cadence status (`conversations` left at 0).
    struct Candidate: Sendable {
        let id: Int64
        let name: String
        let warmth: Int
        /// Their IANA zone as stored, if any (the call plan orders by it).
        let timeZone: String?
        /// Their business hours as stored (`09:00-18:00`), if any, and the day a pause after missed calls ends: the
        /// call plan decides from them, before loading anyone, who has no slot today.
        let hours: String?
        let pausedUntil: String?
        let status: CadenceStatus
    }

    /// People who can be called: active, not do-not-contact, owned by `owner`; read in table order on SQLite
    /// (``Owned/scanning(_:_:on:)``): the due test and the snoozed count read most of each row (the snoozed count:
    /// 17 ms through the owner index, 2 in table order, at 10,000 people).
    private func reachable(_ query: SQLSelectBuilder, on db: any SQLDatabase) -> SQLSelectBuilder {
        callable(query.from("people").where(Owned.scanning("people", owner, on: db)))
    }

    /// Only rows whose `people` row is active and not do-not-contact (a query that reads or joins `people`).
    private func callable(_ query: SQLSelectBuilder) -> SQLSelectBuilder {
        query.where(SQLColumn("archived", table: "people"), .equal, SQLBind(false))
            .where(SQLColumn("dnc_reason", table: "people"), .is, SQLLiteral.null)
    }

    /// The cadence in days of each row: `COALESCE(cadence_days, CASE stage WHEN … END)`; NULL when never due.
    private var cadence: any SQLExpression {
        let byStage = policy.byStage.sorted { $0.key.rawValue < $1.key.rawValue }
        guard !byStage.isEmpty else { return SQLColumn("cadence_days") }
        return SQLFunction("coalesce", args: SQLColumn("cadence_days"),
                           SQLCase(SQLColumn("stage"), byStage.map { (SQLBind($0.key.rawValue), SQLBind(Int64($0.value))) }))
    }

    /// Light rows of every reachable, unsnoozed person due within the window, with their exact status.
    func candidates(on db: any SQLDatabase) async throws -> [Candidate] {
        func people(_ query: SQLSelectBuilder) -> SQLSelectBuilder { reachable(query, on: db) }
        let own = try await people(db.select().distinct().column("cadence_days"))
            .where(SQLColumn("cadence_days"), .isNot, SQLLiteral.null)
            .all(decodingColumn: "cadence_days", as: Int64.self)
        let cadences = Set(own.map(Int.init)).union(policy.byStage.values).sorted()
        guard !cadences.isEmpty else { return [] }
        // The moment before which the last contact must fall, for each cadence.
        let before = SQLCase(cadence, cadences.map { days in
            (SQLBind(Int64(days)), SQLBind(Timestamp.string(today.adding(days: within - days + 1).moment(in: zone))))
        })
        let anchor = SQLFunction("coalesce", args: SQLColumn("last_contact_at"), SQLColumn("created_at"))
        let rows = try await people(db.select()
            .columns("id", "name", "warmth", "time_zone", "stage", "cadence_days", "created_at", "last_contact_at",
                     "business_hours", "paused_until"))
            .where(SQLGroupExpression(SQLBinaryExpression(
                SQLBinaryExpression(SQLColumn("snoozed_until"), .is, SQLLiteral.null), .or,
                SQLBinaryExpression(SQLColumn("snoozed_until"), .lessThanOrEqual, SQLBind(today.description)))))
            .where(anchor, .lessThan, before)
            .all()
        var stages: [String: Stage] = [:]
        return try rows.map { row in
            let own = try row.value("cadence_days", as: Int64.self).map(Int.init)
            let stageName = try row.decode(column: "stage", as: String.self)
            let stage = stages[stageName] ?? Stage(rawValue: stageName) ?? .other
            stages[stageName] = stage
            let cadence: (days: Int, source: CadenceSource)? = own.map { ($0, .person) } ?? policy.byStage[stage].map { ($0, .stage) }
            let created = try row.decode(column: "created_at", as: String.self)
            let status = CadenceStatus.of(
                cadence: cadence, lastContact: try row.value("last_contact_at", as: String.self).flatMap(Timestamp.date),
                createdAt: Timestamp.date(created) ?? .distantPast, conversations: 0, today: today, zone: zone)
            return Candidate(id: try row.decode(column: "id", as: Int64.self), name: try row.decode(column: "name", as: String.self),
                             warmth: Int(try row.decode(column: "warmth", as: Int64.self)),
                             timeZone: try row.value("time_zone", as: String.self),
                             hours: try row.value("business_hours", as: String.self),
                             pausedUntil: try row.value("paused_until", as: String.self), status: status)
        }
    }

    /// The candidates in `list` (indexes into it) sorted in the order of ``DueReport/precedes(_:_:)``, comparing
    /// small keys instead of moving whole rows.
    static func sorted(_ indexes: [Int], of list: [Candidate]) -> [Int] {
        let keys = list.map { (late: $0.status.daysOverdue ?? 0, warmth: $0.warmth, name: $0.name, id: PersonID($0.id)) }
        return indexes.sorted { DueReport.precedes(keys[$0], keys[$1]) }
    }

    /// Reachable people snoozed until after today.
    func snoozed(on db: any SQLDatabase) async throws -> Int {
        let count = try await reachable(db.select().column(SQLFunction("count", args: SQLLiteral.all), as: "n"), on: db)
            .where(SQLColumn("snoozed_until"), .greaterThan, SQLBind(today.description))
            .first(decodingColumn: "n", as: Int64.self)
        return Int(count ?? 0)
    }

    /// Open follow-ups due today or before, of reachable people (snoozed or not), latest first.
    func followUps(on db: any SQLDatabase) async throws -> [DueFollowUp] {
        let open = try await ConversationRows.loadFollowUps(owner: owner, on: db) { query in
            callable(query.where(SQLColumn("done_at", table: "followups"), .is, SQLLiteral.null)
                .where(SQLColumn("due_day", table: "followups"), .lessThanOrEqual, SQLBind(today.description)))
        }
        return DueReport.dueFollowUps(open, today: today)
    }
}

extension SQLRow {
    /// The column's value, nil for NULL: the same as decoding `T?`, without `Optional`'s generic decoding path, which
    /// costs more than the query for a few thousand rows.
    func value<T: Decodable>(_ column: String, as type: T.Type) throws -> T? {
        try decodeNil(column: column) ? nil : decode(column: column, as: T.self)
    }
}

/// `CASE operand WHEN value THEN result … END`, every value and result an expression (bound values, as a rule).
struct SQLCase: SQLExpression {
    let operand: any SQLExpression
    let cases: [(any SQLExpression, any SQLExpression)]

    init(_ operand: any SQLExpression, _ cases: [(any SQLExpression, any SQLExpression)]) {
        self.operand = operand
        self.cases = cases
    }

    func serialize(to serializer: inout SQLSerializer) {
        serializer.write("CASE ")
        operand.serialize(to: &serializer)
        for (value, result) in cases {
            serializer.write(" WHEN ")
            value.serialize(to: &serializer)
            serializer.write(" THEN ")
            result.serialize(to: &serializer)
        }
        serializer.write(" END")
    }
}
