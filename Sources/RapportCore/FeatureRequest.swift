#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a feature request (an opportunity).
public struct FeatureRequestID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

public enum FeatureRequestStatus: String, Sendable, Codable, CaseIterable {
    case new, considering, planned, shipped, declined
}

/// What the PM writes about a feature request.
public struct FeatureRequestDetails: Sendable, Codable, Equatable {
    public var title: String
    /// The problem behind it, in the customer's terms.
    public var problem: String?
    public var area: String?
    /// 1 to 5; nil until scored.
    public var impact: Int?
    /// 1 to 5; nil until scored.
    public var effort: Int?

    public init(title: String, problem: String? = nil, area: String? = nil, impact: Int? = nil, effort: Int? = nil) {
        self.title = title
        self.problem = problem
        self.area = area
        self.impact = impact
        self.effort = effort
    }
}

public enum FeatureRequestRules {
    public static func validate(_ details: FeatureRequestDetails) throws -> FeatureRequestDetails {
        var d = details
        let errors = FieldErrors()
        d.title = d.title.trimmed
        d.problem = d.problem?.trimmed.nilIfEmpty
        d.area = d.area?.trimmed.nilIfEmpty
        if d.title.isEmpty { errors.append("title", "is empty; name what they ask for, e.g. \"Scheduled exports\"") }
        if d.title.count > 200 { errors.append("title", "keep the title under 200 characters") }
        if let p = d.problem, p.count > 5_000 { errors.append("problem", "keep the problem under 5000 characters") }
        for (field, value) in [("impact", d.impact), ("effort", d.effort)] {
            if let value, !(1...5).contains(value) { errors.append(field, "\(value) is out of range; give 1 (low) to 5 (high)") }
        }
        try errors.throwIfAny()
        return d
    }
}

/// The evidence behind a request (or any set of feedback), counted by distinct people.
public struct Evidence: Sendable, Codable, Equatable {
    /// Feedback items linked.
    public var mentions: Int
    public var distinctPeople: Int
    public var distinctCompanies: Int
    /// People who said it themselves.
    public var directPeople: Int
    /// People heard of only second-hand.
    public var secondhandPeople: Int
    /// People with a verbatim quote among their feedback.
    public var quotedPeople: Int
    public var personas: [ThemeSummary.PersonaCount]
    public var firstHeard: Date?
    public var lastHeard: Date?
    /// 1 per person who said it directly, 0.5 per person heard only second-hand, +0.5 per person quoted verbatim.
    public var score: Double

    public static let directWeight = 1.0
    public static let secondhandWeight = 0.5
    public static let quoteBonus = 0.5

    public init(_ feedback: [Feedback]) {
        var byPerson: [PersonID: [Feedback]] = [:]
        for f in feedback { byPerson[f.person.id, default: []].append(f) }
        mentions = feedback.count
        distinctPeople = byPerson.count
        distinctCompanies = Set(feedback.compactMap { $0.company?.matchingKey }).count
        directPeople = byPerson.values.filter { $0.contains { !$0.secondhand } }.count
        secondhandPeople = distinctPeople - directPeople
        quotedPeople = byPerson.values.filter { $0.contains(where: \.quote) }.count
        var personaPeople: [String: Set<PersonID>] = [:]
        for f in feedback { for p in f.personas { personaPeople[p, default: []].insert(f.person.id) } }
        personas = personaPeople.map { ThemeSummary.PersonaCount(persona: $0.key, count: $0.value.count) }
            .sorted { ($1.count, $0.persona) < ($0.count, $1.persona) }
        firstHeard = feedback.map(\.at).min()
        lastHeard = feedback.map(\.at).max()
        score = Double(directPeople) * Self.directWeight + Double(secondhandPeople) * Self.secondhandWeight
            + Double(quotedPeople) * Self.quoteBonus
    }
}

/// A request's priority and the parts it is made of.
public struct Priority: Sendable, Codable, Equatable {
    public var evidence: Double
    public var impact: Int
    public var effort: Int
    /// Impact or effort is not scored yet and counts as 3.
    public var assumed: Bool
    public var score: Double
    /// "4.5 = evidence 3.0 × impact 3 ÷ effort 2".
    public var explanation: String

    public static let formula = "priority = evidence × impact ÷ effort, where evidence counts 1 per person who asked directly, 0.5 per person heard of only second-hand, and 0.5 more per person quoted verbatim; impact and effort run 1 to 5 and count as 3 until scored"

    public init(evidence: Evidence, impact: Int?, effort: Int?) {
        self.evidence = evidence.score
        self.impact = impact ?? 3
        self.effort = effort ?? 3
        assumed = impact == nil || effort == nil
        score = (evidence.score * Double(self.impact) / Double(self.effort) * 10).rounded() / 10
        explanation = "\(score.oneDecimal) = evidence \(evidence.score.oneDecimal) × impact \(self.impact)\(impact == nil ? " (assumed)" : "") ÷ effort \(self.effort)\(effort == nil ? " (assumed)" : "")"
    }

}

