#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One reach-out counted by the funnel: a call attempt or a campaign email.
public struct OutreachEvent: Sendable, Equatable {
    public enum Channel: String, Sendable, Codable { case call, email }
    public var at: Date
    public var channel: Channel
    public var person: PersonID
    public var personas: [String]
    public var campaign: String?
    public var pickedUp: Bool
    public var declined: Bool
    public var talked: Bool

    public init(at: Date, channel: Channel, person: PersonID, personas: [String] = [], campaign: String? = nil,
                pickedUp: Bool, declined: Bool, talked: Bool) {
        self.at = at
        self.channel = channel
        self.person = person
        self.personas = personas
        self.campaign = campaign
        self.pickedUp = pickedUp
        self.declined = declined
        self.talked = talked
    }

    /// A call attempt as the funnel counts it.
    public static func call(_ outcome: AttemptOutcome, at: Date, person: PersonID, personas: [String], campaign: String?) -> OutreachEvent {
        OutreachEvent(at: at, channel: .call, person: person, personas: personas, campaign: campaign,
                      pickedUp: outcome.pickedUp, declined: outcome == .declined, talked: outcome == .talked)
    }
}

/// The articles' rule of thumb for cold outreach: about half pick up, about a fifth of those decline.
public enum RuleOfThumb {
    public static let pickUpRate = 0.5
    public static let declineRate = 0.2
    /// Those who pick up and do not decline talk: 40% of attempts.
    public static var talkRate: Double { pickUpRate * (1 - declineRate) }
    /// Own rates count once there are this many attempts.
    public static let minimumAttempts = 20
}

/// How one rate compares with the rule of thumb.
public struct RateComparison: Sendable, Codable, Equatable {
    public enum Verdict: String, Sendable, Codable { case above, below, level }
    public var rate: Double?
    public var ruleOfThumb: Double
    public var verdict: Verdict?
    /// `52% picked up, above the rule of thumb (about 50%)`.
    public var text: String

    static func make(_ rate: Double?, rule: Double, noun: String, lowerIsBetter: Bool = false) -> RateComparison {
        guard let rate else {
            return RateComparison(rate: nil, ruleOfThumb: rule, verdict: nil, text: "\(noun): no data yet (rule of thumb about \(Funnel.percent(rule)))")
        }
        let verdict: Verdict = abs(rate - rule) < 0.025 ? .level : rate > rule ? .above : .below
        let judged: String
        switch verdict {
        case .level: judged = "in line with"
        case .above: judged = lowerIsBetter ? "worse than (above)" : "above"
        case .below: judged = lowerIsBetter ? "better than (below)" : "below"
        }
        return RateComparison(rate: rate, ruleOfThumb: rule, verdict: verdict,
                              text: "\(noun) \(Funnel.percent(rate)), \(judged) the rule of thumb (about \(Funnel.percent(rule)))")
    }
}

/// Attempts, pick-ups, declines and conversations, with their rates.
public struct FunnelCounts: Sendable, Codable, Equatable {
    public var attempts = 0
    public var calls = 0
    public var emails = 0
    public var pickedUp = 0
    public var declined = 0
    public var talked = 0

    public init() {}

    public mutating func add(_ event: OutreachEvent) {
        attempts += 1
        if event.channel == .call { calls += 1 } else { emails += 1 }
        if event.pickedUp { pickedUp += 1 }
        if event.declined { declined += 1 }
        if event.talked { talked += 1 }
    }

    /// Picked up out of attempts.
    public var pickUpRate: Double? { attempts == 0 ? nil : Double(pickedUp) / Double(attempts) }
    /// Declined out of those who picked up.
    public var declineRate: Double? { pickedUp == 0 ? nil : Double(declined) / Double(pickedUp) }
    /// Talked out of attempts.
    public var talkRate: Double? { attempts == 0 ? nil : Double(talked) / Double(attempts) }

    private enum CodingKeys: String, CodingKey {
        case attempts, calls, emails, pickedUp, declined, talked, pickUpRate, declineRate, talkRate
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(attempts, forKey: .attempts)
        try c.encode(calls, forKey: .calls)
        try c.encode(emails, forKey: .emails)
        try c.encode(pickedUp, forKey: .pickedUp)
        try c.encode(declined, forKey: .declined)
        try c.encode(talked, forKey: .talked)
        try c.encode(pickUpRate, forKey: .pickUpRate)
        try c.encode(declineRate, forKey: .declineRate)
        try c.encode(talkRate, forKey: .talkRate)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        attempts = try c.decode(Int.self, forKey: .attempts)
        calls = try c.decodeIfPresent(Int.self, forKey: .calls) ?? 0
        emails = try c.decodeIfPresent(Int.self, forKey: .emails) ?? 0
        pickedUp = try c.decode(Int.self, forKey: .pickedUp)
        declined = try c.decode(Int.self, forKey: .declined)
        talked = try c.decode(Int.self, forKey: .talked)
    }
}

