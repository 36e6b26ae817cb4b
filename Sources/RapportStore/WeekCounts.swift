import Foundation
import RapportCore
import SQLKit

/// Direct conversations (second-hand reports left out) counted per ISO week of the user's zone and per kind, in SQL.
///
/// Each week's edges are worked out here, in Swift: the start of its Monday in `zone`, daylight saving included, as
/// a stored timestamp. They are bound as a `VALUES` table of `(index, start, end)` rows (its columns are `column1`,
/// `column2` and `column3` on SQLite and PostgreSQL alike), and the database counts each week's range of the
/// `conversations_owner_time_kind` index (migration 0014) without reading a row. So the week a conversation falls in
/// is the one `ISOWeek(CalendarDay(date, in: zone))` gives, and nothing is decoded row by row.
///
/// A statement carries at most ``weeksPerStatement`` weeks (3 bound values each), under SQLite's 32,766 and
/// PostgreSQL's 65,535 bound values.
enum WeekCounts {
    static let weeksPerStatement = 500

    /// Counts of `week: [kind: conversations]` for the weeks `first` through `last`, of conversations up to `now`;
    /// weeks without a conversation are left out.
    static func direct(owner: AccountID, from first: ISOWeek, through last: ISOWeek, now: Date, zone: TimeZone,
                       on db: any SQLDatabase) async throws -> [ISOWeek: [ConversationKind: Int]] {
        guard first <= last else { return [:] }
        var weeks: [ISOWeek] = []
        var week = first
        while week <= last {
            weeks.append(week)
            week = week.adding(weeks: 1)
        }
        let cutoff = Date(timeIntervalSince1970: (now.timeIntervalSince1970).rounded(.down) + 1)
        var counts: [ISOWeek: [ConversationKind: Int]] = [:]
        var start = 0
        while start < weeks.count {
            let slice = Array(weeks[start..<min(start + weeksPerStatement, weeks.count)])
            var sql: SQLQueryString = "SELECT w.column1 AS week, c.kind AS kind, COUNT(*) AS n FROM (VALUES "
            for (index, week) in slice.enumerated() {
                // Up to `now` included: stored times are whole seconds, so the week that holds it ends a second later.
                let end = min(week.monday.adding(days: 7).moment(in: zone), cutoff)
                if index > 0 { sql += ", " }
                sql += "(\(bind: Int64(index)), \(bind: Timestamp.string(week.monday.moment(in: zone))), \(bind: Timestamp.string(end)))"
            }
            // Each week is one range of the index; a bound on the time outside the week's own would let the planner
            // scan from the week's start to that bound instead (every later week, for each week).
            sql += ") AS w JOIN conversations c ON c.occurred_at >= w.column2 AND c.occurred_at < w.column3"
            sql += " WHERE c.owner_id = \(bind: owner.rawValue) AND c.kind <> \(bind: ConversationKind.secondhand.rawValue)"
            sql += " GROUP BY w.column1, c.kind"
            for row in try await db.raw(sql).all() {
                let index = Int(try row.decode(column: "week", as: Int64.self))
                guard slice.indices.contains(index), let kind = ConversationKind(rawValue: try row.decode(column: "kind", as: String.self)) else { continue }
                counts[slice[index], default: [:]][kind, default: 0] += try row.decode(column: "n", as: Int.self)
            }
            start += weeksPerStatement
        }
        return counts
    }

    /// Every week from the one of the first direct conversation through the one holding `now`, counted as
    /// ``direct(owner:from:through:now:zone:on:)`` counts them; empty when nothing is logged.
    static func history(owner: AccountID, now: Date, zone: TimeZone, on db: any SQLDatabase) async throws -> [ISOWeek: [ConversationKind: Int]] {
        let first = try await db.select().column(SQLFunction("min", args: SQLColumn("occurred_at")), as: "first").from("conversations")
            .where("owner_id", .equal, owner.rawValue).where("kind", .notEqual, ConversationKind.secondhand.rawValue)
            .where("occurred_at", .lessThanOrEqual, Timestamp.string(now))
            .first(decodingColumn: "first", as: String?.self) ?? nil
        guard let first, let date = Timestamp.date(first) else { return [:] }
        return try await direct(owner: owner, from: ISOWeek(CalendarDay(date, in: zone)), through: ISOWeek(CalendarDay(now, in: zone)),
                                now: now, zone: zone, on: db)
    }

    /// Totals per week: `week: conversations`.
    static func totals(_ counts: [ISOWeek: [ConversationKind: Int]]) -> [ISOWeek: Int] {
        counts.mapValues { $0.values.reduce(0, +) }
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
        sql += " WHERE pe.owner_id = \(bind: owner.rawValue) AND p.owner_id = \(bind: owner.rawValue) AND p.last_contact_at IS NOT NULL"
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
            guard let text = try row.decode(column: "last", as: String?.self), let date = Timestamp.date(text) else { continue }
            last[try row.decode(column: "persona", as: String.self)] = date
        }
        return last
    }
}
