#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a conversation.
public struct ConversationID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// How a conversation happened.
public enum ConversationKind: String, Sendable, Codable, CaseIterable {
    case call, video, visit, email, chat
    case inPerson = "in-person"
    case event
    /// Reported by someone else (sales, support), who is named in `via`.
    case secondhand

    /// How the kind reads in a sentence.
    public var label: String {
        switch self {
        case .inPerson: return "in person"
        case .secondhand: return "second-hand"
        default: return rawValue
        }
    }
}

/// Who reached out.
public enum Direction: String, Sendable, Codable, CaseIterable {
    /// They reached out to me.
    case inbound
    /// I reached out to them.
    case outbound
}

/// Whether the objective of a conversation was met.
public enum ObjectiveMet: String, Sendable, Codable, CaseIterable {
    case yes, partly, no
}

/// Everything about a conversation the PM types.
public struct ConversationDetails: Sendable, Codable, Equatable {
    public var kind: ConversationKind
    /// When it started.
    public var at: Date
    public var durationMinutes: Int?
    /// The people in it, in the order given; may be empty when `unnamed` describes who it was.
    public var people: [PersonID] = []
    /// A short description of someone unnamed ("a shopper at the Berlin store").
    public var unnamed: String?
    /// The company it was with; when unset, the company of the first person.
    public var company: String?
    public var direction: Direction = .outbound
    public var objective: String?
    public var met: ObjectiveMet?
    /// Markdown.
    public var notes: String = ""
    /// For second-hand reports: who reported it (`Sam (sales)`).
    public var via: String?
    /// The guide run during it, if any.
    public var guide: GuideID?
    /// Answers to the guide's questions, by position.
    public var answers: [ConversationAnswer] = []

    public init(kind: ConversationKind, at: Date) {
        self.kind = kind
        self.at = at
    }
}

/// A person as a conversation or follow-up names them.
public struct PersonSummary: Sendable, Codable, Equatable, Hashable {
    public var id: PersonID
    public var name: String

    public init(id: PersonID, name: String) {
        self.id = id
        self.name = name
    }
}

/// A conversation as stored.
public struct Conversation: Sendable, Equatable, Identifiable {
    public var id: ConversationID
    public var details: ConversationDetails
    /// `details.people` with their names, in the same order.
    public var people: [PersonSummary]
    /// `details.guide` with its name.
    public var guide: GuideSummary?
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: ConversationID, details: ConversationDetails, people: [PersonSummary], guide: GuideSummary? = nil,
                createdAt: Date, updatedAt: Date) {
        self.id = id
        self.details = details
        self.people = people
        self.guide = guide
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// `Call with Dana Kim, Lee Park` / `In person with a shopper at the Berlin store`.
    public var title: String {
        var who = people.map(\.name).joined(separator: ", ")
        if let unnamed = details.unnamed { who = who.isEmpty ? unnamed : who + " and " + unnamed }
        let kind = details.kind.label.initialUpper
        if details.kind == .secondhand {
            return "Second-hand about \(who.isEmpty ? "someone" : who)" + (details.via.map { " via \($0)" } ?? "")
        }
        return who.isEmpty ? kind : "\(kind) with \(who)"
    }
}

extension Conversation: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, kind, at, durationMinutes, people, unnamed, company, direction, objective, met, notes, via, title,
             guide, answers, createdAt, updatedAt
    }

    /// Flat, with `null` for unset fields and the people as `{id, name}` objects.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let d = details
        try c.encode(id, forKey: .id)
        try c.encode(d.kind, forKey: .kind)
        try c.encode(d.at, forKey: .at)
        try c.encode(d.durationMinutes, forKey: .durationMinutes)
        try c.encode(people, forKey: .people)
        try c.encode(d.unnamed, forKey: .unnamed)
        try c.encode(d.company, forKey: .company)
        try c.encode(d.direction, forKey: .direction)
        try c.encode(d.objective, forKey: .objective)
        try c.encode(d.met, forKey: .met)
        try c.encode(d.notes, forKey: .notes)
        try c.encode(d.via, forKey: .via)
        try c.encode(title, forKey: .title)
        try c.encode(guide, forKey: .guide)
        try c.encode(d.answers, forKey: .answers)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var d = ConversationDetails(kind: try c.decode(ConversationKind.self, forKey: .kind), at: try c.decode(Date.self, forKey: .at))
        d.durationMinutes = try c.decodeIfPresent(Int.self, forKey: .durationMinutes)
        let people = try c.decodeIfPresent([PersonSummary].self, forKey: .people) ?? []
        d.people = people.map(\.id)
        d.unnamed = try c.decodeIfPresent(String.self, forKey: .unnamed)
        d.company = try c.decodeIfPresent(String.self, forKey: .company)
        d.direction = try c.decodeIfPresent(Direction.self, forKey: .direction) ?? .outbound
        d.objective = try c.decodeIfPresent(String.self, forKey: .objective)
        d.met = try c.decodeIfPresent(ObjectiveMet.self, forKey: .met)
        d.notes = try c.decodeIfPresent(String.self, forKey: .notes) ?? ""
        d.via = try c.decodeIfPresent(String.self, forKey: .via)
        let guide = try c.decodeIfPresent(GuideSummary.self, forKey: .guide)
        d.guide = guide?.id
        d.answers = try c.decodeIfPresent([ConversationAnswer].self, forKey: .answers) ?? []
        self.init(id: try c.decode(ConversationID.self, forKey: .id), details: d, people: people, guide: guide,
                  createdAt: try c.decode(Date.self, forKey: .createdAt), updatedAt: try c.decode(Date.self, forKey: .updatedAt))
    }
}

