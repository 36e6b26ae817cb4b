import Foundation
import RapportCore
import SQLKit

/// The period a report asks for, as typed: a week, a month or a range of days, each optional.
public enum ReportPeriodChoice: Sendable, Equatable {
    /// An ISO week (`2026-W47`), or the last complete week.
    case week(String?)
    /// A month (`2026-11`), or the last complete month.
    case month(String?)
    /// Days as typed (`2026-11-01`, `yesterday`); either end may be left open (the start defaults to 7 days before
    /// the end, the end to today).
    case range(since: String?, until: String?)

    /// The period in the user's calendar.
    public func resolve(clock: UserClock) throws -> ReportPeriod {
        switch self {
        case .week(let text): return try ReportPeriod.week(text?.trimmed.nilIfEmpty, today: clock.today)
        case .month(let text): return try ReportPeriod.month(text?.trimmed.nilIfEmpty, today: clock.today)
        case .range(let since, let until):
            let end = try until?.trimmed.nilIfEmpty.map { try clock.input.parse($0, field: "until", lean: .past).day } ?? clock.today
            let start = try since?.trimmed.nilIfEmpty.map { try clock.input.parse($0, field: "since", lean: .past).day } ?? end.adding(days: -6)
            return try ReportPeriod.range(from: start, to: end)
        }
    }
}

/// Gathers what a report is chosen from and builds it (`Report.build` picks and anonymises).
public struct ReportRepository: Sendable {
    let store: Store

    /// The report for `choice`, anonymised unless `named`, narrowed to `personas` and `themes` (each must exist).
    public func build(_ choice: ReportPeriodChoice, named: Bool = false, personas: [String] = [], themes: [String] = [],
                      as owner: AccountID) async throws -> Report {
        let clock = try await store.clock(as: owner)
        let period = try choice.resolve(clock: clock)
        // The chosen personas as found (names for the report, ids for its queries), each looked up once.
        var chosen: [Persona] = []
        for p in personas where !p.trimmed.isEmpty { chosen.append(try await store.personas.find(p, as: owner)) }
        let personaNames = chosen.map(\.name)
        var themeNames: [String] = []
        for t in themes where !t.trimmed.isEmpty { themeNames.append(try await store.themes.find(t, as: owner)) }
        let options = ReportOptions(period: period, named: named, personas: personaNames, themes: themeNames)

        let start = period.from.moment(in: clock.zone), end = period.to.adding(days: 1).moment(in: clock.zone)
        let companies = try await store.companies.forReports(as: owner)
        // Conversations and outreach from the period's start (or the earliest goal's, for goal progress), loaded once;
        // when each persona was last heard and the streak are counted in SQL over all time.
        let stored = try await store.goals.stored(only: nil, includeArchived: false, as: owner)
        let since = min(start, stored.map { $0.details.from.moment(in: clock.zone) }.min() ?? start)
        let events = try await store.goals.events(since: since, as: owner)
        let goals = GoalRepository.withProgress(stored, events: events, clock: clock)
        let personaIDs = chosen.isEmpty ? nil : chosen.map(\.id.rawValue)
        let conversations = events.filter { !$0.isOutreach && $0.at < end }
        let allPersonas = try await store.personas.names(as: owner)
        // When each persona was last heard before the end: when every persona was heard since the period's start, the
        // latest before the end is among the conversations already loaded and `Report.build` finds it there (nil);
        // else it is counted in SQL.
        let heardSince = Set(conversations.flatMap(\.personas))
        let everyPersonaHeard = allPersonas.allSatisfy(heardSince.contains)
        let themes = store.themes, chosenThemes = themeNames
        let (streak, lastHeard, trends, heard, quoted) = try await store.withSession { db in
            (try await WeekCounts.streak(owner: owner, minimum: clock.settings.streakMinimum, now: clock.now, zone: clock.zone, on: db),
             everyPersonaHeard ? nil : try await PersonaLastHeard.any(owner: owner, before: end, on: db),
             try await themes.trends(before: end, weeks: Report.trendWeeks, personas: personaIDs, owner: owner, on: db),
             try await Self.heard(from: start, until: end, personas: personaIDs, themes: chosenThemes, owner: owner, on: db),
             try await Self.quotes(from: start, until: end, personas: personaIDs, themes: chosenThemes, owner: owner, on: db))
        }
        // Only the quotes the report shows are loaded: what else was heard is counted in SQL, the trends before it too.
        let feedback = try await store.withSession { db in
            try await FeedbackRows.load(Report.pickQuotes(quoted).map(\.rawValue), owner: owner, on: db)
        }
        let funnel = try await store.outreach.funnel(since: period.from, until: period.to, by: personaNames.isEmpty ? nil : .persona,
                                                     clock: clock, as: owner)
        // The people the report can describe: those of the period's conversations and feedback; everyone else only
        // as a name to scrub, read as stored keys.
        var described = Set<PersonID>()
        for event in conversations where event.at >= start { described.formUnion(event.people) }
        for f in feedback where f.at >= start { described.insert(f.person.id) }
        let people = try await store.people.described(described.sorted { $0.rawValue < $1.rawValue }, as: owner)
        var input = ReportInput(
            options: options, now: clock.now, zone: clock.zone, people: people, companies: companies,
            personas: allPersonas, conversations: conversations,
            feedback: feedback, requests: try await store.requests.list(as: owner), hypotheses: try await store.hypotheses.list(as: owner),
            funnel: funnel, goals: goals, streak: streak, personaLastHeard: lastHeard)
        input.nameKeys = try await store.people.nameKeys(as: owner)
        input.themeTrends = trends
        input.heard = heard
        return Report.build(input)
    }

