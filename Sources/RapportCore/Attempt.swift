#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a call attempt.
public struct AttemptID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// How a call attempt went.
public enum AttemptOutcome: String, Sendable, Codable, CaseIterable {
    case noAnswer = "no-answer"
    case voicemail
    case wrongNumber = "wrong-number"
    case declined
    case rescheduled
    /// A scheduled call they did not turn up to.
    case noShow = "no-show"
    case talked

    /// Someone picked up: anything but no-answer, voicemail, wrong-number and no-show.
    public var pickedUp: Bool {
        switch self {
        case .noAnswer, .voicemail, .wrongNumber, .noShow: return false
        case .declined, .rescheduled, .talked: return true
        }
    }

    /// `No answer`.
    public var label: String {
        switch self {
        case .noAnswer: return "No answer"
        case .voicemail: return "Voicemail"
        case .wrongNumber: return "Wrong number"
        case .declined: return "Declined"
        case .rescheduled: return "Rescheduled"
        case .noShow: return "No-show"
        case .talked: return "Talked"
        }
    }

    public static var list: String { allCases.map(\.rawValue).joined(separator: ", ") }
}

/// A call (or a scheduled call) and how it went, as stored.
public struct Attempt: Sendable, Codable, Equatable, Identifiable {
    public var id: AttemptID
    public var person: PersonSummary
    public var outcome: AttemptOutcome
    public var at: Date
    public var note: String?
    public var campaign: String?
    /// The number that was called.
    public var phone: String?
    /// The conversation a `talked` attempt created.
    public var conversation: ConversationID?
    /// The follow-up a `rescheduled` attempt created.
    public var followUp: FollowUpID?
    public var createdAt: Date

    public init(id: AttemptID, person: PersonSummary, outcome: AttemptOutcome, at: Date, note: String? = nil,
                campaign: String? = nil, phone: String? = nil, conversation: ConversationID? = nil,
                followUp: FollowUpID? = nil, createdAt: Date) {
        self.id = id
        self.person = person
        self.outcome = outcome
        self.at = at
        self.note = note
        self.campaign = campaign
        self.phone = phone
        self.conversation = conversation
        self.followUp = followUp
        self.createdAt = createdAt
    }

    private enum CodingKeys: String, CodingKey {
        case id, person, outcome, at, note, campaign, phone, conversation, followUp, createdAt, pickedUp
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(AttemptID.self, forKey: .id), person: try c.decode(PersonSummary.self, forKey: .person),
            outcome: try c.decode(AttemptOutcome.self, forKey: .outcome), at: try c.decode(Date.self, forKey: .at),
            note: try c.decodeIfPresent(String.self, forKey: .note), campaign: try c.decodeIfPresent(String.self, forKey: .campaign),
            phone: try c.decodeIfPresent(String.self, forKey: .phone),
            conversation: try c.decodeIfPresent(ConversationID.self, forKey: .conversation),
            followUp: try c.decodeIfPresent(FollowUpID.self, forKey: .followUp), createdAt: try c.decode(Date.self, forKey: .createdAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(person, forKey: .person)
        try c.encode(outcome, forKey: .outcome)
        try c.encode(outcome.pickedUp, forKey: .pickedUp)
        try c.encode(at, forKey: .at)
        try c.encode(note, forKey: .note)
        try c.encode(campaign, forKey: .campaign)
        try c.encode(phone, forKey: .phone)
        try c.encode(conversation, forKey: .conversation)
        try c.encode(followUp, forKey: .followUp)
        try c.encode(createdAt, forKey: .createdAt)
    }
}

/// What the PM says about an attempt, checked by ``AttemptRules``.
public struct AttemptDetails: Sendable, Equatable {
    public var outcome: AttemptOutcome
    public var at: Date
    public var note: String?
    public var campaign: String?
    /// When a rescheduled call is to happen.
    public var reschedule: TypedMoment?
    /// The number called; nil for their first good phone.
    public var phone: String?

    public init(outcome: AttemptOutcome, at: Date, note: String? = nil, campaign: String? = nil,
                reschedule: TypedMoment? = nil, phone: String? = nil) {
        self.outcome = outcome
        self.at = at
        self.note = note
        self.campaign = campaign
        self.reschedule = reschedule
        self.phone = phone
    }
}

/// The checks on an attempt, all reported at once.
public enum AttemptRules {
    public static let maxNote = 10_000

    public static func validate(_ details: AttemptDetails, now: Date) throws -> AttemptDetails {
        var d = details
        let errors = FieldErrors()
        d.note = d.note?.trimmed
        if d.note?.isEmpty == true { d.note = nil }
        if let note = d.note, note.count > maxNote {
            errors.append("note", "is \(note.count) characters long; keep it under \(maxNote), or log a conversation for longer notes")
        }
        d.campaign = d.campaign?.trimmed
        if d.campaign?.isEmpty == true { d.campaign = nil }
        if d.at > now.addingTimeInterval(3600) {
            errors.append("when", "is in the future; an attempt is a call you made (use --reschedule for a call to come)")
        }
        switch (d.outcome, d.reschedule) {
        case (.rescheduled, nil):
            errors.append("reschedule", "is needed with --outcome rescheduled: when is the new call? (for example \"friday 15:00\")")
        case (.rescheduled, let moment?) where moment.date < d.at:
            errors.append("reschedule", "is before the attempt; give the day (and time) of the new call")
        case (.rescheduled, _), (_, nil):
            break
        default:
            errors.append("reschedule", "only goes with --outcome rescheduled")
        }
        try errors.throwIfAny()
        return d
    }

    /// The day until which `person` is paused, when their latest `limit` attempts, newest first, are all no-shows.
    public static func pause(after outcomes: [(AttemptOutcome, Date)], limit: Int = 3, days: Int, zone: TimeZone) -> CalendarDay? {
        guard days > 0, outcomes.count >= limit, outcomes.prefix(limit).allSatisfy({ $0.0 == .noShow }),
              let latest = outcomes.first?.1 else { return nil }
        return CalendarDay(latest, in: zone).adding(days: days)
    }
}
