#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A question split into words and sentences, for the lint's rules.
struct LintText {
    struct Word {
        /// As written.
        var text: String
        /// Lower-cased, with typographic apostrophes made straight.
        var key: String
        var sentence: Int
        /// A comma comes right before this word.
        var afterComma: Bool
    }

    struct Sentence {
        var words: [Word]
        var isQuestion: Bool
        var endsWithCommaTag: Bool { words.last?.afterComma ?? false }
        var key: String { words.map(\.key).joined(separator: " ") }
        var text: String { Rephrase.sentence(words.map(\.text).joined(separator: " ")) }
    }

    struct Match {
        var start: Int
        var count: Int
        var end: Int { start + count }
    }

    var words: [Word] = []
    var sentences: [Sentence] = []
    var hasQuestionMark = false

    init(_ text: String) {
        var current = "", comma = false, sentence = 0, sentenceWords: [Word] = []
        func endWord() {
            let cleaned = current.trimmingEdges { $0 == "'" || $0 == "-" }
            if !cleaned.isEmpty {
                let word = Word(text: cleaned, key: cleaned.lowercased(), sentence: sentence, afterComma: comma)
                words.append(word)
                sentenceWords.append(word)
                comma = false
            }
            current = ""
        }
        func endSentence(question: Bool) {
            endWord()
            if !sentenceWords.isEmpty {
                sentences.append(Sentence(words: sentenceWords, isQuestion: question))
                sentence += 1
            }
            sentenceWords = []
            comma = false
        }
        for character in text {
            let c: Character = (character == "\u{2019}" || character == "\u{2018}") ? "'" : character
            if c.isLetter || c.isNumber || c == "'" || c == "_" || c == "{" || c == "}" || c == "-" {
                current.append(c)
            } else {
                endWord()
                switch c {
                case "?": hasQuestionMark = true; endSentence(question: true)
                case ".", "!", "\n": endSentence(question: false)
                case ",", ";", ":", "\u{2014}": comma = true
                default: break
                }
            }
        }
        endSentence(question: false)
    }

    /// Where the words of `phrase` (lower-case, space-separated) occur in a row; `allowPlural` also matches a
    /// trailing "s" on the last word.
    func find(_ phrase: String, allowPlural: Bool = false) -> [Match] {
        let keys = phrase.split(separator: " ").map(String.init)
        guard !keys.isEmpty, words.count >= keys.count else { return [] }
        var found: [Match] = []
        for start in 0...(words.count - keys.count) {
            let matches = keys.enumerated().allSatisfy { offset, key in
                let word = words[start + offset].key
                if word == key { return true }
                return allowPlural && offset == keys.count - 1 && (word == key + "s" || word == key + "es")
            }
            if matches { found.append(Match(start: start, count: keys.count)) }
        }
        return found
    }

    /// The words of `match`, as written.
    func text(_ match: Match) -> String {
        words[match.start..<match.end].map(\.text).joined(separator: " ")
    }
}

extension String {
    /// The text without leading and trailing characters that satisfy `edge`.
    func trimmingEdges(_ edge: (Character) -> Bool) -> String {
        guard let first = firstIndex(where: { !edge($0) }), let last = lastIndex(where: { !edge($0) }) else { return "" }
        return String(self[first...last])
    }
}

/// Open rephrasings for the lint's flags: pattern-based, so they are suggestions to consider, not rewrites.
enum Rephrase {
    /// `text` with its first letter upper-cased and no trailing punctuation.
    static func sentence(_ text: String) -> String {
        text.trimmed.trimmingEdges { $0 == "?" || $0 == "." || $0 == "," || $0 == " " }.initialUpper
    }

    static func join(_ words: some Collection<LintText.Word>) -> String {
        words.map(\.text).joined(separator: " ")
    }

    static let liking: Set<String> = ["like", "love", "enjoy", "prefer"]
    static let disliking: Set<String> = ["hate", "dislike", "mind"]
    static let believing: Set<String> = ["think", "believe", "reckon", "feel"]