    /// The quotes heard from `start` to before `until`, of people with one of `personas` (ids; nil: anyone) and tagged
    /// with one of `themes` (names; empty: any), as ``Report/pickQuotes(_:)-([QuoteCandidate])`` ranks them: four
    /// columns a quote, so that only the few it picks are loaded whole.
    static func quotes(from start: Date, until end: Date, personas: [Int64]?, themes: [String], owner: AccountID,
                       on db: any SQLDatabase) async throws -> [QuoteCandidate] {
        var sql: SQLQueryString = "SELECT f.id AS id, f.person_id AS person, f.severity AS severity, f.occurred_at AS at FROM feedback f"
        sql += " WHERE f.owner_id = \(bind: owner.rawValue) AND f.occurred_at >= \(bind: Timestamp.string(start))"
        sql += " AND f.occurred_at < \(bind: Timestamp.string(end)) AND f.quote = \(bind: true)"
        sql += ofPersonas(personas, "f.person_id", owner: owner) + ofThemes(themes, "f.id", owner: owner)
        return try await db.raw(sql).all().compactMap { row in
            guard let at = Timestamp.date(try row.decode(column: "at", as: String.self)) else { return nil }
            return QuoteCandidate(id: FeedbackID(try row.decode(column: "id", as: Int64.self)), person: PersonID(try row.decode(column: "person", as: Int64.self)),
                                  severity: try row.value("severity", as: Int64.self).map { Int($0) }, at: at)
        }
    }

    /// ` AND column IN (people with one of personas)`, or nothing when `personas` is nil (anyone); an empty list
    /// matches nobody. `column` is always a column name from this code.
    static func ofPersonas(_ personas: [Int64]?, _ column: SQLQueryString, owner: AccountID) -> SQLQueryString {
        guard let personas else { return "" }
        let sql: SQLQueryString = " AND " + column + " IN (SELECT pp.person_id FROM person_personas pp WHERE pp.owner_id = \(bind: owner.rawValue)"
        return sql + (personas.isEmpty ? " AND 1 = 0)" : " AND pp.persona_id IN (\(binds: personas)))")
    }

