#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies an interview guide.
public struct GuideID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// A guide as a conversation names it.
public struct GuideSummary: Sendable, Codable, Equatable, Hashable {
    public var id: GuideID
    public var name: String

    public init(id: GuideID, name: String) {
        self.id = id
        self.name = name
    }
}

/// What the PM writes about a guide: the objective and the questions in order.
public struct GuideDetails: Sendable, Codable, Equatable {
    public var name: String
    /// What the PM sets out to learn; every conversation needs one.
    public var objective: String
    /// Persona names this guide is for.
    public var personas: [String]
    /// Bank questions, in the order to ask them.
    public var questions: [QuestionID]

    public init(name: String, objective: String, personas: [String] = [], questions: [QuestionID] = []) {
        self.name = name
        self.objective = objective
        self.personas = personas
        self.questions = questions
    }
}

/// A question at its place in a guide.
public struct GuideQuestion: Sendable, Codable, Equatable {
    /// From 1.
    public var position: Int
    public var id: QuestionID
    public var text: String
    public var tags: [String]
    public var retired: Bool

    public init(position: Int, question: Question) {
        self.position = position
        self.id = question.id
        self.text = question.text
        self.tags = question.tags
        self.retired = question.retired
    }
}

/// An interview guide: an objective and ordered questions.
public struct Guide: Sendable, Codable, Equatable, Identifiable {
    public var id: GuideID
    public var name: String
    public var objective: String
    public var personas: [String]
    public var questions: [GuideQuestion]
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: GuideID, name: String, objective: String, personas: [String], questions: [GuideQuestion], createdAt: Date, updatedAt: Date) {
        self.id = id
        self.name = name
        self.objective = objective
        self.personas = personas
        self.questions = questions
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var summary: GuideSummary { GuideSummary(id: id, name: name) }
    public var details: GuideDetails { GuideDetails(name: name, objective: objective, personas: personas, questions: questions.map(\.id)) }
}

extension GuideDetails {
    /// Moves the question at `from` to `to` (positions from 1); errors name `field`.
    public mutating func moveQuestion(_ from: Int, to: Int, field: String = "move") throws {
        guard questions.indices.contains(from - 1), questions.indices.contains(to - 1) else {
            throw RapportError.invalid(field, questions.isEmpty ? "the guide has no questions to move"
                : "positions run from 1 to \(questions.count); question \(from) cannot move to \(to)")
        }
        questions.insert(questions.remove(at: from - 1), at: to - 1)
    }

    /// Takes out the questions at `positions` (from 1); errors name `field`.
    public mutating func removeQuestions(at positions: Set<Int>, field: String = "remove") throws {
        for position in positions.sorted() where !questions.indices.contains(position - 1) {
            throw RapportError.invalid(field, "there is no question \(position); the guide has \(questions.count)")
        }
        questions = questions.enumerated().filter { !positions.contains($0.offset + 1) }.map(\.element)
    }
}

/// The checks on a guide, all reported at once.
public enum GuideRules {
    public static let maxQuestions = 40

    public static func validate(_ details: GuideDetails) throws -> GuideDetails {
        var d = details
        let errors = FieldErrors()
        d.name = d.name.trimmed
        d.objective = d.objective.trimmed
        if d.name.isEmpty {
            errors.append("name", "is empty; name the guide, e.g. \"Onboarding interviews\"")
        } else if d.name.count > 100 {
            errors.append("name", "keep the name under 100 characters (it has \(d.name.count))")
        } else if Int64(d.name.trimmingEdges { $0 == "#" }) != nil {
            errors.append("name", "\"\(d.name)\" is only a number, which reads as a guide's id; add a word")
        }
        if d.objective.isEmpty {
            errors.append("objective", "is needed: go in with what you want to learn, e.g. --objective \"find out why exports take an hour\"")
        } else if d.objective.count > 500 {
            errors.append("objective", "keep the objective under 500 characters (it has \(d.objective.count))")
        }
        var seen = Set<QuestionID>()
        for id in d.questions where !seen.insert(id).inserted {
            errors.append("question", "question #\(id) is in the guide twice; ask each question once")
        }
        if d.questions.count > maxQuestions {
            errors.append("question", "a guide of \(d.questions.count) questions will not fit a conversation; keep it to \(maxQuestions)")
        }
        var personas: [String] = []
        for name in d.personas.map(\.trimmed) where !name.isEmpty && !personas.contains(where: { $0.lowercased() == name.lowercased() }) {
            personas.append(name)
        }
        d.personas = personas
        try errors.throwIfAny()
        return d
    }
}

/// Fills a question's placeholders for one person.
public enum GuideFill {
    /// Every placeholder a question may use.
    public static let placeholders = ["first_name", "name", "role", "company", "product"]
    /// Placeholders filled from a person; without one they stay visible.
    static let personal: Set<String> = ["first_name", "name", "role", "company"]

    /// Errors for unknown placeholders and unclosed braces in `text`, under `field`.
    public static func check(_ text: String, field: String) -> [FieldError] {
        MessageTemplate.check(text, field: field, allowed: placeholders)
    }

    /// `text` filled for `person`: `{{role}}` is their title or "your role" (never empty), `{{company}}` theirs or
    /// "your company", `{{product}}` the product setting or "our product". Without a person, only `{{product}}` is filled.
    public static func fill(_ text: String, person: Person?, product: String?) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{"), let close = rest[open.upperBound...].firstRange(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmed.lowercased()
            rest = rest[close.upperBound...]
            guard let person else {
                out += name == "product" ? (product ?? "our product") : "{{\(name)}}"
                continue
            }
            switch name {
            case "first_name": out += person.firstName
            case "name": out += person.name
            case "company": out += person.details.company ?? "your company"
            case "product": out += product ?? "our product"
            case "role":
                if let title = person.details.title?.trimmed.nilIfEmpty {
                    out = fixArticle(out, before: title)
                    out += title
                } else if let cut = articleEnd(out) {
                    // "being a {{role}}" with no title: "being in your role", not "being a your role".
                    let kept = String(out[..<cut])
                    out = kept + (kept.lowercased().hasSuffix("being ") ? "in your role" : "your role")
                } else {
                    out += "your role"
                }
            default: out += "{{\(name)}}"
            }
        }
        return out + rest
    }

    /// Where a trailing article ("a " or "an ") starts in `text`, if it ends with one.
    static func articleEnd(_ text: String) -> String.Index? {
        for article in ["a ", "an "] where text.lowercased().hasSuffix(article) {
            let start = text.index(text.endIndex, offsetBy: -article.count)
            if start == text.startIndex || text[text.index(before: start)] == " " { return start }
        }
        return nil
    }

    /// "a" or "an" as `word` needs: "an Operations Lead", "a Head of Ops".
    static func fixArticle(_ text: String, before word: String) -> String {
        guard let start = articleEnd(text), !word.isEmpty else { return text }
        let article = word.indefiniteArticle + " "
        let written = text[start...]
        let cased = written.first?.isUppercase == true ? article.initialUpper : article
        return String(text[..<start]) + cased
    }
}
