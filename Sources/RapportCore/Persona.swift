#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What the PM writes about a persona: who they are, what they want, what hurts.
public struct PersonaDetails: Sendable, Codable, Equatable {
    public var name: String
    public var description: String
    public var goals: String
    public var pains: String

    public init(name: String, description: String = "", goals: String = "", pains: String = "") {
        self.name = name
        self.description = description
        self.goals = goals
        self.pains = pains
    }

    /// Trims the text and checks the name and lengths.
    public func validated() throws -> PersonaDetails {
        var d = self
        d.name = PersonRules.collapse(name)
        d.description = description.trimmed
        d.goals = goals.trimmed
        d.pains = pains.trimmed
        var errors: [FieldError] = []
        if d.name.isEmpty { errors.append(FieldError("name", "a persona needs a name, such as \"Ops Lead\"")) }
        if d.name.count > 60 { errors.append(FieldError("name", "is \(d.name.count) characters; keep it under 60")) }
        for (field, text) in [("description", d.description), ("goals", d.goals), ("pains", d.pains)] where text.count > 10_000 {
            errors.append(FieldError(field, "is \(text.count) characters; keep it under 10000"))
        }
        if !errors.isEmpty { throw RapportError.invalid(errors) }
        return d
    }
}

/// A kind of person the product serves, such as "Ops Lead" or "Data Analyst".
public struct Persona: Sendable, Codable, Equatable, Identifiable {
    public var id: PersonaID
    public var name: String
    public var description: String
    public var goals: String
    public var pains: String
    /// How many people (not archived) carry this persona.
    public var peopleCount: Int
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: PersonaID, details: PersonaDetails, peopleCount: Int = 0, createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.name = details.name
        self.description = details.description
        self.goals = details.goals
        self.pains = details.pains
        self.peopleCount = peopleCount
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
