import Foundation
import RapportCore
import RapportStore
import Testing

@Suite("Store contract: question bank, guides and answers")
struct GuideContractTests {
    @Test("a new account starts with the articles' starter questions, tagged starter", arguments: Backend.available)
    func starters(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let bank = try await t.store.questions.list(as: t.account)
            #expect(bank.map(\.text) == StarterQuestions.all.map(\.text))
            #expect(bank.allSatisfy { $0.tags.contains("starter") && !$0.retired && $0.usage == QuestionUsage() })
            #expect(bank.contains { $0.text == "What sold you on {{product}}?" })
            #expect(try await t.store.questions.list(QuestionFilter(tag: "Who-They-Are"), as: t.account).count == 3)
        }
    }

    @Test("questions are added, edited and retired; duplicates and bad placeholders are refused and change nothing", arguments: Backend.available)
    func bank(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let q = try await t.store.questions.add(QuestionDetails(text: "How do you decide which report to run first?", tags: ["Reports"]), as: t.account)
            #expect(q.tags == ["reports"])
            let twice = await failure { _ = try await t.store.questions.add(QuestionDetails(text: "how do you decide which report to run first?"), as: t.account) }
            #expect(twice?.message.contains("already in the bank as #\(q.id)") == true)
            let bad = await failure { _ = try await t.store.questions.update(q.id, as: t.account) { $0.text = "What does {{rol}} do?" } }
            #expect(bad?.fieldErrors.first?.field == "text")
            #expect(try await t.store.questions.get(q.id, as: t.account).text == q.text)
            let edited = try await t.store.questions.update(q.id, as: t.account) { $0.tags.append("weekly") }
            #expect(edited.tags == ["reports", "weekly"])
            _ = try await t.store.questions.setRetired(q.id, true, as: t.account)
            #expect(try await !t.store.questions.list(as: t.account).contains { $0.id == q.id })
            #expect(try await t.store.questions.list(QuestionFilter(includeRetired: true), as: t.account).contains { $0.id == q.id && $0.retired })
            let other = try await t.store.createAccount(named: "other-\(UUID().uuidString)")
            #expect(await failure { _ = try await t.store.questions.get(q.id, as: other) } == .notFound(.question, "#\(q.id)"))
        }
    }

    @Test("a guide keeps its questions in order, its personas, and refuses unknown or retired questions", arguments: Backend.available)
    func guides(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let bank = try await t.store.questions.list(as: t.account)
            let guide = try await t.store.guides.add(GuideDetails(
                name: "Onboarding", objective: "Find what slows the first report", personas: ["ops lead"],
                questions: [bank[4].id, bank[0].id, bank[7].id]), as: t.account)
            #expect(guide.questions.map(\.id) == [bank[4].id, bank[0].id, bank[7].id])
            #expect(guide.questions.map(\.position) == [1, 2, 3])
            #expect(guide.personas == ["Ops Lead"])
            #expect(try await t.store.guides.get("onboarding", as: t.account).id == guide.id)
            #expect(try await t.store.guides.get("#\(guide.id)", as: t.account).name == "Onboarding")
            let typo = await failure { _ = try await t.store.guides.get("Onbaording", as: t.account) }
            #expect(typo?.message.contains("did you mean \"Onboarding\"?") == true)

            var swap = GuidePatch()
            swap.questions = [bank[7].id, bank[0].id, bank[4].id]
            let moved = try await t.store.guides.update("Onboarding", with: swap, as: t.account)
            #expect(moved.questions.map(\.id) == [bank[7].id, bank[0].id, bank[4].id])

            _ = try await t.store.questions.setRetired(bank[1].id, true, as: t.account)
            var addRetired = GuidePatch()
            addRetired.addedQuestions = [bank[1].id]
            let retired = await failure { _ = try await t.store.guides.update("Onboarding", with: addRetired, as: t.account) }
            #expect(retired?.message.contains("is retired") == true)
            let unknown = await failure { _ = try await t.store.guides.add(GuideDetails(name: "Other", objective: "x", questions: [QuestionID(999_999)]), as: t.account) }
            #expect(unknown?.message.contains("no question #999999") == true)
            let persona = await failure { _ = try await t.store.guides.add(GuideDetails(name: "Other", objective: "x", personas: ["Ops Lad"]), as: t.account) }
            #expect(persona?.message.contains("did you mean \"Ops Lead\"?") == true)
            // A question retired while in the guide stays there.
            _ = try await t.store.questions.setRetired(bank[0].id, true, as: t.account)
            var objective = GuidePatch()
            objective.objective = "Learn the first week"
            let kept = try await t.store.guides.update("Onboarding", with: objective, as: t.account)
            #expect(kept.questions.first { $0.id == bank[0].id }?.retired == true)
            let dup = await failure { _ = try await t.store.guides.add(GuideDetails(name: "onboarding", objective: "x"), as: t.account) }
            #expect(dup?.message.contains("already exists") == true)
            #expect(try await t.store.guides.list(as: t.account).map(\.name) == ["Onboarding"])
        }
    }

    @Test("answers round trip on a conversation, count as usage, and survive edits of the bank and guide", arguments: Backend.available)
    func answers(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let lee = try await t.people.add(details("Lee Park"), as: t.account).person
            _ = try await t.store.settings.set("product", to: "Acme Analytics", as: t.account)
            let bank = try await t.store.questions.list(as: t.account)
            let sold = bank.first { $0.text.hasPrefix("What sold you") }!, hardest = bank.first { $0.text.hasPrefix("What is the hardest") }!
            let guide = try await t.store.guides.add(GuideDetails(name: "Onboarding", objective: "Learn the first week",
                                                                  questions: [sold.id, hardest.id]), as: t.account)
            let long = String(repeating: "Exports take an hour every Monday. ", count: 7)
            let (_, answers) = try await t.store.guides.answers([(1, "The price"), (2, long)], guide: "Onboarding", person: lee.id, as: t.account)
            var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-3600))
            d.people = [lee.id]
            d.guide = guide.id
            d.answers = answers
            let logged = try await t.store.conversations.log(d, as: t.account).conversation
            #expect(logged.guide == guide.summary)
            #expect(logged.details.answers.map(\.question) == ["What sold you on Acme Analytics?", "What is the hardest part about being in your role?"])
            #expect(logged.details.answers.map(\.answer) == ["The price", long.trimmed])

            let usage = try await t.store.questions.list(as: t.account)
            #expect(usage.first { $0.id == sold.id }?.usage == QuestionUsage(asked: 1, longAnswers: 0))
            #expect(usage.first { $0.id == hardest.id }?.usage == QuestionUsage(asked: 1, longAnswers: 1))
            #expect(try await t.store.conversations.search("price", as: t.account).map(\.conversation.id) == [logged.id])

            // Saving as you go: one answer changes, a blank one goes, the rest stay.
            let saved = try await t.store.conversations.answer(logged.id, guide: "Onboarding", typed: [(1, "The price and the API"), (2, " ")], as: t.account)
            #expect(saved.details.answers.map(\.answer) == ["The price and the API"])
            let stray = await failure { _ = try await t.store.conversations.answer(logged.id, guide: "Onboarding", typed: [(3, "x")], as: t.account) }
            #expect(stray?.fieldErrors.first?.field == "answer")
            #expect(try await t.store.conversations.get(logged.id, as: t.account).details.answers.count == 1)

            // The guide is reordered after the conversation: saving one answer keeps the other with its own question.
            var reverse = GuidePatch()
            reverse.questions = try await t.store.guides.get("Onboarding", as: t.account).questions.map(\.id).reversed()
            _ = try await t.store.guides.update("Onboarding", with: reverse, as: t.account)
            let reordered = try await t.store.conversations.answer(logged.id, guide: "Onboarding", typed: [(1, "Month-end close")], as: t.account)
            #expect(reordered.details.answers.map(\.question) == ["What is the hardest part about being in your role?", "What sold you on Acme Analytics?"])
            #expect(reordered.details.answers.map(\.answer) == ["Month-end close", "The price and the API"])
            #expect(reordered.details.answers.map(\.position) == [1, 2])

            // Editing the bank and deleting the guide never rewrite what was asked.
            _ = try await t.store.questions.update(sold.id, as: t.account) { $0.text = "What made you choose {{product}}?" }
            _ = try await t.store.guides.delete("Onboarding", as: t.account)
            let after = try await t.store.conversations.get(logged.id, as: t.account)
            #expect(after.guide == nil)
            #expect(after.details.answers.first { $0.questionId == sold.id }?.question == "What sold you on Acme Analytics?")
        }
    }

    @Test("a guide sheet for a person fills placeholders and recalls the last conversation", arguments: Backend.available)
    func sheet(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.title = "Head of Operations"; $0.company = "Acme" }, as: t.account).person
            var d = ConversationDetails(kind: .video, at: fixedNow.addingTimeInterval(-86_400 * 3))
            d.people = [dana.id]
            d.objective = "How exports are used"
            _ = try await t.store.conversations.log(d, as: t.account)
            let bank = try await t.store.questions.list(as: t.account)
            _ = try await t.store.guides.add(GuideDetails(name: "Discovery", objective: "Find the pains", questions: bank.suffix(2).map(\.id)), as: t.account)
            let sheet = try await t.store.guides.sheet("discovery", for: dana.id, as: t.account)
            #expect(sheet.questions.last?.text == "What is the hardest part about being a Head of Operations?")
            #expect(sheet.lastConversation?.hasSuffix("video (3 days ago): How exports are used") == true)
            #expect(sheet.smallTalk?.contains("Dana") == true)
            let plain = try await t.store.guides.sheet("discovery", for: nil, as: t.account)
            #expect(plain.questions.last?.text == "What is the hardest part about being a {{role}}?")
        }
    }
}
