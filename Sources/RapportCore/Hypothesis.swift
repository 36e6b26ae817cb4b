#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a hypothesis.
public struct HypothesisID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

public enum HypothesisStatus: String, Sendable, Codable, CaseIterable {
    case untested, testing, validated, invalidated
}

/// What the PM writes about a hypothesis.
public struct HypothesisDetails: Sendable, Codable, Equatable {
    /// "Ops Leads would pay for scheduled exports".
    public var text: String
    public var personas: [String]
    public var area: String?

    public init(text: String, personas: [String] = [], area: String? = nil) {
        self.text = text
        self.personas = personas
        self.area = area
    }

    public func validated() throws -> HypothesisDetails {
        var d = self
        let errors = FieldErrors()
        d.text = d.text.trimmed
        d.area = d.area?.trimmed.nilIfEmpty
        if d.text.isEmpty { errors.append("text", "is empty; state what you believe, e.g. \"Ops Leads lose an hour a week to exports\"") }
        if d.text.count > 1_000 { errors.append("text", "keep a hypothesis under 1000 characters") }
        var personas: [String] = []
        for p in d.personas.map(\.trimmed) where !p.isEmpty && !personas.contains(where: { $0.matchingKey == p.matchingKey }) { personas.append(p) }
        d.personas = personas
        try errors.throwIfAny()
        return d
    }
}

/// One piece of evidence for or against a hypothesis: a piece of feedback or a whole conversation.
public struct HypothesisEvidence: Sendable, Codable, Equatable {
    public var id: Int64
    public var supports: Bool
    public var note: String?
    public var feedback: FeedbackID?
    public var conversation: ConversationID?
    /// The feedback's text, or the conversation's title.
    public var summary: String
    public var person: PersonSummary
    public var personas: [String]
    public var secondhand: Bool
    public var at: Date

    public init(id: Int64, supports: Bool, note: String?, feedback: FeedbackID?, conversation: ConversationID?, summary: String,
                person: PersonSummary, personas: [String], secondhand: Bool, at: Date) {
        self.id = id
        self.supports = supports
        self.note = note
        self.feedback = feedback
        self.conversation = conversation
        self.summary = summary
        self.person = person
        self.personas = personas
        self.secondhand = secondhand
        self.at = at
    }
}

/// Support and contradiction counted by distinct people, direct over second-hand.
public struct HypothesisTally: Sendable, Codable, Equatable {
    public struct Side: Sendable, Codable, Equatable {
        /// Distinct people.
        public var people: Int
        /// Of them, people heard directly at least once.
        public var direct: Int
        public var secondhand: Int
        /// direct + 0.5 × second-hand.
        public var weight: Double
    }

    public var supports: Side
    public var contradicts: Side

    public init(_ evidence: [HypothesisEvidence]) {
        func side(_ items: [HypothesisEvidence]) -> Side {
            var direct = Set<PersonID>(), all = Set<PersonID>()
            for e in items {
                all.insert(e.person.id)
                if !e.secondhand { direct.insert(e.person.id) }
            }
            return Side(people: all.count, direct: direct.count, secondhand: all.count - direct.count,
                        weight: Double(direct.count) + 0.5 * Double(all.count - direct.count))
        }
        supports = side(evidence.filter(\.supports))
        contradicts = side(evidence.filter { !$0.supports })
    }
}

/// A hypothesis with its evidence, the tally and a suggested next step.
public struct Hypothesis: Sendable, Codable, Equatable, Identifiable {
    public var id: HypothesisID
    public var text: String
    public var personas: [String]
    public var area: String?
    public var status: HypothesisStatus
    public var statusAt: Date
    public var evidence: [HypothesisEvidence]
    public var tally: HypothesisTally
    public var nextStep: String
    public var createdAt: Date
    public var updatedAt: Date

    public var details: HypothesisDetails { HypothesisDetails(text: text, personas: personas, area: area) }

    /// People per persona the PM wants to have heard before calling a hypothesis either way.
    public static let enoughPeople = 5

    public init(id: HypothesisID, details: HypothesisDetails, status: HypothesisStatus, statusAt: Date, evidence: [HypothesisEvidence],
                suggestions: [String: [PersonSummary]], createdAt: Date, updatedAt: Date) {
        self.id = id
        text = details.text
        personas = details.personas
        area = details.area
        self.status = status
        self.statusAt = statusAt
        self.evidence = evidence.sorted { ($0.at, $0.id) > ($1.at, $1.id) }
        tally = HypothesisTally(evidence)
        nextStep = Self.nextStep(details: details, status: status, evidence: evidence, suggestions: suggestions)
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// "2 of 3 Ops Leads support; talk to 2 more Ops Leads: pick suggests Dana Kim, Lee Park".
    public static func nextStep(details: HypothesisDetails, status: HypothesisStatus, evidence: [HypothesisEvidence],
                                suggestions: [String: [PersonSummary]]) -> String {
        if status == .validated || status == .invalidated {
            return "Marked \(status.rawValue); add evidence if something changes your mind."
        }
        var parts: [String] = []
        let groups: [(label: String, items: [HypothesisEvidence], key: String?)] = details.personas.isEmpty
            ? [("people", evidence, nil)]
            : details.personas.map { p in (Self.plural(p), evidence.filter { $0.personas.contains { $0.matchingKey == p.matchingKey } }, p) }
        for group in groups {
            let heard = Set(group.items.map(\.person.id)).count
            let supporting = Set(group.items.filter(\.supports).map(\.person.id)).count
            var line = heard == 0 ? "no \(group.label) heard yet" : "\(supporting) of \(heard) \(group.label) support"
            let more = enoughPeople - heard
            if more > 0 {
                line += "; talk to \(more) more \(group.label)"
                let names = (suggestions[group.key ?? ""] ?? []).prefix(3).map(\.name)
                if !names.isEmpty { line += ": pick suggests \(names.joined(separator: ", "))" }
            } else {
                line += "; that is enough to decide: mark it validated or invalidated"
            }
            parts.append(line)
        }
        return parts.joined(separator: ". ").initialUpper + "."
    }

    static func plural(_ persona: String) -> String {
        persona.hasSuffix("s") ? persona : persona + "s"
    }
}