/// A feature request with its evidence and priority.
public struct FeatureRequest: Sendable, Codable, Equatable, Identifiable {
    public var id: FeatureRequestID
    public var title: String
    public var problem: String?
    public var area: String?
    public var impact: Int?
    public var effort: Int?
    public var status: FeatureRequestStatus
    public var statusAt: Date
    public var evidence: Evidence
    public var priority: Priority
    /// The linked feedback, newest first.
    public var feedback: [Feedback]
    /// Who asked (distinct, in the order first heard), and whether they were told it shipped.
    public var askers: [Asker]
    public var createdAt: Date
    public var updatedAt: Date

    public struct Asker: Sendable, Codable, Equatable {
        public var person: PersonSummary
        public var company: String?
        public var notifiedAt: Date?
    }

    public var details: FeatureRequestDetails {
        FeatureRequestDetails(title: title, problem: problem, area: area, impact: impact, effort: effort)
    }

    /// In JSON, also `distinctPeople` and `distinctCompanies` at the top level.
    private enum Keys: String, CodingKey {
        case id, title, problem, area, impact, effort, status, statusAt, evidence, priority, feedback, askers, createdAt, updatedAt,
             distinctPeople, distinctCompanies
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(id, forKey: .id)
        try c.encode(title, forKey: .title)
        try c.encode(problem, forKey: .problem)
        try c.encode(area, forKey: .area)
        try c.encode(impact, forKey: .impact)
        try c.encode(effort, forKey: .effort)
        try c.encode(status, forKey: .status)
        try c.encode(statusAt, forKey: .statusAt)
        try c.encode(evidence, forKey: .evidence)
        try c.encode(priority, forKey: .priority)
        try c.encode(feedback, forKey: .feedback)
        try c.encode(askers, forKey: .askers)
        try c.encode(evidence.distinctPeople, forKey: .distinctPeople)
        try c.encode(evidence.distinctCompanies, forKey: .distinctCompanies)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: Keys.self)
        id = try c.decode(FeatureRequestID.self, forKey: .id)
        title = try c.decode(String.self, forKey: .title)
        problem = try c.decodeIfPresent(String.self, forKey: .problem)
        area = try c.decodeIfPresent(String.self, forKey: .area)
        impact = try c.decodeIfPresent(Int.self, forKey: .impact)
        effort = try c.decodeIfPresent(Int.self, forKey: .effort)
        status = try c.decode(FeatureRequestStatus.self, forKey: .status)
        statusAt = try c.decode(Date.self, forKey: .statusAt)
        evidence = try c.decode(Evidence.self, forKey: .evidence)
        priority = try c.decode(Priority.self, forKey: .priority)
        feedback = try c.decode([Feedback].self, forKey: .feedback)
        askers = try c.decode([Asker].self, forKey: .askers)
        createdAt = try c.decode(Date.self, forKey: .createdAt)
        updatedAt = try c.decode(Date.self, forKey: .updatedAt)
    }

    public init(id: FeatureRequestID, details: FeatureRequestDetails, status: FeatureRequestStatus, statusAt: Date,
                feedback: [Feedback], notified: [PersonID: Date], createdAt: Date, updatedAt: Date) {
        self.id = id
        title = details.title
        problem = details.problem
        area = details.area
        impact = details.impact
        effort = details.effort
        self.status = status
        self.statusAt = statusAt
        self.feedback = feedback.sorted { ($0.at, $0.id) > ($1.at, $1.id) }
        evidence = Evidence(feedback)
        priority = Priority(evidence: evidence, impact: details.impact, effort: details.effort)
        var seen = Set<PersonID>()
        askers = feedback.sorted { ($0.at, $0.id) < ($1.at, $1.id) }.compactMap { f in
            guard seen.insert(f.person.id).inserted else { return nil }
            return Asker(person: f.person, company: f.company, notifiedAt: notified[f.person.id])
        }
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// How the request board sorts.
public enum FeatureRequestSort: String, Sendable, Codable, CaseIterable {
    case priority, evidence, recent

    public func sorted(_ requests: [FeatureRequest]) -> [FeatureRequest] {
        switch self {
        case .priority: return requests.sorted { ($0.priority.score, $0.evidence.score, $0.id.rawValue) > ($1.priority.score, $1.evidence.score, $1.id.rawValue) }
        case .evidence: return requests.sorted { ($0.evidence.score, $0.evidence.mentions, $0.id.rawValue) > ($1.evidence.score, $1.evidence.mentions, $1.id.rawValue) }
        case .recent: return requests.sorted { ($0.evidence.lastHeard ?? $0.createdAt, $0.id.rawValue) > ($1.evidence.lastHeard ?? $1.createdAt, $1.id.rawValue) }
        }
    }
}

/// The email that tells someone a request they asked for shipped (closing the loop).
public enum RequestNotice {
    public static let placeholders = ["first_name", "name", "company", "request", "product", "sender"]
    public static let defaultBody = "Hi {{first_name}},\n\nwhen we talked, you asked for {{request}}. It is in {{product}} now, and your feedback helped shape it.\n\nThank you,\n{{sender}}"

    /// Subject and body for `person`; a missing product or sender reads "our product" or nothing.
    public static func render(subject: String, body: String, request: FeatureRequest, person: Person, product: String?, sender: String?) -> (String, String) {
        let values = ["first_name": person.firstName, "name": person.name, "company": person.details.company ?? "your company",
                      "request": request.title, "product": product ?? "our product", "sender": sender ?? ""]
        return (MessageTemplate.render(subject, values: values), MessageTemplate.render(body, values: values).trimmed)
    }
}
