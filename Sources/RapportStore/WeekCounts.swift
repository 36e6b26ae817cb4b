import Foundation
import RapportCore
import SQLKit

/// Direct conversations (second-hand reports left out) counted per ISO week of the user's zone, in SQL.
///
/// Each week's edges are worked out here, in Swift: the start of its Monday in `zone`, daylight saving included, as
/// a stored timestamp. The database counts each week's range of the `conversations_owner_time_kind` index (migration
/// 0014) without reading a row, so the week a conversation falls in is the one `ISOWeek(CalendarDay(date, in: zone))`
/// gives, and nothing is decoded row by row.
///
/// Each week is its own count (a correlated subquery for totals, one `GROUP BY kind` a week for kinds) rather than
/// one join grouped by week: the join sorted every conversation of the period through a temporary B-tree, about four
/// times the cost of the counts (98 against 24 ms for a year of 100,000 conversations in the sqlite3 CLI).
enum WeekCounts {
    /// Weeks per statement: totals bind 3 values a week, kinds 4, under SQLite's 32,766 and PostgreSQL's 65,535.
    static let weeksPerStatement = 500

    /// The weeks `first` through `last`, each with its start and end as stored timestamps (the last one ending at
    /// `now`: stored times are whole seconds, so the week that holds it ends a second later).
    private static func edges(from first: ISOWeek, through last: ISOWeek, now: Date, zone: TimeZone) -> [(week: ISOWeek, start: String, end: String)] {
        let cutoff = Date(timeIntervalSince1970: (now.timeIntervalSince1970).rounded(.down) + 1)
        var weeks: [(ISOWeek, String, String)] = []
        var week = first
        while week <= last {
            weeks.append((week, Timestamp.string(week.monday.moment(in: zone)),
                          Timestamp.string(min(week.monday.adding(days: 7).moment(in: zone), cutoff))))
            week = week.adding(weeks: 1)
        }
        return weeks
    }

    /// `week: conversations` for the weeks `first` through `last`, of conversations up to `now`; weeks without a
    /// conversation are left out.
    ///
    /// With `atMost`, each week is counted only up to that many (`LIMIT` inside the week's count): whether a week
    /// made the streak's minimum is all the streak asks of the weeks before this one, and a capped count stops at the
    /// minimum instead of counting every conversation of the week.
    static func totals(owner: AccountID, from first: ISOWeek, through last: ISOWeek, now: Date, zone: TimeZone,
                       atMost: Int? = nil, on db: any SQLDatabase) async throws -> [ISOWeek: Int] {
        guard first <= last else { return [:] }
        let weeks = edges(from: first, through: last, now: now, zone: zone)
        var counts: [ISOWeek: Int] = [:]
        for slice in weeks.chunked(by: weeksPerStatement) {
            let base = slice.startIndex
            var sql: SQLQueryString = "SELECT w.column1 AS week, (SELECT COUNT(*) FROM "
            sql += atMost == nil ? "conversations c WHERE" : "(SELECT 1 FROM conversations c WHERE"
            sql += " c.owner_id = \(bind: owner.rawValue) AND c.occurred_at >= w.column2 AND c.occurred_at < w.column3"
            sql += " AND c.kind <> \(bind: ConversationKind.secondhand.rawValue)"
            if let atMost { sql += " LIMIT \(bind: Int64(max(atMost, 1)))) AS capped" }
            sql += ") AS n FROM (VALUES "
            for (index, week) in slice.enumerated() {
                if index > 0 { sql += ", " }
                sql += "(\(bind: Int64(index)), \(bind: week.start), \(bind: week.end))"
            }
            sql += ") AS w"
            for row in try await db.raw(sql).all() {
                let index = base + Int(try row.decode(column: "week", as: Int64.self))
                let n = try row.decode(column: "n", as: Int.self)
                if n > 0, weeks.indices.contains(index) { counts[weeks[index].week] = n }
            }
        }
        return counts
    }

    /// `week: [kind: conversations]` for the weeks `first` through `last`, of conversations up to `now`; weeks
    /// without a conversation are left out.
    static func kinds(owner: AccountID, from first: ISOWeek, through last: ISOWeek, now: Date, zone: TimeZone,
                      on db: any SQLDatabase) async throws -> [ISOWeek: [ConversationKind: Int]] {
        guard first <= last else { return [:] }
        let weeks = edges(from: first, through: last, now: now, zone: zone)
        var counts: [ISOWeek: [ConversationKind: Int]] = [:]
        for slice in weeks.chunked(by: weeksPerStatement) {
            let base = slice.startIndex
            var sql: SQLQueryString = ""
            for (index, week) in slice.enumerated() {
                if index > 0 { sql += " UNION ALL " }
                sql += "SELECT \(bind: Int64(index)) AS week, kind, COUNT(*) AS n FROM conversations WHERE owner_id = \(bind: owner.rawValue)"
                sql += " AND occurred_at >= \(bind: week.start) AND occurred_at < \(bind: week.end)"
                sql += " AND kind <> \(bind: ConversationKind.secondhand.rawValue) GROUP BY kind"
            }
            for row in try await db.raw(sql).all() {
                let index = base + Int(try row.decode(column: "week", as: Int64.self))
                guard weeks.indices.contains(index), let kind = ConversationKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
                counts[weeks[index].week, default: [:]][kind, default: 0] += try row.decode(column: "n", as: Int.self)
            }
        }
        return counts
    }