    /// An open version of a yes/no question that starts with `starter` and goes on with `rest`.
    static func open(starter: String, rest: [LintText.Word]) -> String {
        let keys = rest.map(\.key)
        let all = join(rest)
        func tail(from index: Int, dropping skip: Set<String> = []) -> String {
            guard index < rest.count else { return "" }
            var words = Array(rest[index...])
            while let first = words.first, skip.contains(first.key) { words.removeFirst() }
            return join(words)
        }
        switch starter {
        case "do", "does", "did":
            if keys.count >= 2 {
                let subject = rest[0].text.lowercased() == "i" ? "I" : rest[0].text.lowercased()
                let object = tail(from: 2, dropping: ["any", "that"])
                if liking.contains(keys[1]), starter != "did" {
                    return "What \(starter) \(subject) \(keys[1]) about \(object.isEmpty ? "it" : object)?"
                }
                if disliking.contains(keys[1]) { return "What \(starter) \(subject) dislike about \(object.isEmpty ? "it" : object)?" }
                if keys[1] == "have" || keys[1] == "need" { return object.isEmpty ? "Tell me more about that." : "Tell me about \(object)." }
                if believing.contains(keys[1]), !object.isEmpty { return "What's your take on whether \(object)?" }
            }
            return "How \(starter) \(all)?"
        case "is", "are", "was", "were":
            if keys.first == "there" {
                let object = tail(from: 1)
                return object.isEmpty ? "Tell me more about that." : "Tell me about \(object)."
            }
            if keys.count >= 2, ["it", "this", "that"].contains(keys[0]), !keys[1].hasSuffix("ing"), !keys[1].hasSuffix("ed") {
                return "How \(rest[1].text) \(starter) \(rest[0].text)\(rest.count > 2 ? " " + tail(from: 2) : "")?"
            }
            if keys.first == "you", let about = keys.firstIndex(where: { $0 == "with" || $0 == "about" }), about + 1 < keys.count {
                return "How do you feel about \(tail(from: about + 1))?"
            }
            if keys.count <= 4, let last = rest.last, !last.key.hasSuffix("ly"), !last.key.hasSuffix("ed"), !last.key.hasSuffix("ing"), rest.count >= 2 {
                return "How \(last.text) \(starter) \(join(rest.dropLast()))?"
            }
            return "How \(starter) \(all)?"
        case "can", "could":
            if keys.first == "you", keys.count >= 2 { return "How do you \(tail(from: 1)) today?" }
            return "How \(starter) \(all)?"
        case "will", "would":
            if keys.first == "you", keys.count >= 2 {
                if keys[1] == "say" { return "What's your take on whether \(tail(from: 2, dropping: ["that"]))?" }
                return "When did you last \(tail(from: 1, dropping: ["ever", "be"]))?"
            }
            return "How \(starter) \(all)?"
        case "should":
            return "What problem would it solve if \(all)?"
        case "have", "has":
            return "Tell me about the last time \(join(rest.filter { $0.key != "ever" }))."
        case "any":
            return "Tell me about any \(all)."
        default:
            return "How \(all)?"
        }
    }

    /// A neutral version of a question without the leading words in `match`.
    static func neutral(_ q: LintText, removing match: LintText.Match) -> String {
        let phrase = q.words[match.start..<match.end].map(\.key).joined(separator: " ")
        let sentence = q.words[match.start].sentence
        var before = q.words[..<match.start].filter { $0.sentence == sentence }
        var after = Array(q.words[match.end...].filter { $0.sentence == sentence })
        while let first = after.first, first.key == "that" { after.removeFirst() }
        while let last = before.last, ["so", "and", "but"].contains(last.key) { before.removeLast() }
        switch phrase {
        case let p where p.hasPrefix("how much do you"):
            return "What do you think of \(after.isEmpty ? "it" : join(after))?"
        case "how great", "how amazing", "how awesome":
            while let first = after.first, ["is", "was", "are", "were"].contains(first.key) { after.removeFirst() }
            return "How would you describe \(after.isEmpty ? "it" : join(after))?"
        case "how much better", "how much easier":
            while let first = after.first, ["is", "was", "are", "were"].contains(first.key) { after.removeFirst() }
            return "How does \(after.isEmpty ? "it" : join(after)) compare with what you used before?"
        case "isn't it", "isn't that", "aren't they":
            if before.isEmpty, after.count >= 2, after[1].key == "to" || after[1].key == "when" {
                return "What is it like \(join(after.dropFirst()))?"
            }
        default:
            break
        }
        let claim = before.isEmpty ? join(after) : join(before)
        return claim.isEmpty ? "What do you think?" : "What's your take on whether \(claim)?"
    }

    static let pastVerbs: [String: String] = ["want": "need", "consider": "look for", "switch": "switch tools"]
    static let timeWords: Set<String> = ["next", "soon", "later", "tomorrow", "someday", "eventually", "in", "by", "this"]

    /// A question about past behaviour in place of a prediction.
    static func past(_ q: LintText, after match: LintText.Match) -> String {
        let phrase = q.words[match.start..<match.end].map(\.key)
        let sentence = q.words[match.start].sentence
        var rest: [LintText.Word] = []
        for word in q.words[match.end...] where word.sentence == sentence {
            if word.afterComma || timeWords.contains(word.key) { break }
            rest.append(word)
        }
        if phrase.first == "if" {
            return rest.isEmpty ? "How do you handle that today?" : "What do you do today instead of \(join(rest))?"
        }
        var verb = phrase.last ?? ""
        if ["you", "willing", "likely", "to", "ever", "going", "be"].contains(verb) {
            while let first = rest.first, ["to", "be", "ever", "willing"].contains(first.key) { rest.removeFirst() }
            guard let first = rest.first else { return "When did you last do that?" }
            verb = first.key
            rest.removeFirst()
        }
        if let mapped = pastVerbs[verb] {
            if verb == "switch" { return "When did you last switch tools?" }
            verb = mapped
        }
        let object = join(rest)
        let articles: Set<String> = ["a", "an", "the"]
        if let first = rest.first, articles.contains(first.key) {
            return "When did you last \(verb) something like \(object)?"
        }
        if rest.count >= 2, ["for", "to", "with", "on"].contains(rest[0].key), articles.contains(rest[1].key) {
            return "When did you last \(verb) \(rest[0].text) something like \(join(rest.dropFirst()))?"
        }
        return "When did you last \(verb)\(object.isEmpty ? "" : " " + object)?"
    }
}
