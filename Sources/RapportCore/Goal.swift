#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a goal.
public struct GoalID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// What a goal counts.
public enum GoalMetric: String, Sendable, Codable, CaseIterable {
    /// Conversations logged.
    case conversations
    /// Distinct people talked to.
    case people
    /// Outreach sent: call attempts and campaign emails.
    case outreach
    /// Distinct personas heard from.
    case personasCovered = "personas-covered"

    public var noun: String {
        switch self {
        case .conversations: return "conversations"
        case .people: return "people"
        case .outreach: return "outreach"
        case .personasCovered: return "personas"
        }
    }
}

/// What the PM writes about a goal (the articles' SMART test: specific, measurable, achievable, relevant, time-bound).
public struct GoalDetails: Sendable, Codable, Equatable {
    public var title: String
    public var metric: GoalMetric
    public var target: Int
    /// First day counted, in the user's zone.
    public var from: CalendarDay
    /// Last day counted.
    public var to: CalendarDay
    /// Only conversations of these kinds (conversations, people, personas-covered).
    public var kinds: [ConversationKind] = []
    /// Only people of these personas.
    public var personas: [String] = []
    /// The product goal it serves.
    public var serves: String?

    public init(title: String, metric: GoalMetric, target: Int, from: CalendarDay, to: CalendarDay) {
        self.title = title
        self.metric = metric
        self.target = target
        self.from = from
        self.to = to
    }
}

/// The checks on a goal, each refusal with its reason.
public enum GoalRules {
    /// The targets a goal may have: a million conversations, people or attempts in a period is already more than
    /// one person makes; beyond it a figure is a typo (`2e18`, issue 16), not a goal.
    public static let targets = 1...1_000_000

    /// `personas` are the account's persona names (to catch a filter that can never count anything).
    public static func validate(_ details: GoalDetails, personas known: [String]) throws -> GoalDetails {
        var d = details
        let errors = FieldErrors()
        d.title = d.title.trimmed
        d.serves = d.serves?.trimmed.nilIfEmpty
        if d.title.isEmpty { errors.append("title", "is empty; say what the goal is, e.g. \"Talk to 12 Ops Leads this quarter\"") }
        if d.target <= 0 { errors.append("target", "\(d.target) is not measurable; give a target above 0") }
        else if d.target > targets.upperBound { errors.append("target", "\(d.target) is more than anyone can reach; give a target from 1 to \(targets.upperBound)") }
        for (field, day) in [("from", d.from), ("to", d.to)] where !CalendarDay.enterableYears.contains(day.year) {
            errors.append(field, "\(day) is outside the years Rapport keeps; give a date from \(CalendarDay.enterableYears.lowerBound) to \(CalendarDay.enterableYears.upperBound)")
        }
        if d.to < d.from { errors.append("to", "the end (\(d.to)) is before the start (\(d.from)); a goal needs a period (time-bound)") }
        if d.from.days(to: d.to) > 3 * 366 { errors.append("to", "a goal over more than three years is hard to steer; split it") }
        var personas: [String] = []
        for name in d.personas.map(\.trimmed) where !name.isEmpty {
            guard let match = known.first(where: { $0.matchingKey == name.matchingKey }) else {
                let hint = ClosestNames.to(name, among: known, maxDistance: max(2, name.count / 3), limit: 1).first.map { "did you mean \"\($0)\"? " } ?? ""
                errors.append("persona", "no persona \"\(name)\", so the goal could never count anyone; \(hint)add it with `rapport personas add`")
                continue
            }
            if !personas.contains(match) { personas.append(match) }
        }
        d.personas = personas
        d.kinds = Array(Set(d.kinds)).sorted { $0.rawValue < $1.rawValue }
        if d.metric == .outreach && !d.kinds.isEmpty {
            errors.append("kind", "outreach (attempts and emails) has no conversation kind, so --kind would count nothing; drop it")
        }
        if d.metric == .personasCovered {
            let available = personas.isEmpty ? known.count : personas.count
            if d.target > available {
                errors.append("target", "\(d.target) personas cannot be reached: there \(available == 1 ? "is" : "are") \(available); lower the target (achievable)")
            }
        }
        try errors.throwIfAny()
        return d
    }
}

