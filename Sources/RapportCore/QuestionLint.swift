#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A rule of the question lint.
public enum LintRule: String, Sendable, Codable, CaseIterable {
    /// Answerable with yes or no.
    case closed
    /// Suggests its own answer.
    case leading
    /// Asks two things at once.
    case double
    /// Asks people to predict what they would do.
    case hypotheticalFuture = "hypothetical-future"
    /// Uses a word the PM listed as jargon.
    case jargon

    /// Why the rule matters, in one line.
    public var why: String {
        switch self {
        case .closed: return "a yes/no question gets a yes or a no; open questions get stories"
        case .leading: return "it suggests the answer you hope for, so you hear it back"
        case .double: return "it asks two things at once, and people answer only one of them"
        case .hypotheticalFuture: return "people are poor at predicting what they would do; ask what they did"
        case .jargon: return "your words, not theirs: they may not know it or may mean something else"
        }
    }
}

/// One thing the lint found in a question: the rule, the words that triggered it and an open rephrasing to consider.
public struct LintFlag: Sendable, Codable, Equatable {
    public var rule: LintRule
    /// The words of the question that triggered the rule, as written.
    public var trigger: String
    public var why: String
    /// A rephrasing to consider.
    public var suggestion: String

    public init(rule: LintRule, trigger: String, suggestion: String) {
        self.rule = rule
        self.trigger = trigger
        self.why = rule.why
        self.suggestion = suggestion
    }
}

/// The deterministic rules that flag closed, leading, double, hypothetical and jargon-laden questions.
public struct QuestionLint: Sendable {
    /// The PM's jargon list (setting `lint.jargon`), matched as whole words in any letter case.
    public var jargon: [String]

    public init(jargon: [String] = []) {
        self.jargon = jargon.map(\.trimmed).filter { !$0.isEmpty }
    }

    /// The jargon list from a comma-separated setting value.
    public init(jargonSetting: String?) {
        self.init(jargon: (jargonSetting ?? "").split(separator: ",").map { String($0) })
    }

    /// Every flag for `text`, in rule order.
    public func check(_ text: String) -> [LintFlag] {
        let question = LintText(text)
        var flags: [LintFlag] = []
        flags += closed(question)
        flags += leading(question)
        flags += double(question)
        flags += hypothetical(question)
        flags += jargonFlags(question)
        var seen = Set<String>()
        return flags.filter { seen.insert($0.rule.rawValue + "|" + $0.trigger.lowercased()).inserted }
    }

    // MARK: closed

    static let closedStarters: Set<String> = [
        "do", "does", "did", "is", "are", "was", "were", "can", "could", "will", "would", "should", "have", "has", "any",
    ]
    /// Negated forms start a yes/no question just the same.
    static let negatedStarters: [String: String] = [
        "don't": "do", "doesn't": "does", "didn't": "did", "isn't": "is", "aren't": "are", "wasn't": "was",
        "weren't": "were", "can't": "can", "couldn't": "could", "won't": "will", "wouldn't": "would",
        "shouldn't": "should", "haven't": "have", "hasn't": "has",
    ]
    static let connectives: Set<String> = ["so", "and", "but"]
    /// "Could you walk me through …" asks for a story, not a yes.
    static let storyVerbs: Set<String> = ["walk", "talk", "tell", "describe", "explain", "show", "share", "take"]

    func closed(_ q: LintText) -> [LintFlag] {
        var flags: [LintFlag] = []
        for sentence in q.sentences where sentence.isQuestion || !q.hasQuestionMark {
            var words = sentence.words
            while let first = words.first, Self.connectives.contains(first.key) { words.removeFirst() }
            guard let first = words.first else { continue }
            guard let starter = Self.closedStarters.contains(first.key) ? first.key : Self.negatedStarters[first.key] else { continue }
            if ["can", "could", "would", "will"].contains(starter), words.count > 2, words[1].key == "you",
               Self.storyVerbs.contains(words[2].key == "please" && words.count > 3 ? words[3].key : words[2].key) {
                continue
            }
            let trigger = words.prefix(2).map(\.text).joined(separator: " ")
            flags.append(LintFlag(rule: .closed, trigger: trigger, suggestion: Rephrase.open(starter: starter, rest: Array(words.dropFirst()))))
        }
        return flags
    }

    // MARK: leading

    static let leadingPhrases = [
        "don't you think", "wouldn't you agree", "don't you agree", "wouldn't you say", "isn't it", "isn't that",
        "aren't they", "how much do you love", "how much do you like", "how great", "how amazing", "how awesome",
        "how much better", "how much easier", "you'd agree", "you would agree", "surely",
    ]
    static let questionWords: Set<String> = ["who", "what", "when", "where", "why", "how", "which"]

    func leading(_ q: LintText) -> [LintFlag] {
        var flags: [LintFlag] = []
        for phrase in Self.leadingPhrases {
            for match in q.find(phrase) {
                // "Why isn't it working for you?" asks, it does not suggest.
                if phrase.hasPrefix("isn't") || phrase.hasPrefix("aren't"), match.start > 0,
                   Self.questionWords.contains(q.words[match.start - 1].key) { continue }
                flags.append(LintFlag(rule: .leading, trigger: q.text(match), suggestion: Rephrase.neutral(q, removing: match)))
            }
        }
        if let last = q.sentences.last, last.isQuestion, last.words.count > 2,
           let tag = last.words.last, ["right", "correct", "yes", "no"].contains(tag.key), last.endsWithCommaTag {
            flags.append(LintFlag(rule: .leading, trigger: ", \(tag.text)?",
                                  suggestion: Rephrase.neutral(q, removing: LintText.Match(start: q.words.count - 1, count: 1))))
        }
        return flags
    }