    /// ` AND column IN (feedback tagged with one of themes)`, or nothing when `themes` is empty (any). `column` is
    /// always a column name from this code.
    static func ofThemes(_ themes: [String], _ column: SQLQueryString, owner: AccountID) -> SQLQueryString {
        guard !themes.isEmpty else { return "" }
        let sql: SQLQueryString = " AND " + column + " IN (SELECT ft.feedback_id FROM feedback_themes ft JOIN themes t ON t.id = ft.theme_id"
        return sql + " WHERE ft.owner_id = \(bind: owner.rawValue) AND t.name_key IN (\(binds: themes.map(\.matchingKey))))"
    }

    /// The feedback heard from `start` to before `until`, of people with one of `personas` (ids; nil: anyone) and
    /// tagged with one of `themes` (names; empty: any), counted in SQL: each theme's mentions and distinct people (one
    /// query, two subqueries a theme over the period's range of its `feedback_themes` links, which carry each
    /// feedback's time and person) and, for a report narrowed to themes, the ids of that feedback and of the
    /// conversations it was heard in (one query over `feedback`). Throws what the database throws.
    static func heard(from start: Date, until end: Date, personas: [Int64]?, themes: [String], owner: AccountID,
                      on db: any SQLDatabase) async throws -> ReportHeard {
        let from = Timestamp.string(start), to = Timestamp.string(end)
        let keys = themes.map(\.matchingKey)
        func ofPersonas(_ column: SQLQueryString) -> SQLQueryString { Self.ofPersonas(personas, column, owner: owner) }
        let themeKeys: SQLQueryString = keys.isEmpty ? "" : " AND t.name_key IN (\(binds: keys))"
        // Per theme, the period's range of the (owner, theme, time, person) index: a seek and a short range each,
        // where one grouped scan over the time would read every link of the account (the index leads with the theme).
        func period(_ figure: SQLQueryString) -> SQLQueryString {
            "(SELECT " + figure + " FROM feedback_themes ft WHERE ft.owner_id = \(bind: owner.rawValue) AND ft.theme_id = t.id"
                + " AND ft.occurred_at >= \(bind: from) AND ft.occurred_at < \(bind: to)" + ofPersonas("ft.person_id") + ")"
        }
        var byTheme: SQLQueryString = "SELECT t.name AS name, " + period("COUNT(*)") + " AS mentions, "
        byTheme += period("COUNT(DISTINCT ft.person_id)") + " AS people"
        byTheme += " FROM themes t WHERE t.owner_id = \(bind: owner.rawValue) AND t.mention_count > 0" + themeKeys
        var figures: [String: ReportHeard.Theme] = [:]
        for row in try await db.raw(byTheme).all() {
            let mentions = try row.decode(column: "mentions", as: Int.self)
            guard mentions > 0 else { continue }
            figures[try row.decode(column: "name", as: String.self)] = .init(mentions: mentions, people: try row.decode(column: "people", as: Int.self))
        }
        // Which pieces were heard, and in which conversations, matters only to a report narrowed to themes (the
        // conversations it counts, the hypotheses' evidence it shows); otherwise it is not read.
        guard !keys.isEmpty else { return ReportHeard(themes: figures, feedback: [], conversations: []) }
        var pieces: SQLQueryString = "SELECT f.id AS id, f.conversation_id AS conversation FROM feedback f"
        pieces += " WHERE f.owner_id = \(bind: owner.rawValue) AND f.occurred_at >= \(bind: from) AND f.occurred_at < \(bind: to)"
        pieces += ofPersonas("f.person_id") + Self.ofThemes(themes, "f.id", owner: owner)
        var feedback = Set<FeedbackID>(), conversations = Set<ConversationID>()
        for row in try await db.raw(pieces).all() {
            feedback.insert(FeedbackID(try row.decode(column: "id", as: Int64.self)))
            if let conversation = try row.value("conversation", as: Int64.self) { conversations.insert(ConversationID(conversation)) }
        }
        return ReportHeard(themes: figures, feedback: feedback, conversations: conversations)
    }
}