/// Something a goal may count: a conversation (with its people and their personas) or an outreach attempt or email.
public struct GoalEvent: Sendable, Equatable {
    public var at: Date
    public var kind: ConversationKind?
    public var people: [PersonID]
    public var personas: [String]
    public var isOutreach: Bool
    /// The conversation it is (nil for outreach).
    public var conversation: ConversationID?

    /// A conversation the PM had themselves: what the weekly streak counts (not outreach, not a second-hand report).
    public var isOwnConversation: Bool { !isOutreach && kind != .secondhand }

    public init(at: Date, kind: ConversationKind?, people: [PersonID], personas: [String], isOutreach: Bool, conversation: ConversationID? = nil) {
        self.conversation = conversation
        self.at = at
        self.kind = kind
        self.people = people
        self.personas = personas
        self.isOutreach = isOutreach
    }
}

/// Where a goal stands today: value, pace, projection and what it takes per week.
public struct GoalProgress: Sendable, Codable, Equatable {
    public var value: Int
    public var percent: Int
    /// What a straight pace from start to end has by today.
    public var expected: Double
    /// value − expected: ahead when positive.
    public var ahead: Double
    /// At the rate of the last 4 weeks (or since the start, if shorter), where it ends.
    public var projected: Double
    /// Needed per week from today to make it; 0 once made.
    public var perWeekNeeded: Double
    public var daysLeft: Int
    public var state: String
    /// "7 of 12 (58%); expected 6.0 by today: ahead by 1.0; at the last 4 weeks' rate it ends near 14; 1.7 a week makes it".
    public var summary: String

    /// Progress of `details` given the events (already of the account), as of `now` in `zone`.
    public static func of(_ d: GoalDetails, events: [GoalEvent], now: Date, zone: TimeZone) -> GoalProgress {
        let start = d.from.moment(in: zone), end = d.to.adding(days: 1).moment(in: zone)
        let counted = events.filter { e in
            guard e.at >= start && e.at < end && e.at <= now else { return false }
            if d.metric == .outreach { return e.isOutreach }
            if e.isOutreach { return false }
            if !d.kinds.isEmpty, let kind = e.kind, !d.kinds.contains(kind) { return false }
            if !d.personas.isEmpty && !e.personas.contains(where: { p in d.personas.contains { $0.matchingKey == p.matchingKey } }) { return false }
            return true
        }
        func value(_ items: [GoalEvent]) -> Int {
            switch d.metric {
            case .conversations, .outreach: return items.count
            case .people: return Set(items.flatMap(\.people)).count
            case .personasCovered:
                let all = Set(items.flatMap(\.personas))
                return d.personas.isEmpty ? all.count : all.filter { p in d.personas.contains { $0.matchingKey == p.matchingKey } }.count
            }
        }
        let today = CalendarDay(now, in: zone)
        let total = Double(d.from.days(to: d.to) + 1)
        let elapsed = Double(min(max(d.from.days(to: today) + 1, 0), Int(total)))
        let v = value(counted)
        let expected = Double(d.target) * elapsed / total
        let windowStart = max(start, now.addingTimeInterval(-28 * 86_400))
        let windowDays = max(now.timeIntervalSince(windowStart) / 86_400, 1)
        let recent = counted.filter { $0.at >= windowStart }
        let rate: Double
        if d.metric == .conversations || d.metric == .outreach {
            rate = Double(recent.count) / windowDays
        } else {
            // Distinct counts grow by new people (or personas) first heard in the window.
            let before = value(counted.filter { $0.at < windowStart })
            rate = Double(v - before) / windowDays
        }
        let daysLeft = max(today.days(to: d.to), 0)
        let projected = Double(v) + rate * Double(daysLeft)
        let remaining = max(Double(d.target - v), 0)
        let perWeek = remaining == 0 ? 0 : remaining / max(Double(daysLeft + 1) / 7, 1.0 / 7)
        let percent = Int(saturating: Double(v) * 100 / Double(d.target))
        let state: String
        if v >= d.target { state = "done" } else if today > d.to { state = "missed" } else if today < d.from { state = "not started" }
        else { state = Double(v) + 0.05 >= expected ? "on track" : "behind" }
        var summary = "\(v) of \(d.target) \(d.metric.noun) (\(percent)%)"
        switch state {
        case "done": summary += "; done"
        case "missed": summary += "; the period ended \(d.to)"
        case "not started": summary += "; starts \(d.from)"
        default:
            let diff = Double(v) - expected
            summary += "; expected \(expected.oneDecimal) by today: \(diff >= 0 ? "ahead" : "behind") by \(abs(diff).oneDecimal)"
            summary += "; at the last 4 weeks' rate it ends near \(Int(saturating: projected))"
            summary += "; \(perWeek.oneDecimal) a week from now makes it"
        }
        return GoalProgress(value: v, percent: percent, expected: (expected * 10).rounded() / 10, ahead: ((Double(v) - expected) * 10).rounded() / 10,
                            projected: (projected * 10).rounded() / 10, perWeekNeeded: (perWeek * 10).rounded() / 10, daysLeft: daysLeft,
                            state: state, summary: summary)
    }
}

