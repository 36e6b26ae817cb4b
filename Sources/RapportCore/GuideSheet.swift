#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A guide made ready for one conversation: the objective, a line on small talk, the last conversation in one line
/// and the questions with their placeholders filled for the person.
public struct GuideSheet: Sendable, Codable, Equatable {
    public struct Line: Sendable, Codable, Equatable {
        /// From 1; the number `--answer N=TEXT` uses.
        public var position: Int
        public var questionId: QuestionID
        /// Filled for the person.
        public var text: String
        public var retired: Bool
    }

    public var guide: GuideSummary
    public var objective: String
    public var person: PersonSummary?
    /// "Head of Ops at Acme, Berlin".
    public var about: String?
    public var smallTalk: String?
    public var lastConversation: String?
    public var questions: [Line]
    /// What would make the sheet better ("set your product's name ...").
    public var hints: [String]

    /// The sheet of `guide`, for `person` when given (with their last conversation, if any).
    public static func build(
        _ guide: Guide, for person: Person?, last: Conversation?, product: String?, now: Date, zone: TimeZone
    ) -> GuideSheet {
        var hints: [String] = []
        let usesProduct = guide.questions.contains { MessageTemplate.placeholders(in: $0.text).contains("product") }
        if usesProduct && product == nil {
            hints.append("{{product}} reads \"our product\": set your product's name with `rapport settings set product NAME`")
        }
        let lines = guide.questions.map {
            Line(position: $0.position, questionId: $0.id, text: GuideFill.fill($0.text, person: person, product: product), retired: $0.retired)
        }
        var sheet = GuideSheet(guide: guide.summary, objective: guide.objective, person: person?.summary, about: nil,
                               smallTalk: nil, lastConversation: nil, questions: lines, hints: hints)
        guard let person else { return sheet }
        let d = person.details
        var about = [d.title, d.company.map { (d.title == nil ? "" : "at ") + $0 }].compactMap { $0 }.joined(separator: " ")
        if let city = d.city { about += (about.isEmpty ? "" : ", ") + city }
        sheet.about = about.nilIfEmpty
        var smallTalk = "Start with a little small talk to make \(person.firstName) comfortable"
        if let name = d.timeZone, let theirs = TimeZone(identifier: name), theirs.secondsFromGMT(for: now) != zone.secondsFromGMT(for: now) {
            smallTalk += ": it is \(LocalTime.clock(now, in: theirs)) \(d.city.map { "in \($0)" } ?? "for them")"
        } else if let city = d.city {
            smallTalk += ": ask how things are in \(city)"
        }
        sheet.smallTalk = smallTalk + "; then listen more than you speak."
        let today = CalendarDay(now, in: zone)
        if let last {
            let day = CalendarDay(last.details.at, in: zone)
            var line = "\(day) \(last.details.kind.label) (\(LocalTime.relative(day, from: today)))"
            let gist = last.details.objective ?? last.details.notes.split(whereSeparator: \.isNewline).first.map(String.init)
            if let gist = gist?.trimmed.nilIfEmpty { line += ": " + (gist.count > 120 ? String(gist.prefix(119)) + "…" : gist) }
            sheet.lastConversation = line
        } else {
            sheet.lastConversation = "none yet: this is your first conversation with \(person.firstName)"
        }
        return sheet
    }
}

/// The answer to one question of a guide, stored on a conversation with the question as it was asked.
public struct ConversationAnswer: Sendable, Codable, Equatable {
    /// The question's place in the guide when it was asked, from 1.
    public var position: Int
    /// The bank question; nil once that question is deleted.
    public var questionId: QuestionID?
    /// The question as asked (placeholders filled).
    public var question: String
    public var answer: String

    public init(position: Int, questionId: QuestionID?, question: String, answer: String) {
        self.position = position
        self.questionId = questionId
        self.question = question
        self.answer = answer
    }
}

/// Running a guide during a conversation: answers typed by position become stored answers.
public enum GuideRun {
    public static let maxAnswer = 20_000

    /// Reads `N=TEXT` as typed on the command line.
    public static func parse(_ typed: String) throws -> (Int, String) {
        guard let equals = typed.firstIndex(of: "="), let position = Int(typed[..<equals].trimmed) else {
            throw RapportError.invalid("answer", "\"\(typed.prefix(40))\" is not N=TEXT; write the question's number in the guide, e.g. --answer 2=\"We export every Monday\"")
        }
        return (position, String(typed[typed.index(after: equals)...]))
    }

    /// The answers for `typed` (position to text) on `guide`'s questions filled for `person`; blank answers are
    /// dropped, a position outside the guide or a second answer to one question is refused.
    public static func answers(_ typed: [(Int, String)], guide: Guide, person: Person?, product: String?) throws -> [ConversationAnswer] {
        let errors = FieldErrors()
        var byPosition: [Int: String] = [:]
        for (position, text) in typed {
            guard let question = guide.questions.first(where: { $0.position == position }) else {
                errors.append("answer", guide.questions.isEmpty
                    ? "the guide \"\(guide.name)\" has no questions yet; add some with `rapport guides edit \"\(guide.name)\" --add QUESTION`"
                    : "answer \(position): the guide \"\(guide.name)\" has \(guide.questions.count) question\(guide.questions.count == 1 ? "" : "s"); number answers 1 to \(guide.questions.count)")
                continue
            }
            if byPosition[position] != nil {
                errors.append("answer", "question \(position) (\"\(question.text)\") has two answers; give one --answer \(position)=TEXT")
            }
            byPosition[position] = text
        }
        try errors.throwIfAny()
        return guide.questions.compactMap { q in
            guard let text = byPosition[q.position]?.trimmed, !text.isEmpty else { return nil }
            return ConversationAnswer(position: q.position, questionId: q.id,
                                      question: GuideFill.fill(q.text, person: person, product: product), answer: text)
        }
    }

    /// Checks stored answers: positions from 1 and distinct, questions named, answers of a sane length.
    public static func validate(_ answers: [ConversationAnswer]) throws -> [ConversationAnswer] {
        let errors = FieldErrors()
        var seen = Set<Int>()
        var kept: [ConversationAnswer] = []
        for var a in answers {
            a.answer = a.answer.trimmed
            a.question = a.question.trimmed
            guard !a.answer.isEmpty else { continue }
            if a.position < 1 { errors.append("answers", "answer positions start at 1 (got \(a.position))") }
            if !seen.insert(a.position).inserted { errors.append("answers", "question \(a.position) has two answers; keep one") }
            if a.question.isEmpty { errors.append("answers", "answer \(a.position) has no question; say what was asked") }
            if a.answer.count > maxAnswer {
                errors.append("answers", "answer \(a.position) is over \(maxAnswer) characters (\(a.answer.count)); put long transcripts in the notes")
            }
            kept.append(a)
        }
        try errors.throwIfAny()
        return kept.sorted { $0.position < $1.position }
    }
}