/// One row of a funnel broken down by week, persona or campaign.
public struct FunnelRow: Sendable, Codable, Equatable {
    public var key: String
    public var counts: FunnelCounts
}

/// How many reach-outs a week it takes to hold `target` conversations a week.
public struct FunnelTarget: Sendable, Codable, Equatable {
    public var conversationsPerWeek: Int
    public var attemptsPerWeek: Int
    public var talkRate: Double
    /// `own` once there are enough attempts, else `rule-of-thumb`.
    public var basis: String
    public var text: String
}

/// The outreach funnel over a period, beside the rule of thumb.
public struct Funnel: Sendable, Codable, Equatable {
    public enum Breakdown: String, Sendable, Codable, CaseIterable { case week, persona, campaign }
    public var since: CalendarDay?
    public var until: CalendarDay?
    public var campaign: String?
    public var totals: FunnelCounts
    public var pickUp: RateComparison
    public var decline: RateComparison
    public var by: Breakdown?
    public var rows: [FunnelRow]
    public var target: FunnelTarget?

    /// Counts `events` (already limited to the period and campaign) and breaks them down.
    public static func build(
        _ events: [OutreachEvent], since: CalendarDay? = nil, until: CalendarDay? = nil, campaign: String? = nil,
        by: Breakdown? = nil, target: Int? = nil, zone: TimeZone
    ) -> Funnel {
        var totals = FunnelCounts()
        var groups: [String: FunnelCounts] = [:]
        for event in events {
            totals.add(event)
            guard let by else { continue }
            let keys: [String]
            switch by {
            case .week: keys = [ISOWeek(CalendarDay(event.at, in: zone)).description]
            case .persona: keys = event.personas.isEmpty ? ["(no persona)"] : event.personas
            case .campaign: keys = [event.campaign ?? "(calls outside campaigns)"]
            }
            for key in keys { groups[key, default: FunnelCounts()].add(event) }
        }
        let rows: [FunnelRow]
        switch by {
        case .week?: rows = groups.map { FunnelRow(key: $0.key, counts: $0.value) }.sorted { $0.key < $1.key }
        case .some: rows = groups.map { FunnelRow(key: $0.key, counts: $0.value) }
            .sorted { ($0.counts.attempts, $1.key) > ($1.counts.attempts, $0.key) }
        case nil: rows = []
        }
        return Funnel(
            since: since, until: until, campaign: campaign, totals: totals,
            pickUp: .make(totals.pickUpRate, rule: RuleOfThumb.pickUpRate, noun: "picked up"),
            decline: .make(totals.declineRate, rule: RuleOfThumb.declineRate, noun: "declined among pick-ups", lowerIsBetter: true),
            by: by, rows: rows, target: target.map { Self.target($0, totals: totals) })
    }

    /// Works backwards from conversations a week to reach-outs a week, at own rates once there are enough attempts.
    public static func target(_ conversations: Int, totals: FunnelCounts) -> FunnelTarget {
        let own = totals.attempts >= RuleOfThumb.minimumAttempts
        var rate = RuleOfThumb.talkRate
        var basis = "rule-of-thumb"
        var why = "at the rule of thumb (about 50% pick up, 20% of those decline: \(percent(rate)) talk); "
            + "your own rates count after \(RuleOfThumb.minimumAttempts) attempts (you have \(totals.attempts))"
        if own, let mine = totals.talkRate, mine > 0 {
            rate = mine
            basis = "own"
            why = "at your own rate: \(totals.talked) conversations from \(totals.attempts) attempts (\(percent(rate)))"
        } else if own {
            why = "none of your \(totals.attempts) attempts led to a conversation yet, so this uses the rule of thumb (\(percent(rate)))"
        }
        let needed = conversations <= 0 ? 0 : Int(saturating: Double(conversations) / rate, rounding: .up)
        return FunnelTarget(
            conversationsPerWeek: conversations, attemptsPerWeek: needed, talkRate: rate, basis: basis,
            text: "\(needed) calls or emails a week to hold \(conversations) conversation\(conversations == 1 ? "" : "s") a week, \(why)")
    }

    /// `52%`.
    public static func percent(_ rate: Double) -> String { "\(Int(saturating: rate * 100))%" }
}