    /// The weekly streak of direct conversations up to `now`, each week of `zone` made when it holds at least
    /// `minimum`: every week from the one of the first direct conversation counted only up to `minimum` (see
    /// ``totals(owner:from:through:now:zone:atMost:on:)``), and the week holding `now` counted in full (it is shown).
    static func streak(owner: AccountID, minimum: Int, now: Date, zone: TimeZone, on db: any SQLDatabase) async throws -> Streak {
        let first = try await db.select().column(SQLFunction("min", args: SQLColumn("occurred_at")), as: "first").from("conversations")
            .where("owner_id", .equal, owner.rawValue).where("kind", .notEqual, ConversationKind.secondhand.rawValue)
            .where("occurred_at", .lessThanOrEqual, Timestamp.string(now))
            .first(decodingColumn: "first", as: String?.self) ?? nil
        var counts: [ISOWeek: Int] = [:]
        if let first, let date = Timestamp.date(first) {
            let thisWeek = ISOWeek(CalendarDay(now, in: zone))
            counts = try await totals(owner: owner, from: ISOWeek(CalendarDay(date, in: zone)), through: thisWeek,
                                      now: now, zone: zone, atMost: minimum, on: db)
            counts[thisWeek] = try await totals(owner: owner, from: thisWeek, through: thisWeek, now: now, zone: zone, on: db)[thisWeek]
        }
        return Streak.of(counts: counts, minimum: minimum, now: now, zone: zone)
    }
}

/// When each persona was last heard from, in one grouped query: the latest direct conversation, up to `now`, with
/// anyone of the persona. `people.last_contact_at` (migration 0012) answers for everyone whose latest conversation
/// is not in the future; for the rare person with a conversation logged ahead, their latest one up to `now` is looked
/// up in `conversation_people`.
enum PersonaLastHeard {
    static func of(owner: AccountID, now: Date, on db: any SQLDatabase) async throws -> [String: Date] {
        let at = Timestamp.string(now)
        var sql: SQLQueryString = "SELECT pe.name AS persona, MAX(CASE WHEN p.last_contact_at <= \(bind: at) THEN p.last_contact_at"
        sql += " ELSE (SELECT MAX(cp.occurred_at) FROM conversation_people cp WHERE cp.owner_id = \(bind: owner.rawValue)"
        sql += " AND cp.person_id = p.id AND cp.kind <> \(bind: ConversationKind.secondhand.rawValue) AND cp.occurred_at <= \(bind: at)) END) AS last"
        sql += " FROM personas pe JOIN person_personas pp ON pp.persona_id = pe.id JOIN people p ON p.id = pp.person_id"
        // On SQLite the account's people are read in table order (`+p.owner_id`), not through the owner index with a
        // row lookup each (12 against 24 ms for 10,000 people); PostgreSQL keeps the index, as the due query does.
        sql += db.dialect.name == "sqlite" ? " WHERE +p.owner_id = " : " WHERE p.owner_id = "
        sql += "\(bind: owner.rawValue) AND pe.owner_id = \(bind: owner.rawValue) AND p.last_contact_at IS NOT NULL"
        sql += " GROUP BY pe.id, pe.name"
        return try await read(sql, on: db)
    }

    /// When each persona was last heard before `before` (exclusive) in any conversation, second-hand reports
    /// included (as the report counts conversations), in one grouped query over the
    /// `conversation_people_history` index.
    static func any(owner: AccountID, before: Date, on db: any SQLDatabase) async throws -> [String: Date] {
        // Each person's latest before `before` is one seek of the index (SQLite's and PostgreSQL's MAX over an index
        // range), not a scan of every conversation of the persona's people.
        var sql: SQLQueryString = "SELECT pe.name AS persona, MAX((SELECT MAX(cp.occurred_at) FROM conversation_people cp"
        sql += " WHERE cp.owner_id = \(bind: owner.rawValue) AND cp.person_id = pp.person_id AND cp.occurred_at < \(bind: Timestamp.string(before)))) AS last"
        sql += " FROM personas pe JOIN person_personas pp ON pp.persona_id = pe.id"
        sql += " WHERE pe.owner_id = \(bind: owner.rawValue) GROUP BY pe.id, pe.name"
        return try await read(sql, on: db)
    }

    /// The rows of `sql` (`persona`, `last`: a stored moment or NULL) as `persona name: moment`.
    private static func read(_ sql: SQLQueryString, on db: any SQLDatabase) async throws -> [String: Date] {
        var last: [String: Date] = [:]
        for row in try await db.raw(sql).all() {
            guard let text = try row.value("last", as: String.self), let date = Timestamp.date(text) else { continue }
            last[try row.decode(column: "persona", as: String.self)] = date
        }
        return last
    }
}
