import Foundation
import RapportCore
import SQLKit

/// Goals with their progress, and the weekly streak.
public struct GoalRepository: Sendable {
    let store: Store

    public func add(_ details: GoalDetails, as owner: AccountID) async throws -> Goal {
        let personas = try await store.personas.names(as: owner)
        let d = try GoalRules.validate(details, personas: personas)
        let now = Timestamp.string(store.stamp())
        let id = try await store.transaction { db -> Int64 in
            let id = try await db.insert(into: "goals")
                .columns("owner_id", "title", "metric", "target", "from_day", "to_day", "kinds", "personas", "serves", "archived", "created_at", "updated_at")
                .values(owner.rawValue, d.title, d.metric.rawValue, Int64(d.target), d.from.description, d.to.description,
                        try Self.json(d.kinds.map(\.rawValue)), try Self.json(d.personas), d.serves, false, now, now)
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            guard let id else { throw RapportError.storage("the database did not return the new goal's id") }
            return id
        }
        return try await get(GoalID(id), as: owner)
    }

    /// Changes a goal in one transaction: reads it as stored, makes `patch`, checks the goal again as a whole.
    public func update(_ id: GoalID, with patch: GoalPatch, as owner: AccountID) async throws -> Goal {
        let now = Timestamp.string(store.stamp())
        try await store.transaction { db in
            // The details only: progress (which loads every event since the start) is worked out once, at the end.
            guard let stored = try await Self.stored(only: id.rawValue, includeArchived: true, owner: owner, on: db).first else {
                throw Self.missing(id)
            }
            var update = db.update("goals").set("updated_at", to: now)
            let details = patch.applied(to: stored.details)
            if details != stored.details {
                let personas = try await db.select().column("name").from("personas").where("owner_id", .equal, owner.rawValue)
                    .all(decodingColumn: "name", as: String.self)
                let d = try GoalRules.validate(details, personas: personas)
                update = update.set("title", to: d.title).set("metric", to: d.metric.rawValue).set("target", to: Int64(d.target))
                    .set("from_day", to: d.from.description).set("to_day", to: d.to.description)
                    .set("kinds", to: try Self.json(d.kinds.map(\.rawValue))).set("personas", to: try Self.json(d.personas))
                    .set("serves", to: d.serves)
            }
            if let archived = patch.archived { update = update.set("archived", to: archived) }
            try await update.where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
        }
        return try await get(id, as: owner)
    }

    /// Archives a goal (kept, out of the dashboard) or brings it back.
    public func setArchived(_ id: GoalID, _ archived: Bool, as owner: AccountID) async throws -> Goal {
        var patch = GoalPatch()
        patch.archived = archived
        return try await update(id, with: patch, as: owner)
    }

    public func get(_ id: GoalID, as owner: AccountID) async throws -> Goal {
        guard let goal = try await load(only: id.rawValue, includeArchived: true, as: owner).first else {
            throw Self.missing(id)
        }
        return goal
    }

    public func find(_ ref: String, as owner: AccountID) async throws -> Goal {
        guard let number = ref.idNumber else {
            throw RapportError.invalid("goal", "\"\(ref.trimmed)\" is not a goal id; see them with `rapport goals list`")
        }
        return try await get(GoalID(number), as: owner)
    }

    /// Goals with their progress today, soonest end first.
    public func list(includeArchived: Bool = false, as owner: AccountID) async throws -> [Goal] {
        try await load(only: nil, includeArchived: includeArchived, as: owner)
    }

    /// The weekly streak over logged conversations (second-hand reports are not the PM's own conversations), from
    /// conversations counted per week in SQL (``WeekCounts``).
    public func streak(minimum: Int? = nil, as owner: AccountID) async throws -> Streak {
        let clock = try await store.clock(as: owner)
        return try await store.withSession { db in
            try await WeekCounts.streak(owner: owner, minimum: minimum ?? clock.settings.streakMinimum, now: clock.now, zone: clock.zone, on: db)
        }
    }

    func load(only: Int64?, includeArchived: Bool, as owner: AccountID) async throws -> [Goal] {
        let clock = try await store.clock(as: owner)
        let goals = try await stored(only: only, includeArchived: includeArchived, as: owner)
        guard let earliest = goals.map(\.details.from).min() else { return [] }
        let events = try await self.events(since: earliest.moment(in: clock.zone), as: owner)
        return Self.withProgress(goals, events: events, clock: clock)
    }

