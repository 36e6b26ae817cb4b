import Synchronization
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One problem with one input field, said so a person can fix it.
public struct FieldError: Error, Sendable, Codable, Equatable {
    /// The field's name as the user knows it (`email`, `timeZone`, `warmth`).
    public var field: String
    /// What is wrong and what to do about it.
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// The kinds of things Rapport stores, named as the user names them.
public enum EntityKind: String, Sendable, Codable {
    case person, persona, company, account, conversation, attempt, campaign, question, guide, feedback, request, hypothesis, theme, goal
    case followUp = "follow-up"
}

/// Every failure a user can cause, with a message they can act on.
///
/// Mapped to exit codes in the CLI and to HTTP statuses in RapportWeb only.
public enum RapportError: Error, Sendable, Equatable {
    /// Nothing matched the reference the user gave.
    case notFound(EntityKind, String)
    /// The reference matched several things; the candidates are listed so the user can pick one.
    case ambiguous(EntityKind, String, candidates: [String])
    /// One or more fields are invalid; nothing was written.
    case invalid([FieldError])
    /// The change would break a rule of the data (a duplicate email, merging a person into themself).
    case conflict(field: String, message: String)
    /// The person being added is most likely someone already in the circle; nothing was written.
    case duplicate(DuplicateMatch)
    /// The database could not be opened or used.
    case storage(String)

    /// A convenience for a single invalid field.
    public static func invalid(_ field: String, _ message: String) -> RapportError {
        .invalid([FieldError(field, message)])
    }

    /// The message shown to a person.
    public var message: String {
        switch self {
        case .notFound(let kind, let ref):
            switch kind {
            case .person: return "no person matches \"\(ref)\"; check the spelling, or use an id or email"
            case .conversation, .followUp, .attempt:
                let command = kind == .conversation ? "conversations list" : kind == .attempt ? "attempts" : "followups list"
                return "no \(kind.rawValue) \(ref.hasPrefix("#") ? ref : "#" + ref); list them with `rapport \(command)`"
            case .campaign: return "no campaign is named \"\(ref)\"; list them with `rapport campaigns list`"
            case .goal, .request, .hypothesis, .feedback:
                let list = kind == .feedback ? "feedback" : kind == .hypothesis ? "hypotheses" : kind.rawValue + "s"
                return "no \(kind.rawValue) \(ref.hasPrefix("#") ? ref : "#" + ref); list them with `rapport \(list) list`"
            default: return "no \(kind.rawValue) matches \"\(ref)\"; check the spelling"
            }
        case .ambiguous(let kind, let ref, let candidates):
            return "\"\(ref)\" matches \(candidates.count) \(kind.rawValue == "person" ? "people" : kind.rawValue + "s"); "
                + "use an id or email:\n" + candidates.map { "  \($0)" }.joined(separator: "\n")
        case .invalid(let errors):
            return errors.map { "\($0.field): \($0.message)" }.joined(separator: "\n")
        case .conflict(let field, let message):
            return "\(field): \(message)"
        case .duplicate(let match):
            return "\(match.label) is already in your circle (\(DuplicateBasis.describe(match.basis)))"
        case .storage(let message):
            return message
        }
    }

    /// The field errors this failure carries, for forms and problem bodies.
    public var fieldErrors: [FieldError] {
        switch self {
        case .invalid(let errors): return errors
        case .conflict(let field, let message): return [FieldError(field, message)]
        case .duplicate(let match): return [FieldError(match.basis.first?.rawValue ?? "name", "\(match.label) is already in your circle")]
        default: return []
        }
    }
}

/// Gathers the field errors of several checks, so the first bad field does not hide the next: every form, command
/// and request body reports all of them at once.
///
/// A reference type: a check's closure may itself record an error (`errors.check { try text("at") }` where `text`
/// appends) without two overlapping accesses to one value, which Swift's exclusivity enforcement turns into a
/// process abort ("Simultaneous accesses"; issue 16, case 1). Appending from any thread is safe.
public final class FieldErrors: Sendable {
    private let gathered = Mutex<[FieldError]>([])

    public init() {}

    /// Every error gathered so far, in the order they were found.
    public var all: [FieldError] { gathered.withLock { $0 } }

    public var isEmpty: Bool { gathered.withLock { $0.isEmpty } }

    public func append(_ field: String, _ message: String) {
        gathered.withLock { $0.append(FieldError(field, message)) }
    }

    public func append(contentsOf errors: [FieldError]) {
        gathered.withLock { $0 += errors }
    }

    /// The value of `body`, or nil with its field errors kept; any other failure is thrown on.
    public func check<T>(_ body: () throws -> T) throws -> T? {
        do {
            return try body()
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            append(contentsOf: error.fieldErrors)
            return nil
        }
    }

    /// The same for an async `body`.
    public func check<T>(_ body: () async throws -> T) async throws -> T? {
        do {
            return try await body()
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            append(contentsOf: error.fieldErrors)
            return nil
        }
    }

    /// Throws every gathered error as one ``RapportError/invalid(_:)``; does nothing when there are none.
    public func throwIfAny() throws {
        let all = all
        if !all.isEmpty { throw RapportError.invalid(all) }
    }
}
