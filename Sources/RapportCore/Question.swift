#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a question in the bank.
public struct QuestionID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// How a question has done in conversations: asked (it has an answer in a logged conversation) and how often the
/// answer ran long (over ``QuestionUsage/longAnswer`` characters), which is how a PM sees which questions work.
public struct QuestionUsage: Sendable, Codable, Equatable {
    /// Answers longer than this many characters count as long.
    public static let longAnswer = 200
    public var asked: Int
    public var longAnswers: Int

    public init(asked: Int = 0, longAnswers: Int = 0) {
        self.asked = asked
        self.longAnswers = longAnswers
    }

    /// Long answers per question asked, as a whole percent; nil before it was asked.
    public var longPercent: Int? { asked == 0 ? nil : Int(saturating: Double(longAnswers) * 100 / Double(asked)) }
}

/// What the PM writes about a question.
public struct QuestionDetails: Sendable, Codable, Equatable {
    /// The question, with placeholders such as `{{product}}` and `{{role}}`.
    public var text: String
    /// Lower-case tags, in the order given.
    public var tags: [String]

    public init(text: String, tags: [String] = []) {
        self.text = text
        self.tags = tags
    }
}

/// A question in the bank.
public struct Question: Sendable, Codable, Equatable, Identifiable {
    public var id: QuestionID
    public var text: String
    public var tags: [String]
    /// Retired questions stay in the guides and answers that use them but are not offered for new guides.
    public var retired: Bool
    public var usage: QuestionUsage
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: QuestionID, text: String, tags: [String], retired: Bool, usage: QuestionUsage, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.text = text
        self.tags = tags
        self.retired = retired
        self.usage = usage
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var details: QuestionDetails { QuestionDetails(text: text, tags: tags) }
}

/// The checks on a question, all reported at once.
public enum QuestionRules {
    public static let maxText = 500

    /// Trims the text, normalises the tags and checks the placeholders.
    public static func validate(_ details: QuestionDetails) throws -> QuestionDetails {
        var d = details
        let errors = FieldErrors()
        d.text = d.text.split(whereSeparator: \.isNewline).map { $0.trimmed }.joined(separator: " ").trimmed
        if d.text.isEmpty {
            errors.append("text", "is empty; write the question, e.g. \"How do you decide which report to run first?\"")
        } else if d.text.count > maxText {
            errors.append("text", "keep a question under \(maxText) characters (it has \(d.text.count)); split it into two")
        }
        errors.append(contentsOf: GuideFill.check(d.text, field: "text"))
        var seen = Set<String>()
        var tags: [String] = []
        for raw in d.tags {
            let tag = raw.trimmed.lowercased()
            guard !tag.isEmpty else { continue }
            if tag.count > 40 || tag.contains(",") {
                errors.append("tag", "\"\(raw)\" is not a tag; use a short word or two without commas, e.g. onboarding")
            } else if seen.insert(tag).inserted {
                tags.append(tag)
            }
        }
        d.tags = tags
        try errors.throwIfAny()
        return d
    }
}

/// The questions a fresh database starts with, from the articles, tagged `starter`.
public enum StarterQuestions {
    public static let tag = "starter"

    public static let all: [QuestionDetails] = [
        QuestionDetails(text: "What is your job title?", tags: [tag, "who-they-are"]),
        QuestionDetails(text: "How long have you worked at {{company}}?", tags: [tag, "who-they-are"]),
        QuestionDetails(text: "Where did you work before?", tags: [tag, "who-they-are"]),
        QuestionDetails(text: "Why did you start using {{product}}?", tags: [tag, "why"]),
        QuestionDetails(text: "What sold you on {{product}}?", tags: [tag, "why"]),
        QuestionDetails(text: "How do you typically use {{product}} on a daily or weekly basis?", tags: [tag, "how"]),
        QuestionDetails(text: "Which features do you use the most? Why?", tags: [tag, "how"]),
        QuestionDetails(text: "What is the hardest part about being a {{role}}?", tags: [tag, "pains"]),
    ]
}