    /// Stored goals with their progress counted from `events` (which must reach back to the earliest goal's start).
    static func withProgress(_ goals: [StoredGoal], events: [GoalEvent], clock: UserClock) -> [Goal] {
        goals.map { g in
            Goal(id: g.id, details: g.details, archived: g.archived, progress: GoalProgress.of(g.details, events: events, now: clock.now, zone: clock.zone),
                 createdAt: g.createdAt, updatedAt: g.updatedAt)
        }
    }

    static func missing(_ id: GoalID) -> RapportError {
        RapportError.notFound(.goal, "#\(id)")
    }

    /// A goal row as stored, before its progress is worked out.
    struct StoredGoal {
        var id: GoalID
        var details: GoalDetails
        var archived: Bool
        var createdAt: Date
        var updatedAt: Date
    }

    func stored(only: Int64?, includeArchived: Bool, as owner: AccountID) async throws -> [StoredGoal] {
        try await store.withSession { db in try await Self.stored(only: only, includeArchived: includeArchived, owner: owner, on: db) }
    }

    static func stored(only: Int64?, includeArchived: Bool, owner: AccountID, on db: any SQLDatabase) async throws -> [StoredGoal] {
        var query = db.select().column(SQLLiteral.all).from("goals").where("owner_id", .equal, owner.rawValue)
        if let only { query = query.where("id", .equal, only) }
        if !includeArchived { query = query.where("archived", .equal, false) }
        let rows = try await query.orderBy("to_day").orderBy("id").all()
        return try rows.map { row -> StoredGoal in
            let fromText = try row.decode(column: "from_day", as: String.self), toText = try row.decode(column: "to_day", as: String.self)
            guard let from = CalendarDay(iso: fromText), let to = CalendarDay(iso: toText) else {
                throw RapportError.storage("goal dates \(fromText)…\(toText) are not days; the database was changed outside Rapport")
            }
            var d = GoalDetails(title: try row.decode(column: "title", as: String.self),
                                metric: GoalMetric(rawValue: try row.decode(column: "metric", as: String.self)) ?? .conversations,
                                target: Int(try row.decode(column: "target", as: Int64.self)), from: from, to: to)
            d.kinds = try row.jsonStrings("kinds").compactMap(ConversationKind.init(rawValue:))
            d.personas = try row.jsonStrings("personas")
            d.serves = try row.value("serves", as: String.self)
            return StoredGoal(id: GoalID(try row.decode(column: "id", as: Int64.self)), details: d, archived: try row.decode(column: "archived", as: Bool.self),
                              createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
                              updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast)
        }
    }

    /// Conversations (with their people and those people's personas) and outreach since `since`.
    func events(since: Date, as owner: AccountID) async throws -> [GoalEvent] {
        try await store.withSession { db in
            let from = Timestamp.string(since)
            // The people of the period's conversations through the conversations' (owner, time) index and the links'
            // primary key: the links' own index leads with the person, so a time range on it reads every link.
            let links = try await db.select().column(SQLColumn("conversation_id", table: "cp")).column(SQLColumn("person_id", table: "cp"))
                .from(SQLAlias(SQLIdentifier("conversations"), as: SQLIdentifier("c")))
                .join(SQLAlias(SQLIdentifier("conversation_people"), as: SQLIdentifier("cp")),
                      on: SQLColumn("conversation_id", table: "cp"), .equal, SQLColumn("id", table: "c"))
                .where(SQLColumn("owner_id", table: "c"), .equal, SQLBind(owner.rawValue))
                .where(SQLColumn("occurred_at", table: "c"), .greaterThanOrEqual, SQLBind(from)).all()
            let conversations = try await db.select().columns("id", "occurred_at", "kind").from("conversations")
                .where("owner_id", .equal, owner.rawValue).where("occurred_at", .greaterThanOrEqual, from).all()
            var personas: [Int64: [String]] = [:]
            for row in try await db.select()
                .column(SQLColumn("person_id", table: "person_personas")).column(SQLColumn("name", table: "personas"))
                .from("person_personas")
                .join("personas", on: SQLColumn("id", table: "personas"), .equal, SQLColumn("persona_id", table: "person_personas"))
                .where(SQLColumn("owner_id", table: "person_personas"), .equal, SQLBind(owner.rawValue)).all() {
                personas[try row.decode(column: "person_id", as: Int64.self), default: []].append(try row.decode(column: "name", as: String.self))
            }
            var people: [Int64: [Int64]] = [:]
            for link in links { people[try link.decode(column: "conversation_id", as: Int64.self), default: []].append(try link.decode(column: "person_id", as: Int64.self)) }
            var events: [GoalEvent] = try conversations.compactMap { row in
                let id = try row.decode(column: "id", as: Int64.self)
                guard let at = Timestamp.date(try row.decode(column: "occurred_at", as: String.self)) else { return nil }
                let who = people[id] ?? []
                // One person (most conversations) has each persona once: no set to build.
                let heard = who.count == 1 ? (personas[who[0]] ?? []).sorted() : Array(Set(who.flatMap { personas[$0] ?? [] })).sorted()
                return GoalEvent(at: at, kind: ConversationKind(rawValue: try row.decode(column: "kind", as: String.self)),
                                 people: who.map(PersonID.init), personas: heard, isOutreach: false, conversation: ConversationID(id))
            }
            for row in try await db.select().columns("person_id", "occurred_at").from("attempts")
                .where("owner_id", .equal, owner.rawValue).where("occurred_at", .greaterThanOrEqual, from).all() {
                guard let at = Timestamp.date(try row.decode(column: "occurred_at", as: String.self)) else { continue }
                let person = try row.decode(column: "person_id", as: Int64.self)
                events.append(GoalEvent(at: at, kind: nil, people: [PersonID(person)], personas: personas[person] ?? [], isOutreach: true))
            }
            for row in try await db.select().columns("person_id", "created_at").from("campaign_recipients")
                .where("owner_id", .equal, owner.rawValue).where("created_at", .greaterThanOrEqual, from)
                .where("status", .notEqual, RecipientStatus.queued.rawValue).all() {
                guard let at = Timestamp.date(try row.decode(column: "created_at", as: String.self)) else { continue }
                let person = try row.decode(column: "person_id", as: Int64.self)
                events.append(GoalEvent(at: at, kind: nil, people: [PersonID(person)], personas: personas[person] ?? [], isOutreach: true))
            }
            return events
        }
    }

