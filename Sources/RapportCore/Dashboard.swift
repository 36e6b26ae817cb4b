#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Conversations of one ISO week, by kind.
public struct WeekKinds: Sendable, Codable, Equatable {
    public var week: ISOWeek
    public var total: Int
    /// Kinds with at least one conversation, in the order of ``ConversationKind/allCases``.
    public var kinds: [KindCount]

    public struct KindCount: Sendable, Codable, Equatable {
        public var kind: ConversationKind
        public var count: Int

        public init(kind: ConversationKind, count: Int) {
            self.kind = kind
            self.count = count
        }
    }

    public init(week: ISOWeek, total: Int, kinds: [KindCount]) {
        self.week = week
        self.total = total
        self.kinds = kinds
    }

    /// The last `weeks` weeks up to the one containing `now`, oldest first, empty weeks included.
    /// Conversations counted per week of `zone` and kind (`week: [kind: conversations]`), as the store counts them in
    /// SQL.
    public static func of(counts: [ISOWeek: [ConversationKind: Int]], weeks: Int, now: Date, zone: TimeZone) -> [WeekKinds] {
        let current = ISOWeek(CalendarDay(now, in: zone))
        return (0..<max(weeks, 1)).reversed().map { back in
            let week = current.adding(weeks: -back)
            let byKind = counts[week] ?? [:]
            let kinds = ConversationKind.allCases.compactMap { k in byKind[k].map { KindCount(kind: k, count: $0) } }
            return WeekKinds(week: week, total: kinds.map(\.count).reduce(0, +), kinds: kinds)
        }
    }
}

/// When a persona was last heard from (in a conversation with someone of that persona).
public struct PersonaCoverage: Sendable, Codable, Equatable {
    public var persona: String
    public var lastHeard: Date?
    /// Whole weeks since then; nil when never heard.
    public var weeksSince: Int?
    /// Not heard from in `quietDays` days (or never).
    public var quiet: Bool

    public static let quietDays = 30

    public init(persona: String, lastHeard: Date?, weeksSince: Int?, quiet: Bool) {
        self.persona = persona
        self.lastHeard = lastHeard
        self.weeksSince = weeksSince
        self.quiet = quiet
    }

    /// Coverage from when each persona was last heard from (`persona name: moment`; a persona missing was never heard).
    public static func of(personas: [String], lastHeard: [String: Date], now: Date) -> [PersonaCoverage] {
        personas.map { persona in
            let last = lastHeard[persona]
            let days = last.map { Int(now.timeIntervalSince($0) / 86_400) }
            return PersonaCoverage(persona: persona, lastHeard: last, weeksSince: days.map { $0 / 7 }, quiet: days.map { $0 >= quietDays } ?? true)
        }.sorted { ($0.weeksSince ?? Int.max, $0.persona) > ($1.weeksSince ?? Int.max, $1.persona) }
    }
}

/// What greets the PM: the habit, goals, today's calls, what is due, quiet personas, rising themes, the next hypothesis.
public struct Dashboard: Sendable, Codable, Equatable {
    /// How many overdue people the dashboard names (`overdueCount` says how many there are).
    public static let overdueShown = 8
    /// Weeks the dashboard's chart of conversations by kind shows, the current one last.
    public static let chartWeeks = 26
    public var today: CalendarDay
    public var week: ISOWeek
    public var conversationsThisWeek: Int
    public var streak: Streak
    public var goals: [Goal]
    /// The first calls of today's plan.
    public var calls: [PlannedCall]
    public var followUps: [DueFollowUp]
    public var overdue: [DuePerson]
    public var overdueCount: Int
    public var quietPersonas: [PersonaCoverage]
    public var coverage: [PersonaCoverage]
    public var risingThemes: [ThemeSummary]
    public var nextHypothesis: Hypothesis?
    public var weekly: [WeekKinds]
    /// Birthdays in the next ``birthdayDays`` days, soonest first.
    public var birthdays: [UpcomingBirthday] = []
    /// Nobody in the circle yet: the page is a short start instead.
    public var empty: Bool

    /// How far ahead the dashboard looks for birthdays.
    public static let birthdayDays = 14

    public init(today: CalendarDay, week: ISOWeek, conversationsThisWeek: Int, streak: Streak, goals: [Goal], calls: [PlannedCall],
                followUps: [DueFollowUp], overdue: [DuePerson], overdueCount: Int, quietPersonas: [PersonaCoverage], coverage: [PersonaCoverage],
                risingThemes: [ThemeSummary], nextHypothesis: Hypothesis?, weekly: [WeekKinds], empty: Bool) {
        self.today = today
        self.week = week
        self.conversationsThisWeek = conversationsThisWeek
        self.streak = streak
        self.goals = goals
        self.calls = calls
        self.followUps = followUps
        self.overdue = overdue
        self.overdueCount = overdueCount
        self.quietPersonas = quietPersonas
        self.coverage = coverage
        self.risingThemes = risingThemes
        self.nextHypothesis = nextHypothesis
        self.weekly = weekly
        self.empty = empty
    }
}