/// A goal as stored, with its progress.
public struct Goal: Sendable, Codable, Equatable, Identifiable {
    public var id: GoalID
    public var details: GoalDetails
    public var archived: Bool
    public var progress: GoalProgress
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: GoalID, details: GoalDetails, archived: Bool, progress: GoalProgress, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.details = details
        self.archived = archived
        self.progress = progress
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// The weekly habit: consecutive ISO weeks (in the user's zone) with at least `minimum` conversations.
public struct Streak: Sendable, Codable, Equatable {
    public var minimum: Int
    /// Weeks in a row that made it, up to this week (this week counts once it makes it; until then the streak runs to last week).
    public var current: Int
    public var longest: Int
    public var thisWeek: ISOWeek
    public var thisWeekCount: Int
    /// Weeks of the last quarter (13 weeks before this one) that did not make it.
    public var missedLastQuarter: [ISOWeek]

    public static func of(_ dates: [Date], minimum: Int, now: Date, zone: TimeZone) -> Streak {
        var counts: [ISOWeek: Int] = [:]
        for date in dates where date <= now { counts[ISOWeek(CalendarDay(date, in: zone)), default: 0] += 1 }
        return of(counts: counts, minimum: minimum, now: now, zone: zone)
    }

    /// The streak from conversations counted per week of `zone` (`week: conversations`, weeks after the one holding
    /// `now` ignored), as the store counts them in SQL.
    public static func of(counts: [ISOWeek: Int], minimum: Int, now: Date, zone: TimeZone) -> Streak {
        let week = ISOWeek(CalendarDay(now, in: zone))
        let counts = counts.filter { $0.key <= week && $0.value > 0 }
        let made = { (w: ISOWeek) in (counts[w] ?? 0) >= minimum }
        var current = 0
        var cursor = made(week) ? week : week.adding(weeks: -1)
        while made(cursor) {
            current += 1
            cursor = cursor.adding(weeks: -1)
        }
        var longest = 0, run = 0
        if let first = counts.keys.min() {
            var w = first
            while w <= week {
                run = made(w) ? run + 1 : 0
                longest = max(longest, run)
                w = w.adding(weeks: 1)
            }
        }
        let missed = (1...13).reversed().map { week.adding(weeks: -$0) }.filter { !made($0) }
        return Streak(minimum: minimum, current: current, longest: longest, thisWeek: week, thisWeekCount: counts[week] ?? 0,
                      missedLastQuarter: missed)
    }
}
