import Foundation
import Testing
@testable import RapportCore

@Suite("Guides, placeholders and answers")
struct GuideTests {
    static let dana = person(1, "Dana Kim") {
        $0.title = "Head of Operations"
        $0.company = "Acme"
        $0.city = "Berlin"
        $0.timeZone = "Europe/Berlin"
    }
    static let lee = person(2, "Lee Park")

    static func guide(_ texts: [String]) -> Guide {
        let questions = texts.enumerated().map { index, text in
            GuideQuestion(position: index + 1, question: Question(
                id: QuestionID(Int64(10 + index)), text: text, tags: [], retired: false, usage: QuestionUsage(),
                createdAt: monday(0), updatedAt: monday(0)))
        }
        return Guide(id: GuideID(1), name: "Onboarding", objective: "Find what slows the first report", personas: [],
                     questions: questions, createdAt: monday(0), updatedAt: monday(0))
    }

    @Test("placeholders are filled from the person and the product setting")
    func fillsForPerson() {
        let text = "Hi {{first_name}}: what is the hardest part about being a {{role}} at {{company}}, using {{ product }}?"
        #expect(GuideFill.fill(text, person: Self.dana, product: "Acme Analytics")
                == "Hi Dana: what is the hardest part about being a Head of Operations at Acme, using Acme Analytics?")
    }

    @Test("a person with no title gets \"your role\", never an empty {{role}}")
    func noTitle() {
        let filled = GuideFill.fill("What is the hardest part about being a {{role}}?", person: Self.lee, product: nil)
        #expect(filled == "What is the hardest part about being in your role?")
        #expect(!filled.contains("{{"))
        #expect(GuideFill.fill("As a {{role}}, what do you plan?", person: Self.lee, product: nil) == "As your role, what do you plan?")
        #expect(GuideFill.fill("How long have you worked at {{company}}?", person: Self.lee, product: nil) == "How long have you worked at your company?")
        #expect(GuideFill.fill("What sold you on {{product}}?", person: Self.lee, product: nil) == "What sold you on our product?")
    }

    @Test("the article before a role agrees with it")
    func article() {
        let ops = person(3, "Ola") { $0.title = "Operations Lead" }
        #expect(GuideFill.fill("What is it like being a {{role}}?", person: ops, product: nil) == "What is it like being an Operations Lead?")
        #expect(GuideFill.fill("A {{role}} like you", person: ops, product: nil) == "An Operations Lead like you")
    }

    @Test("without a person, personal placeholders stay visible and the product is filled")
    func noPerson() {
        #expect(GuideFill.fill("What sold you on {{product}} as a {{role}}?", person: nil, product: "Acme")
                == "What sold you on Acme as a {{role}}?")
    }

    @Test("unknown placeholders are refused with a suggestion")
    func unknownPlaceholder() {
        let errors = fieldErrors { _ = try QuestionRules.validate(QuestionDetails(text: "What does {{rol}} mean?")) }
        #expect(errors.count == 1)
        #expect(errors.first?.message.contains("did you mean {{role}}?") == true)
        #expect(fieldErrors { _ = try QuestionRules.validate(QuestionDetails(text: "  ")) }.first?.field == "text")
        let clean = try? QuestionRules.validate(QuestionDetails(text: " How do you\n plan? ", tags: ["Onboarding", "onboarding", " "]))
        #expect(clean == QuestionDetails(text: "How do you plan?", tags: ["onboarding"]))
    }

    @Test("a guide needs a name, an objective and each question once")
    func guideRules() {
        let errors = fieldErrors {
            _ = try GuideRules.validate(GuideDetails(name: "42", objective: " ", questions: [QuestionID(1), QuestionID(1)]))
        }
        #expect(Set(errors.map(\.field)) == ["name", "objective", "question"])
    }

    @Test("the sheet opens with the objective, small talk and the last conversation")
    func sheet() {
        var last = ConversationDetails(kind: .call, at: monday(9) - 86_400 * 14)
        last.objective = "Learn how exports are used"
        let conversation = Conversation(id: ConversationID(5), details: last, people: [Self.dana.summary], createdAt: monday(0), updatedAt: monday(0))
        let sheet = GuideSheet.build(Self.guide(["What sold you on {{product}}?", "What is the hardest part about being a {{role}}?"]),
                                     for: Self.dana, last: conversation, product: nil, now: monday(9), zone: TimeZone(identifier: "America/New_York")!)
        #expect(sheet.objective == "Find what slows the first report")
        #expect(sheet.smallTalk?.contains("it is 10:00 in Berlin") == true)
        #expect(sheet.lastConversation == "2026-11-09 call (14 days ago): Learn how exports are used")
        #expect(sheet.questions.map(\.text) == ["What sold you on our product?", "What is the hardest part about being a Head of Operations?"])
        #expect(sheet.hints.first?.contains("settings set product") == true)
        let first = GuideSheet.build(Self.guide([]), for: Self.lee, last: nil, product: "Acme", now: monday(9), zone: .gmt)
        #expect(first.lastConversation == "none yet: this is your first conversation with Lee")
    }

    @Test("answers are taken by position, filled as asked, blanks dropped, strays refused")
    func answers() throws {
        let guide = Self.guide(["What sold you on {{product}}?", "Where did you work before?", "Which features do you use the most?"])
        let answers = try GuideRun.answers([(3, " Reports "), (1, "The price"), (2, "  ")], guide: guide, person: Self.dana, product: "Acme")
        #expect(answers == [
            ConversationAnswer(position: 1, questionId: QuestionID(10), question: "What sold you on Acme?", answer: "The price"),
            ConversationAnswer(position: 3, questionId: QuestionID(12), question: "Which features do you use the most?", answer: "Reports"),
        ])
        let stray = fieldErrors { _ = try GuideRun.answers([(4, "x")], guide: guide, person: nil, product: nil) }
        #expect(stray.first?.message == "answer 4: the guide \"Onboarding\" has 3 questions; number answers 1 to 3")
        #expect(fieldErrors { _ = try GuideRun.answers([(1, "a"), (1, "b")], guide: guide, person: nil, product: nil) }.count == 1)
        #expect(try GuideRun.parse("2=We export = every Monday") == (2, "We export = every Monday"))
        #expect(fieldErrors { _ = try GuideRun.parse("two=x") }.first?.field == "answer")
    }

    @Test("a conversation keeps its answers in order and refuses two answers to one question")
    func conversationAnswers() throws {
        var d = ConversationDetails(kind: .call, at: monday(9))
        d.people = [PersonID(1)]
        d.answers = [ConversationAnswer(position: 2, questionId: nil, question: "B?", answer: "b"),
                     ConversationAnswer(position: 1, questionId: nil, question: "A?", answer: "a"),
                     ConversationAnswer(position: 3, questionId: nil, question: "C?", answer: " ")]
        #expect(try ConversationRules.validate(d, now: monday(10)).answers.map(\.position) == [1, 2])
        d.answers.append(ConversationAnswer(position: 1, questionId: nil, question: "A?", answer: "again"))
        #expect(fieldErrors { _ = try ConversationRules.validate(d, now: monday(10)) }.first?.field == "answers")
    }
}
