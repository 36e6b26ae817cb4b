#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A theme's mentions in the last N weeks against the N weeks before, and whether that is a rise.
///
/// A theme rises when the recent count is at least 50% above the earlier one and at least 3 mentions more; the
/// figures are kept so the PM can judge the call.
public struct Trend: Sendable, Codable, Equatable {
    public var weeks: Int
    public var recent: Int
    public var previous: Int
    public var rising: Bool
    /// "9 in the last 4 weeks against 3 in the 4 before (+6, +200%)".
    public var explanation: String

    public static let minimumGrowth = 0.5
    public static let minimumMore = 3

    public init(recent: Int, previous: Int, weeks: Int) {
        self.weeks = weeks
        self.recent = recent
        self.previous = previous
        let more = recent - previous
        rising = more >= Self.minimumMore && Double(recent) >= Double(previous) * (1 + Self.minimumGrowth)
        let percent = previous == 0 ? (recent == 0 ? "no change" : "new") : "\(more >= 0 ? "+" : "")\(Int(saturating: Double(more) * 100 / Double(previous)))%"
        explanation = "\(recent) in the last \(weeks) week\(weeks == 1 ? "" : "s") against \(previous) in the \(weeks) before (\(more >= 0 ? "+" : "")\(more), \(percent))"
    }

    /// Counts `dates` in the 7×`weeks` days up to `now` and in the same span before that.
    public static func of(_ dates: [Date], now: Date, weeks: Int) -> Trend {
        let span = Double(weeks) * 7 * 86_400
        let recent = dates.filter { $0 <= now && $0 > now.addingTimeInterval(-span) }.count
        let previous = dates.filter { $0 <= now.addingTimeInterval(-span) && $0 > now.addingTimeInterval(-2 * span) }.count
        return Trend(recent: recent, previous: previous, weeks: weeks)
    }
}

/// How many mentions fell in each ISO week (in the user's zone), oldest first, empty weeks included.
public struct WeekCount: Sendable, Codable, Equatable {
    public var week: ISOWeek
    public var count: Int

    public init(week: ISOWeek, count: Int) {
        self.week = week
        self.count = count
    }
}

public enum WeeklyCounts {
    public static func of(_ dates: [Date], now: Date, zone: TimeZone, weeks: Int) -> [WeekCount] {
        let current = ISOWeek(CalendarDay(now, in: zone))
        var counts: [ISOWeek: Int] = [:]
        for date in dates { counts[ISOWeek(CalendarDay(date, in: zone)), default: 0] += 1 }
        return (0..<max(weeks, 1)).reversed().map { back in
            let week = current.adding(weeks: -back)
            return WeekCount(week: week, count: counts[week] ?? 0)
        }
    }
}

/// One theme with its figures: mentions, distinct people and companies, personas, first and last heard, trend.
public struct ThemeSummary: Sendable, Codable, Equatable {
    public var name: String
    public var count: Int
    public var people: Int
    public var companies: Int
    /// Mentions by persona, most first.
    public var personas: [PersonaCount]
    public var firstHeard: Date?
    public var lastHeard: Date?
    public var trend: Trend

    public struct PersonaCount: Sendable, Codable, Equatable {
        public var persona: String
        public var count: Int

        public init(persona: String, count: Int) {
            (self.persona, self.count) = (persona, count)
        }
    }

    public init(name: String, count: Int, people: Int, companies: Int, personas: [PersonaCount], firstHeard: Date?, lastHeard: Date?, trend: Trend) {
        (self.name, self.count, self.people, self.companies, self.personas) = (name, count, people, companies, personas)
        (self.firstHeard, self.lastHeard, self.trend) = (firstHeard, lastHeard, trend)
    }

    public static func build(name: String, feedback: [Feedback], now: Date, weeks: Int) -> ThemeSummary {
        var personas: [String: Int] = [:]
        for f in feedback { for p in f.personas { personas[p, default: 0] += 1 } }
        return ThemeSummary(
            name: name, count: feedback.count, people: Set(feedback.map(\.person.id)).count,
            companies: Set(feedback.compactMap { $0.company?.matchingKey }).count,
            personas: personas.map { PersonaCount(persona: $0.key, count: $0.value) }.sorted { ($1.count, $0.persona) < ($0.count, $1.persona) },
            firstHeard: feedback.map(\.at).min(), lastHeard: feedback.map(\.at).max(),
            trend: Trend.of(feedback.map(\.at), now: now, weeks: weeks))
    }
}