/// The rules a conversation must meet before it is stored; every broken rule is reported at once.
public enum ConversationRules {
    public static let maxNotes = 100_000
    public static let maxShort = 500

    /// Trims the text fields, drops empty ones, and checks everything.
    public static func validate(_ details: ConversationDetails, now: Date) throws -> ConversationDetails {
        var d = details
        var errors: [FieldError] = []
        func clean(_ value: String?, _ field: String, limit: Int = maxShort) -> String? {
            guard let text = value?.trimmed, !text.isEmpty else { return nil }
            if text.count > limit { errors.append(FieldError(field, "keep it under \(limit) characters (it has \(text.count))")) }
            return text
        }
        d.unnamed = clean(d.unnamed, "unnamed")
        d.company = clean(d.company, "company", limit: 200)
        d.objective = clean(d.objective, "objective")
        d.via = clean(d.via, "via", limit: 200)
        d.notes = d.notes.trimmed
        if d.notes.count > maxNotes { errors.append(FieldError("notes", "keep notes under \(maxNotes) characters (they have \(d.notes.count)); attach long transcripts as links")) }
        var seen = Set<PersonID>()
        d.people = d.people.filter { seen.insert($0).inserted }
        if d.people.isEmpty && d.unnamed == nil {
            errors.append(FieldError("people", "name at least one person (id, email or part of the name), or describe who it was with --unnamed \"a shopper at the Berlin store\""))
        }
        if let minutes = d.durationMinutes, !(1...1440).contains(minutes) {
            errors.append(FieldError("duration", "give the length in minutes, from 1 to 1440 (it was \(minutes))"))
        }
        if d.kind == .secondhand && d.via == nil {
            errors.append(FieldError("via", "say who reported a second-hand conversation, e.g. --via \"Sam (sales)\""))
        }
        if d.kind != .secondhand && d.via != nil {
            errors.append(FieldError("via", "only second-hand conversations are reported via someone; use kind secondhand or drop --via"))
        }
        // A week of slack for clocks and time zones; anything later is a typo, not a plan (plans are follow-ups).
        if d.at > now.addingTimeInterval(7 * 86_400) {
            errors.append(FieldError("when", "that is more than a week ahead; log conversations that happened, and use a follow-up for one you plan"))
        }
        if d.at < Date(timeIntervalSince1970: 0) {
            errors.append(FieldError("when", "that is before 1970; check the year"))
        }
        do {
            d.answers = try GuideRun.validate(d.answers)
        } catch let error as RapportError {
            errors += error.fieldErrors
        }
        if !errors.isEmpty { throw RapportError.invalid(errors) }
        return d
    }
}

/// What to look for in the conversation list.
public struct ConversationFilter: Sendable, Equatable {
    public var person: PersonID?
    public var company: String?
    public var kind: ConversationKind?
    public var since: Date?
    /// Exclusive.
    public var until: Date?
    public var limit: Int
    /// How many matching conversations to pass over first, newest first (0 to ``Paging/maxOffset``).
    public var offset = 0

    public init(person: PersonID? = nil, company: String? = nil, kind: ConversationKind? = nil, since: Date? = nil,
                until: Date? = nil, limit: Int = 500) {
        self.person = person
        self.company = company
        self.kind = kind
        self.since = since
        self.until = until
        self.limit = limit
    }
}
