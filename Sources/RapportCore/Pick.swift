#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One reason a person ranks where they do, with the points it adds or takes away.
public struct PickReason: Sendable, Codable, Equatable {
    public var points: Int
    public var text: String

    public init(_ points: Int, _ text: String) {
        self.points = points
        self.text = text
    }
}

/// A person suggested by `pick`, with the reasons for their rank.
public struct PickSuggestion: Sendable, Codable, Equatable {
    public var rank: Int
    public var person: Person
    public var score: Int
    public var reasons: [PickReason]
    /// Their local time now, `Tue 14:05`, when their time zone is known.
    public var localTime: String?
    /// Whether it is within their business hours now; nil when their time zone is unknown.
    public var businessHoursNow: Bool?
}

/// A person `pick` left out, and why.
public struct PickExclusion: Sendable, Codable, Equatable {
    public var person: Person
    public var reason: String
}

/// The answer to "who should I ask?".
public struct PickResult: Sendable, Codable, Equatable {
    public var suggestions: [PickSuggestion]
    public var excluded: [PickExclusion]
}

/// Ranks the people of a persona for "who should I ask?" and says why.
///
/// Do-not-contact and archived people are left out. The rest score on warmth (10 a step above 1), being an
/// advocate (+15), off the record (+10), whether it is business hours where they are now (+20, or -20 outside),
/// having been talked to or asked within `recentDays` (-40: give them a rest), and their reply history (+5 for each
/// conversation they had when I reached out, up to +15; +5 when they have reached out themselves).
public enum PickRanker {
    public static func rank(
        _ people: [Person], histories: [PersonID: ContactHistory] = [:], now: Date, count: Int,
        hours: BusinessHours = .standard, recentDays: Int = 14
    ) -> PickResult {
        var excluded: [PickExclusion] = []
        var scored: [PickSuggestion] = []
        for person in people {
            if person.archived {
                excluded.append(PickExclusion(person: person, reason: "archived"))
                continue
            }
            if let dnc = person.doNotContact {
                excluded.append(PickExclusion(person: person, reason: "do not contact: \(dnc.reason)"))
                continue
            }
            if let until = person.pausedUntil, until > CalendarDay(now, in: .gmt) {
                excluded.append(PickExclusion(person: person, reason: "paused until \(until.label) after missed calls in a row"))
                continue
            }
            var reasons: [PickReason] = []
            let d = person.details
            reasons.append(PickReason((d.warmth - 1) * 10, "warmth \(d.warmth)/5"))
            if d.advocate { reasons.append(PickReason(15, "advocate: has helped with betas before")) }
            if d.offTheRecord { reasons.append(PickReason(10, "off the record: you can call without clearing it")) }
            let history = histories[person.id] ?? .none
            let touches = [history.lastContact, history.lastAsked].compactMap { $0 }
            if let last = touches.max() {
                let days = max(0, Int(now.timeIntervalSince(last) / 86_400))
                let when = days == 0 ? "today" : days == 1 ? "yesterday" : "\(days) days ago"
                if days < recentDays {
                    reasons.append(PickReason(-40, "asked \(when), within \(recentDays) days: give them a rest"))
                } else {
                    reasons.append(PickReason(0, "last asked \(when)"))
                }
            } else {
                reasons.append(PickReason(0, "never asked yet"))
            }
            if history.answered > 0 {
                let times = history.answered == 1 ? "once" : "\(history.answered) times"
                reasons.append(PickReason(min(15, 5 * history.answered), "answered when asked before (\(times))"))
            }
            if history.inbound > 0 {
                reasons.append(PickReason(5, "has reached out to you before"))
            }
            var localTime: String?
            var open: Bool?
            if let name = d.timeZone, let zone = TimeZone(identifier: name) {
                let check = (d.hours ?? hours).check(zone, at: now)
                localTime = check.localTime
                open = check.open
                let place = d.city ?? name
                reasons.append(check.open
                    ? PickReason(20, "\(check.localTime) in \(place): business hours now")
                    : PickReason(-20, "\(check.localTime) in \(place): outside business hours"))
            } else {
                reasons.append(PickReason(0, "local time unknown: no time zone set"))
            }
            scored.append(PickSuggestion(
                rank: 0, person: person, score: reasons.reduce(0) { $0 + $1.points }, reasons: reasons,
                localTime: localTime, businessHoursNow: open))
        }
        scored.sort { a, b in
            if a.score != b.score { return a.score > b.score }
            if a.person.name != b.person.name { return a.person.name < b.person.name }
            return a.person.id < b.person.id
        }
        let top = scored.prefix(max(0, count)).enumerated().map { index, suggestion in
            var s = suggestion
            s.rank = index + 1
            return s
        }
        return PickResult(suggestions: Array(top), excluded: excluded)
    }
}
