import Foundation
import RapportCore

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
        var personaNames: [String] = []
        for p in personas where !p.trimmed.isEmpty { personaNames.append(try await store.personas.find(p, as: owner).name) }
        var themeNames: [String] = []
        for t in themes where !t.trimmed.isEmpty { themeNames.append(try await store.themes.find(t, as: owner)) }
        let options = ReportOptions(period: period, named: named, personas: personaNames, themes: themeNames)

        let start = period.from.moment(in: clock.zone), end = period.to.adding(days: 1).moment(in: clock.zone)
        let companies = try await store.companies.list(as: owner).map { ReportCompany(name: $0.name, industry: $0.industry, shareable: $0.shareable) }
        // Conversations and outreach from the period's start (or the earliest goal's, for goal progress), loaded once;
        // when each persona was last heard and the streak are counted in SQL over all time.
        let stored = try await store.goals.stored(only: nil, includeArchived: false, as: owner)
        let since = min(start, stored.map { $0.details.from.moment(in: clock.zone) }.min() ?? start)
        let events = try await store.goals.events(since: since, as: owner)
        let goals = GoalRepository.withProgress(stored, events: events, clock: clock)
        let personaIDs = personaNames.isEmpty ? nil : try await store.personas.list(as: owner)
            .filter { persona in personaNames.contains(persona.name) }.map(\.id.rawValue)
        let themes = store.themes
        let (streak, lastHeard, trends) = try await store.withSession { db in
            (try await WeekCounts.streak(owner: owner, minimum: clock.settings.streakMinimum, now: clock.now, zone: clock.zone, on: db),
             try await PersonaLastHeard.any(owner: owner, before: end, on: db),
             try await themes.trends(before: end, weeks: Report.trendWeeks, personas: personaIDs, owner: owner, on: db))
        }
        // The period's feedback only: the themes' trends before it are counted in SQL.
        var filter = FeedbackFilter()
        filter.since = start
        filter.until = end
        filter.limit = 1_000_000
        let feedback = try await store.feedback.list(filter, as: owner)
        let funnel = try await store.outreach.funnel(since: period.from, until: period.to, by: personaNames.isEmpty ? nil : .persona,
                                                     clock: clock, as: owner)
        let conversations = events.filter { !$0.isOutreach && $0.at < end }
        // The people the report can describe: those of the period's conversations and feedback; everyone else only
        // as a name to scrub, read as stored keys.
        var described = Set<PersonID>()
        for event in conversations where event.at >= start { described.formUnion(event.people) }
        for f in feedback where f.at >= start { described.insert(f.person.id) }
        let people = try await store.people.get(described.sorted { $0.rawValue < $1.rawValue }, as: owner)
        var input = ReportInput(
            options: options, now: clock.now, zone: clock.zone, people: people, companies: companies,
            personas: try await store.personas.list(as: owner).map(\.name), conversations: conversations,
            feedback: feedback, requests: try await store.requests.list(as: owner), hypotheses: try await store.hypotheses.list(as: owner),
            funnel: funnel, goals: goals, streak: streak, personaLastHeard: lastHeard)
        input.nameKeys = try await store.people.nameKeys(as: owner)
        input.themeTrends = trends
        return Report.build(input)
    }
}