    static func json(_ list: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(list), as: UTF8.self)
    }
}

/// The dashboard: everything on the first page, built from the other repositories.
public struct DashboardRepository: Sendable {
    let store: Store

    public func today(as owner: AccountID) async throws -> Dashboard {
        let clock = try await store.clock(as: owner)
        let people = try await store.people.list(PersonFilter(limit: 1), as: owner)
        let week = ISOWeek(clock.today)
        // Counted in SQL: conversations per week (the streak and the chart), when each persona was last heard.
        // The streak from each week counted up to its minimum; the chart's kinds for its own 26 weeks only.
        let thisWeek = ISOWeek(CalendarDay(clock.now, in: clock.zone))
        let (streak, kinds, lastHeard) = try await store.withSession { db in
            (try await WeekCounts.streak(owner: owner, minimum: clock.settings.streakMinimum, now: clock.now, zone: clock.zone, on: db),
             try await WeekCounts.kinds(owner: owner, from: thisWeek.adding(weeks: -(Dashboard.chartWeeks - 1)), through: thisWeek,
                                        now: clock.now, zone: clock.zone, on: db),
             try await PersonaLastHeard.of(owner: owner, now: clock.now, on: db))
        }
        let weekly = WeekKinds.of(counts: kinds, weeks: Dashboard.chartWeeks, now: clock.now, zone: clock.zone)
        let personas = try await store.personas.names(as: owner)
        let coverage = PersonaCoverage.of(personas: personas, lastHeard: lastHeard, now: clock.now)
        // Who is due, found once for the overdue list and the first calls of the plan.
        let candidates = try await store.withSession { db in
            try await DueQuery(owner: owner, today: clock.today, zone: clock.zone, policy: clock.settings.cadence, within: 0).candidates(on: db)
        }
        let due = try await store.activity.due(within: 0, limit: Dashboard.overdueShown, offset: 0, clock: clock, candidates: candidates, as: owner)
        let plan = people.isEmpty ? nil
            : try await store.outreach.plan(PlanOptions(day: clock.today, max: 5), source: .due, clock: clock, overdue: candidates, as: owner)
        let hypotheses = try await store.hypotheses.list(as: owner)
        var dashboard = Dashboard(
            today: clock.today, week: week, conversationsThisWeek: streak.thisWeekCount, streak: streak,
            goals: try await store.goals.list(as: owner), calls: Array((plan?.calls ?? []).prefix(5)), followUps: due.followUps,
            overdue: due.overdue, overdueCount: due.overdueCount,
            quietPersonas: coverage.filter(\.quiet), coverage: coverage,
            risingThemes: try await store.themes.rising(as: owner),
            nextHypothesis: hypotheses.first { $0.status == .testing || $0.status == .untested },
            weekly: weekly, empty: people.isEmpty)
        dashboard.birthdays = try await store.people.birthdays(within: Dashboard.birthdayDays, of: clock.today, as: owner)
        return dashboard
    }
}