    // MARK: double

    static let probes: Set<String> = [
        "why", "why not", "how so", "how come", "what else", "like what", "such as", "for example", "in what way",
        "and why", "why is that", "tell me more", "anything else",
    ]
    static let auxiliaries: Set<String> = [
        "do", "does", "did", "is", "are", "was", "were", "can", "could", "will", "would", "should", "have", "has",
    ]
    static let subjects: Set<String> = ["you", "they", "we", "it", "there", "your", "that", "this", "he", "she"]

    func double(_ q: LintText) -> [LintFlag] {
        let questions = q.sentences.filter { $0.isQuestion && !Self.probes.contains($0.key) }
        if questions.count >= 2 {
            let parts = questions.map(\.text)
            return [LintFlag(rule: .double, trigger: "\(questions.count) questions",
                             suggestion: "Ask one at a time: " + parts.map { "\"\($0)\"" }.joined(separator: ", then "))]
        }
        for sentence in q.sentences {
            let words = sentence.words
            for (index, word) in words.enumerated() where index > 1 && (word.key == "and" || word.key == "or") {
                let after = Array(words[(index + 1)...])
                guard after.count >= 3, !Self.probes.contains(after.map(\.key).joined(separator: " ")) else { continue }
                let opensQuestion: Bool
                if Self.questionWords.contains(after[0].key) {
                    // "…, and who do you call?": a question word then an auxiliary, in question order.
                    opensQuestion = after.prefix(4).dropFirst().contains { Self.auxiliaries.contains($0.key) }
                } else {
                    opensQuestion = Self.auxiliaries.contains(after[0].key) && Self.subjects.contains(after[1].key)
                }
                guard opensQuestion else { continue }
                let first = words[..<index].map(\.text).joined(separator: " ")
                let second = after.map(\.text).joined(separator: " ")
                return [LintFlag(rule: .double, trigger: "\(word.text) \(after.prefix(2).map(\.text).joined(separator: " "))",
                                 suggestion: "Ask one at a time: \"\(Rephrase.sentence(first))?\", then \"\(Rephrase.sentence(second))?\"")]
            }
        }
        return []
    }

    // MARK: hypothetical-future

    static let futurePhrases = [
        "would you use", "would you pay", "will you", "would you buy", "would you switch", "would you recommend",
        "would you be willing", "would you want", "would you consider", "would you ever", "how likely are you",
        "are you going to", "if we built", "if we build", "if we added", "if we add", "if we made",
    ]

    func hypothetical(_ q: LintText) -> [LintFlag] {
        var flags: [LintFlag] = []
        for phrase in Self.futurePhrases {
            for match in q.find(phrase) {
                flags.append(LintFlag(rule: .hypotheticalFuture, trigger: q.text(match), suggestion: Rephrase.past(q, after: match)))
            }
        }
        return flags
    }

    // MARK: jargon

    func jargonFlags(_ q: LintText) -> [LintFlag] {
        var flags: [LintFlag] = []
        for term in jargon {
            let key = LintText(term).words.map(\.key).joined(separator: " ")
            guard !key.isEmpty else { continue }
            for match in q.find(key, allowPlural: true) {
                let said = q.text(match)
                flags.append(LintFlag(rule: .jargon, trigger: said,
                                      suggestion: "Use their words instead of \"\(said)\", or ask how they name it: \"What do you call that in your team?\""))
            }
        }
        return flags
    }
}

/// A question with what the lint says about it; JSON is the question's own object with `lint` beside its keys.
public struct LintedQuestion: Sendable, Encodable, Equatable {
    public var question: Question
    public var lint: [LintFlag]

    public init(_ question: Question, lint: QuestionLint) {
        self.question = question
        self.lint = lint.check(question.text)
    }

    private enum Keys: String, CodingKey { case lint }

    public func encode(to encoder: any Encoder) throws {
        try question.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(lint, forKey: .lint)
    }
}

/// What the lint found over some questions: every one checked, with its flags.
public struct LintReport: Sendable, Encodable, Equatable {
    public struct Result: Sendable, Encodable, Equatable {
        /// The bank question, when it came from the bank.
        public var id: QuestionID?
        /// The line of the file it came from, when linting a file.
        public var line: Int?
        public var text: String
        public var flags: [LintFlag]
    }

    public var checked: Int
    public var flagged: Int
    public var results: [Result]

    /// Lints `items` (text with an optional bank id or file line).
    public init(_ items: [(id: QuestionID?, line: Int?, text: String)], lint: QuestionLint) {
        results = items.map { Result(id: $0.id, line: $0.line, text: $0.text, flags: lint.check($0.text)) }
        checked = results.count
        flagged = results.filter { !$0.flags.isEmpty }.count
    }

    /// The questions of a guide or notes file: list items, numbered lines and headings that end with "?".
    public static func questions(inFile text: String) -> [(line: Int, text: String)] {
        var out: [(Int, String)] = []
        for (index, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            var line = Substring(raw.trimmed)
            while let first = line.first, "#-*+>".contains(first) { line = line.dropFirst().drop { $0 == " " } }
            if let dot = line.firstIndex(where: { $0 == "." || $0 == ")" }), !line[..<dot].isEmpty, line[..<dot].allSatisfy(\.isNumber) {
                line = line[line.index(after: dot)...]
            }
            let question = line.trimmed
            if question.hasSuffix("?") { out.append((index + 1, question)) }
        }
        return out
    }
}
