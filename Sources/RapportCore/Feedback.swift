#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a piece of feedback.
public struct FeedbackID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// What a piece of feedback is.
public enum FeedbackKind: String, Sendable, Codable, CaseIterable {
    case pain, need, request, praise, bug, usage, workaround
    case churnRisk = "churn-risk"

    public var label: String { self == .churnRisk ? "churn risk" : rawValue }
}

/// What the PM writes about a piece of feedback.
public struct FeedbackDetails: Sendable, Codable, Equatable {
    public var text: String
    /// Who said it (or, second-hand, whom it is about).
    public var person: PersonID
    public var conversation: ConversationID?
    public var kind: FeedbackKind
    /// The text is their words, verbatim.
    public var quote = false
    public var themes: [String] = []
    /// The product area ("exports", "billing").
    public var area: String?
    /// 1 (minor) to 5 (blocking).
    public var severity: Int?
    /// Heard from someone else; nil: second-hand exactly when the conversation is.
    public var secondhand: Bool?

    public init(text: String, person: PersonID, kind: FeedbackKind) {
        self.text = text
        self.person = person
        self.kind = kind
    }
}

/// A piece of feedback as stored, with who said it and when.
public struct Feedback: Sendable, Codable, Equatable, Identifiable {
    public var id: FeedbackID
    public var text: String
    public var kind: FeedbackKind
    public var quote: Bool
    public var themes: [String]
    public var area: String?
    public var severity: Int?
    public var secondhand: Bool
    public var person: PersonSummary
    public var company: String?
    public var personas: [String]
    public var conversation: ConversationID?
    /// When it was heard: the conversation's time, else when it was added.
    public var at: Date
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: FeedbackID, text: String, kind: FeedbackKind, quote: Bool, themes: [String], area: String?, severity: Int?,
                secondhand: Bool, person: PersonSummary, company: String?, personas: [String], conversation: ConversationID?,
                at: Date, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.text = text
        self.kind = kind
        self.quote = quote
        self.themes = themes
        self.area = area
        self.severity = severity
        self.secondhand = secondhand
        self.person = person
        self.company = company
        self.personas = personas
        self.conversation = conversation
        self.at = at
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var details: FeedbackDetails {
        var d = FeedbackDetails(text: text, person: person.id, kind: kind)
        d.conversation = conversation
        d.quote = quote
        d.themes = themes
        d.area = area
        d.severity = severity
        d.secondhand = secondhand
        return d
    }
}

/// The checks on feedback, all reported at once.
public enum FeedbackRules {
    public static let maxText = 5_000

    public static func validate(_ details: FeedbackDetails) throws -> FeedbackDetails {
        var d = details
        let errors = FieldErrors()
        d.text = d.text.trimmed
        if d.text.isEmpty {
            errors.append("text", "is empty; write what you heard, e.g. \"Exports take an hour every Monday\"")
        } else if d.text.count > maxText {
            errors.append("text", "keep feedback under \(maxText) characters (it has \(d.text.count)); link long transcripts from the conversation")
        }
        if let severity = d.severity, !(1...5).contains(severity) {
            errors.append("severity", "\(severity) is out of range; give 1 (minor) to 5 (blocking)")
        }
        d.area = d.area?.trimmed.nilIfEmpty
        if let area = d.area, area.count > 100 { errors.append("area", "keep the area under 100 characters") }
        d.themes = Themes.clean(d.themes, errors: errors)
        try errors.throwIfAny()
        return d
    }
}

/// Theme names: trimmed, one per name in any letter case, no commas.
public enum Themes {
    public static func clean(_ names: [String], errors: FieldErrors) -> [String] {
        var out: [String] = []
        for raw in names {
            let name = raw.trimmed
            guard !name.isEmpty else { continue }
            // Counted as sent, in Unicode scalars, as JSON Schema's maxLength counts (the API documents 60).
            if raw.unicodeScalars.count > 60 || name.contains(",") {
                errors.append("theme", "\"\(raw)\" is not a theme name; use a short phrase without commas, e.g. slow exports")
            } else if !out.contains(where: { $0.matchingKey == name.matchingKey }) {
                out.append(name)
            }
        }
        return out
    }

    /// The key two spellings of one theme share.
    public static func key(_ name: String) -> String { name.trimmed.matchingKey }
}

/// `pain: exports take an hour`, as typed after `--feedback` or in the log form.
public enum FeedbackLine {
    public static func parse(_ line: String) throws -> (FeedbackKind, String) {
        let kinds = FeedbackKind.allCases.map(\.rawValue).joined(separator: ", ")
        guard let colon = line.firstIndex(of: ":") else {
            throw RapportError.invalid("feedback", "\"\(line.prefix(40))\" has no kind; start with one of \(kinds) and a colon, e.g. \"pain: exports take an hour\"")
        }
        let word = line[..<colon].trimmed.lowercased()
        guard let kind = FeedbackKind(rawValue: word) ?? (word == "churn risk" ? .churnRisk : nil) else {
            let hint = ClosestNames.to(word, among: FeedbackKind.allCases.map(\.rawValue), maxDistance: 3, limit: 1).first.map { "did you mean \($0)? " } ?? ""
            throw RapportError.invalid("feedback", "\"\(word)\" is not a kind of feedback; \(hint)use one of \(kinds)")
        }
        return (kind, String(line[line.index(after: colon)...]).trimmed)
    }
}

/// What to look for in feedback.
public struct FeedbackFilter: Sendable, Equatable {
    public var kind: FeedbackKind?
    public var theme: String?
    public var area: String?
    public var person: PersonID?
    public var company: String?
    public var persona: String?
    public var conversation: ConversationID?
    public var since: Date?
    /// Exclusive.
    public var until: Date?
    public var quotesOnly = false
    public var limit = 1_000
    /// How many matching pieces to pass over first, newest first (0 to ``Paging/maxOffset``).
    public var offset = 0

    public init() {}

    /// Whether `f` passes the filters that are not done in SQL (theme, area, persona, company).
    public func matches(_ f: Feedback) -> Bool {
        if let theme, !f.themes.contains(where: { $0.matchingKey == theme.trimmed.matchingKey }) { return false }
        if let area, f.area?.matchingKey != area.trimmed.matchingKey { return false }
        if let persona, !f.personas.contains(where: { $0.matchingKey == persona.trimmed.matchingKey }) { return false }
        if let company, f.company?.matchingKey != company.trimmed.matchingKey { return false }
        return true
    }
}
