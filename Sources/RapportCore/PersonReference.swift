#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How a user names a person on the command line or in a URL: an id, an email, or part of the name.
public enum PersonReference: Sendable, Equatable {
    case id(PersonID)
    case email(String)
    case name(String)

    /// Reads `12`, `#12`, `dana@acme.com` or `dana`.
    public init(parsing text: String) throws {
        let trimmed = text.trimmed
        guard !trimmed.isEmpty else {
            throw RapportError.invalid("person", "no person given; use an id, an email or part of the name")
        }
        let digits = trimmed.hasPrefix("#") ? String(trimmed.dropFirst()) : trimmed
        if let number = Int64(digits), number > 0 {
            self = .id(PersonID(number))
        } else if trimmed.contains("@") {
            self = .email(TextIdentity.emailKey(trimmed))
        } else {
            self = .name(trimmed)
        }
    }

    /// Chooses the one person a name fragment means among those whose name contains it.
    ///
    /// A single match wins; among several, a unique full-name match (by matching key: any case, accents or
    /// Unicode form) wins; otherwise the reference is ambiguous and the error lists the candidates.
    public static func choose(_ fragment: String, among matches: [Person]) throws -> Person {
        if matches.count == 1 { return matches[0] }
        if matches.isEmpty { throw RapportError.notFound(.person, fragment) }
        let key = fragment.matchingKey
        let exact = matches.filter { $0.name.matchingKey == key }
        if exact.count == 1 { return exact[0] }
        let candidates = (exact.isEmpty ? matches : exact).sorted { $0.id < $1.id }
        throw RapportError.ambiguous(.person, fragment, candidates: candidates.map(\.disambiguationLabel))
    }
}
