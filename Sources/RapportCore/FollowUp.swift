#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a follow-up.
public struct FollowUpID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// Something the PM owes someone: "send Dana the export spec", due on a day (and maybe at a time).
public struct FollowUp: Sendable, Codable, Equatable, Identifiable {
    public var id: FollowUpID
    public var text: String
    public var person: PersonSummary
    public var conversation: ConversationID?
    /// The day it is due, as the user meant it in their zone; nil for "some time".
    public var dueDay: CalendarDay?
    /// The moment it is due, when a time was given (`tomorrow 15:00`).
    public var dueAt: Date?
    /// When it was done; nil while open.
    public var doneAt: Date?
    /// How many times it was snoozed (moved later).
    public var snoozes: Int
    public var createdAt: Date

    public init(id: FollowUpID, text: String, person: PersonSummary, conversation: ConversationID? = nil,
                dueDay: CalendarDay? = nil, dueAt: Date? = nil, doneAt: Date? = nil, snoozes: Int = 0, createdAt: Date) {
        self.id = id
        self.text = text
        self.person = person
        self.conversation = conversation
        self.dueDay = dueDay
        self.dueAt = dueAt
        self.doneAt = doneAt
        self.snoozes = snoozes
        self.createdAt = createdAt
    }

    public var isOpen: Bool { doneAt == nil }

    private enum CodingKeys: String, CodingKey {
        case id, text, person, conversation, dueDay, dueAt, doneAt, snoozes, createdAt, status
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(text, forKey: .text)
        try c.encode(person, forKey: .person)
        try c.encode(conversation, forKey: .conversation)
        try c.encode(dueDay, forKey: .dueDay)
        try c.encode(dueAt, forKey: .dueAt)
        try c.encode(doneAt, forKey: .doneAt)
        try c.encode(snoozes, forKey: .snoozes)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(isOpen ? "open" : "done", forKey: .status)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(
            id: try c.decode(FollowUpID.self, forKey: .id), text: try c.decode(String.self, forKey: .text),
            person: try c.decode(PersonSummary.self, forKey: .person),
            conversation: try c.decodeIfPresent(ConversationID.self, forKey: .conversation),
            dueDay: try c.decodeIfPresent(CalendarDay.self, forKey: .dueDay),
            dueAt: try c.decodeIfPresent(Date.self, forKey: .dueAt),
            doneAt: try c.decodeIfPresent(Date.self, forKey: .doneAt),
            snoozes: try c.decodeIfPresent(Int.self, forKey: .snoozes) ?? 0,
            createdAt: try c.decode(Date.self, forKey: .createdAt))
    }

    /// Checks the text of a follow-up: present and short enough to read in a list.
    public static func validText(_ text: String) throws -> String {
        let t = text.trimmed
        if t.isEmpty { throw RapportError.invalid("text", "say what to follow up on, e.g. \"send Dana the export spec\"") }
        if t.count > 1000 { throw RapportError.invalid("text", "keep a follow-up under 1000 characters (it has \(t.count)); put detail in the conversation notes") }
        return t
    }
}

/// Which follow-ups to list.
public enum FollowUpState: String, Sendable, Codable, CaseIterable {
    case open, done, all
}
