/// What two records of people share that makes them likely one person.
public enum DuplicateBasis: String, Sendable, Codable, CaseIterable {
    /// The same name by matching key (``TextIdentity/key(_:)``): "Dana Kim", "DANA KIM", "Dána Kim".
    case name
    /// The same email (``TextIdentity/emailKey(_:)``).
    case email
    /// The same phone number (``PhoneNumber/key(_:)``, E.164 where the number has its country code).
    case phone

    /// "same name", "same email", "same phone".
    public static func describe(_ bases: [DuplicateBasis]) -> String {
        "same " + bases.map(\.rawValue).joined(separator: ", ")
    }
}

/// Someone already in the circle whom a new person would repeat.
public struct DuplicateMatch: Sendable, Equatable, Codable {
    public var person: Person
    public var basis: [DuplicateBasis]

    public init(person: Person, basis: [DuplicateBasis]) {
        self.person = person
        self.basis = basis
    }

    /// Whether the new person may still be added on purpose: not when an email is shared, since an email is one
    /// person's (mail, campaigns and imports are matched by it).
    public var canAddAnyway: Bool { !basis.contains(.email) }

    /// "Dana Kim (#12, Nordwind Logistics, dana@acme.com)".
    public var label: String {
        let d = person.details
        let parts = ["#\(person.id)"] + [d.company, d.emails.first?.value, d.phones.first?.value].compactMap { $0 }
            + (person.archived ? ["archived"] : [])
        return "\(d.name) (\(parts.joined(separator: ", ")))"
    }
}

/// Two people stored who are likely one, with what they share; `first` is the older.
public struct DuplicatePair: Sendable, Equatable, Codable {
    public var first: Person
    public var second: Person
    public var basis: [DuplicateBasis]

    public init(first: Person, second: Person, basis: [DuplicateBasis]) {
        self.first = first
        self.second = second
        self.basis = basis
    }
}

extension DoNotContact {
    /// The reason to store, trimmed; refused when empty or over 500 characters.
    public static func checkedReason(_ reason: String) throws -> String {
        let trimmed = reason.trimmed
        if trimmed.isEmpty {
            throw RapportError.invalid("reason", "say why they must not be contacted (for example \"asked not to be called\")")
        }
        if trimmed.count > 500 { throw RapportError.invalid("reason", "keep the reason under 500 characters") }
        return trimmed
    }
}
