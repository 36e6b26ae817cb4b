import Foundation
import RapportCore
import RapportStore
import Testing

private func said(_ text: String, by person: PersonID, _ kind: FeedbackKind = .pain, _ configure: (inout FeedbackDetails) -> Void = { _ in }) -> FeedbackDetails {
    var d = FeedbackDetails(text: text, person: person, kind: kind)
    configure(&d)
    return d
}

@Suite("Store contract: feedback, themes, requests and hypotheses")
struct FeedbackContractTests {
    @Test("feedback is added alone or with a conversation, second-hand follows the conversation, filters and search find it", arguments: Backend.available)
    func feedback(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let dana = try await t.people.add(details("Dana Kim") { $0.company = "Acme"; $0.personas = ["Ops Lead"] }, as: t.account).person
            var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-86_400 * 3))
            d.people = [dana.id]
            let logged = try await t.store.conversations.log(d, feedback: [NewFeedback(kind: .pain, text: "Exports take an hour", themes: ["Slow exports"])], as: t.account)
            #expect(logged.feedback.count == 1)
            let first = try #require(logged.feedback.first)
            #expect(first.conversation == logged.conversation.id && first.at == d.at && !first.secondhand)
            #expect(first.company == "Acme" && first.personas == ["Ops Lead"] && first.themes == ["Slow exports"])

            var report = ConversationDetails(kind: .secondhand, at: fixedNow.addingTimeInterval(-86_400))
            report.people = [dana.id]
            report.via = "Sam (sales)"
            let secondhand = try await t.store.conversations.log(report, as: t.account).conversation
            let heard = try await t.store.feedback.add(said("Wants scheduled exports", by: dana.id, .request) { $0.conversation = secondhand.id; $0.themes = ["slow exports"] }, as: t.account)
            #expect(heard.secondhand && heard.themes == ["Slow exports"], "the theme keeps its first spelling")
            let direct = try await t.store.feedback.add(said("Love the new filters", by: dana.id, .praise) { $0.quote = true; $0.severity = 1 }, as: t.account)
            #expect(!direct.secondhand && direct.at == fixedNow)

            var filter = FeedbackFilter()
            filter.theme = "SLOW EXPORTS"
            #expect(try await t.store.feedback.list(filter, as: t.account).map(\.id) == [heard.id, first.id])
            filter = FeedbackFilter()
            filter.quotesOnly = true
            #expect(try await t.store.feedback.list(filter, as: t.account).map(\.id) == [direct.id])
            filter = FeedbackFilter()
            filter.persona = "ops lead"
            filter.kind = .request
            #expect(try await t.store.feedback.list(filter, as: t.account).map(\.id) == [heard.id])
            #expect(try await t.store.feedback.search("scheduled", as: t.account).map(\.id) == [heard.id])

            let bad = await failure { _ = try await t.store.feedback.add(said("x", by: dana.id) { $0.severity = 9; $0.conversation = ConversationID(999_999) }, as: t.account) }
            #expect(bad?.fieldErrors.map(\.field) == ["severity"])
            let missing = await failure { _ = try await t.store.feedback.add(said("x", by: dana.id) { $0.conversation = ConversationID(999_999) }, as: t.account) }
            #expect(missing?.fieldErrors.first?.field == "conversation")
            #expect(try await t.store.feedback.list(FeedbackFilter(), as: t.account).count == 3)

            let tagged = try await t.store.feedback.tag([direct.id, first.id], themes: ["Filters"], as: t.account)
            #expect(tagged.map(\.themes) == [["Filters"], ["Slow exports", "Filters"]])
        }
    }

    @Test("themes count people and companies, rise on fixed dates, rename and merge keeping every link", arguments: Backend.available)
    func themes(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            var people: [Person] = []
            for (index, company) in ["Acme", "Globex", "Initech", "Acme"].enumerated() {
                people.append(try await t.people.add(details("Person \(index)") { $0.company = company }, as: t.account).person)
            }
            func heard(_ person: Person, daysAgo: Double, theme: String) async throws -> Feedback {
                var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-daysAgo * 86_400))
                d.people = [person.id]
                return try await t.store.conversations.log(d, feedback: [NewFeedback(kind: .pain, text: "Slow", themes: [theme])], as: t.account).feedback[0]
            }
            // 4 mentions in the last 4 weeks, 1 in the 4 before: rising (+3, +300%).
            for (person, days) in [(people[0], 2.0), (people[1], 5), (people[2], 10), (people[3], 20), (people[0], 40)] {
                _ = try await heard(person, daysAgo: days, theme: "Exports")
            }
            let other = try await heard(people[1], daysAgo: 3, theme: "Export speed")
            let themes = try await t.store.themes.list(as: t.account)
            let exports = try #require(themes.first)
            #expect(exports.name == "Exports" && exports.count == 5 && exports.people == 4 && exports.companies == 3)
            #expect(exports.trend.rising && exports.trend.explanation == "4 in the last 4 weeks against 1 in the 4 before (+3, +300%)")
            let request = try await t.store.requests.add(FeatureRequestDetails(title: "Faster exports"), as: t.account)
            _ = try await t.store.requests.link(request.id, feedback: [other.id], as: t.account)

            let renamed = await failure { _ = try await t.store.themes.rename("export speed", to: "exports", as: t.account) }
            #expect(renamed?.message.contains("themes merge") == true)
            let merged = try await t.store.themes.merge("Export speed", into: "exports", as: t.account)
            #expect(merged.summary.count == 6 && merged.feedback.contains { $0.id == other.id })
            #expect(try await t.store.themes.allNames(as: t.account) == ["Exports"])
            #expect(try await t.store.requests.get(request.id, as: t.account).evidence.mentions == 1, "links to requests survive the merge")
            #expect(try await t.store.themes.rename("Exports", to: "Slow exports", as: t.account) == "Slow exports")
            #expect(try await t.store.feedback.get(other.id, as: t.account).themes == ["Slow exports"])
            #expect(try await t.store.themes.show("slow exports", as: t.account).weekly.count == 12)
            // The documents of the renamed theme's feedback are written again: found by the new name, not the old,
            // each once.
            #expect(try await t.store.themes.rename("Slow exports", to: "Forklift waits", as: t.account) == "Forklift waits")
            let found = try await t.store.feedback.search("forklift", as: t.account, limit: 100)
            #expect(found.count == 6 && Set(found.map(\.id)).count == 6 && found.contains { $0.id == other.id })
            #expect(try await t.store.feedback.search("exports", as: t.account, limit: 100).isEmpty)
        }
    }

    @Test("the themes list grouped in SQL says what folding every piece of feedback in Swift says, in every window; filters are keyed subqueries",
          arguments: Backend.available)
    func themeFiguresInSQL(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for persona in ["Ops Lead", "Finance Admin", "Dispatcher"] { _ = try await t.personas.add(PersonaDetails(name: persona), as: t.account) }
            let companies = ["Acme", "Globex", "Initech", nil]
            let personas = [["Ops Lead"], ["Finance Admin", "Dispatcher"], [], ["Dispatcher"]]
            var people: [Person] = []
            for index in 0..<12 {
                people.append(try await t.people.add(details("Person \(index)") { d in
                    d.company = companies[index % 4]
                    d.personas = personas[index % 4]
                }, as: t.account).person)
            }
            var random = SystemRandomNumberGenerator()
            let themes = ["Exports", "Billing", "Onboarding", "Ünïcode Thème", "API limits"]
            for n in 0..<120 {
                var d = said("Said \(n)", by: people[Int.random(in: 0..<people.count, using: &random)].id)
                d.themes = Array(themes.shuffled(using: &random).prefix(Int.random(in: 1...2, using: &random)))
                let daysAgo = Double(Int.random(in: 0...120, using: &random)) + 0.25
                var talk = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-daysAgo * 86_400))
                talk.people = [d.person]
                _ = try await t.store.conversations.log(talk, feedback: [NewFeedback(kind: .pain, text: d.text, themes: d.themes)], as: t.account)
            }
            // A burst this week, so one theme rises.
            for n in 0..<8 {
                var talk = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-Double(n + 1) * 3_600))
                talk.people = [people[n].id]
                _ = try await t.store.conversations.log(talk, feedback: [NewFeedback(kind: .pain, text: "Burst \(n)", themes: ["Billing"])], as: t.account)
            }
            var all = FeedbackFilter()
            all.limit = 10_000
            var everything = try await t.store.feedback.list(all, as: t.account)
            #expect(everything.count == 128)
            try await expectFiguresMatch(everything)
            // Each theme link carries its feedback's time and person (migration 0015): they follow an edit that moves
            // a piece in time or gives it to someone else, a merge of people, a retag and a deletion.
            for (index, item) in everything.enumerated() where index % 9 == 2 {
                let someoneElse = people[(index + 5) % people.count].id
                _ = try await t.store.feedback.update(item.id, as: t.account) { d in
                    // Taken off its conversation, it is heard now; and someone else said it.
                    d.conversation = nil
                    d.person = someoneElse
                }
            }
            _ = try await t.people.merge(people[3].id, into: people[4].id, as: t.account)
            _ = try await t.store.feedback.tag([everything[10].id, everything[11].id], themes: ["Exports", "Late joiner"], as: t.account)
            for item in everything.suffix(5) { try await t.store.feedback.delete(item.id, as: t.account) }
            everything = try await t.store.feedback.list(all, as: t.account)
            #expect(everything.count == 123)
            try await expectFiguresMatch(everything)

            func expectFiguresMatch(_ everything: [Feedback]) async throws {
              for (since, until, weeks) in [(nil, nil, 4), (fixedNow.addingTimeInterval(-60 * 86_400), nil, 2), (nil, fixedNow.addingTimeInterval(-30 * 86_400), 6)] as [(Date?, Date?, Int)] {
                let heard = everything.filter { f in since.map { f.at >= $0 } ?? true && until.map { f.at < $0 } ?? true }
                let expected = try await t.store.themes.allNames(as: t.account).compactMap { name -> ThemeSummary? in
                    let items = heard.filter { $0.themes.contains { Themes.key($0) == Themes.key(name) } }
                    return items.isEmpty ? nil : ThemeSummary.build(name: name, feedback: items, now: fixedNow, weeks: weeks)
                }.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
                let listed = try await t.store.themes.list(since: since, until: until, weeks: weeks, as: t.account)
                #expect(listed == expected, "since \(String(describing: since)) until \(String(describing: until))")
              }
            }
            // The dashboard's rising themes are the list's rising ones, with the same whole figures.
            for weeks in [1, 2, 4] {
                let rising = try await t.store.themes.list(weeks: weeks, as: t.account).filter(\.trend.rising)
                #expect(try await t.store.themes.rising(weeks: weeks, as: t.account) == rising, "\(weeks) weeks")
                #expect(weeks != 1 || rising.map(\.name).contains("Billing"), "the burst rises")
            }
            // Filters by theme, persona and company give what filtering each loaded piece gives, newest first, limited.
            for (theme, persona, company) in [("exports", nil, nil), (nil, "dispatcher", nil), (nil, nil, "ACME"), ("unicode theme", "ops lead", "acme")] as [(String?, String?, String?)] {
                var filter = FeedbackFilter()
                (filter.theme, filter.persona, filter.company, filter.limit) = (theme, persona, company, 7)
                let expected = everything.filter(filter.matches).prefix(7).map(\.id)
                #expect(!expected.isEmpty || theme == "unicode theme", "\(filter) matches something")
                #expect(try await t.store.feedback.list(filter, as: t.account).map(\.id) == Array(expected), "\(filter)")
            }
        }
    }

    @Test("requests: evidence by distinct people, priority with its parts, status and who was told", arguments: Backend.available)
    func requests(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.company = "Acme" }, as: t.account).person
            let lee = try await t.people.add(details("Lee Park") { $0.company = "Globex" }, as: t.account).person
            let a = try await t.store.feedback.add(said("Schedule the export", by: dana.id, .request) { $0.quote = true }, as: t.account)
            let b = try await t.store.feedback.add(said("Export on Mondays", by: dana.id, .request), as: t.account)
            let c = try await t.store.feedback.add(said("Sales says Lee wants it", by: lee.id, .request) { $0.secondhand = true }, as: t.account)
            let request = try await t.store.requests.add(FeatureRequestDetails(title: "Scheduled exports", problem: "Mondays start with a manual export"), as: t.account)
            let dup = await failure { _ = try await t.store.requests.add(FeatureRequestDetails(title: "scheduled EXPORTS"), as: t.account) }
            #expect(dup?.message.contains("request #\(request.id)") == true)
            var linked = try await t.store.requests.link(request.id, feedback: [a.id, b.id, c.id, a.id], as: t.account)
            #expect(linked.evidence.mentions == 3 && linked.evidence.distinctPeople == 2 && linked.evidence.distinctCompanies == 2)
            #expect(linked.evidence.score == 2.0, "Dana 1 + quote 0.5, Lee second-hand 0.5")
            #expect(linked.priority.score == 2.0 && linked.priority.assumed)
            var scores = FeatureRequestPatch()
            (scores.impact, scores.effort) = (.set(5), .set(2))
            linked = try await t.store.requests.update(request.id, with: scores, as: t.account)
            #expect(linked.priority.explanation == "5.0 = evidence 2.0 × impact 5 ÷ effort 2")
            let stray = await failure { _ = try await t.store.requests.link(request.id, feedback: [FeedbackID(999_999)], as: t.account) }
            #expect(stray?.message.contains("#999999") == true)
            var nine = FeatureRequestPatch()
            nine.impact = .set(9)
            let bad = await failure { _ = try await t.store.requests.update(request.id, with: nine, as: t.account) }
            #expect(bad?.fieldErrors.first?.field == "impact")
            #expect(try await t.store.requests.get(request.id, as: t.account).impact == 5)
            linked = try await t.store.requests.unlink(request.id, feedback: [c.id], as: t.account)
            #expect(linked.evidence.distinctPeople == 1)
            let shipped = try await t.store.requests.setStatus(request.id, .shipped, as: t.account)
            #expect(shipped.status == .shipped && shipped.askers.map(\.person.name) == ["Dana Kim"])
            let told = try await t.store.requests.recordNotified(request.id, people: [dana.id], as: t.account)
            #expect(told.askers.first?.notifiedAt == fixedNow)
            let other = try await t.store.requests.add(FeatureRequestDetails(title: "Dark mode", impact: 1, effort: 5), as: t.account)
            #expect(try await t.store.requests.list(sort: .priority, as: t.account).map(\.id) == [request.id, other.id])

            // Merging Lee into Dana keeps the feedback, now Dana's.
            _ = try await t.people.merge(lee.id, into: dana.id, as: t.account)
            #expect(try await t.store.feedback.get(c.id, as: t.account).person.id == dana.id)
        }
    }

    @Test("hypotheses count evidence by distinct people and suggest whom to ask next from pick", arguments: Backend.available)
    func hypotheses(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            var people: [Person] = []
            for name in ["Dana Kim", "Lee Park", "Ola Berg", "Sam Ode"] {
                people.append(try await t.people.add(details(name) { $0.personas = ["Ops Lead"]; $0.emails = [ContactPoint(value: "\(name.prefix(3).lowercased())@x.example")] }, as: t.account).person)
            }
            let h = try await t.store.hypotheses.add(HypothesisDetails(text: "Ops Leads lose an hour a week to exports", personas: ["ops lead"]), as: t.account)
            #expect(h.personas == ["Ops Lead"] && h.status == .untested)
            let f1 = try await t.store.feedback.add(said("An hour every Monday", by: people[0].id), as: t.account)
            let f2 = try await t.store.feedback.add(said("Two hours", by: people[0].id), as: t.account)
            var d = ConversationDetails(kind: .secondhand, at: fixedNow.addingTimeInterval(-3_600))
            d.people = [people[1].id]
            d.via = "Sam (sales)"
            let c = try await t.store.conversations.log(d, as: t.account).conversation
            _ = try await t.store.hypotheses.addEvidence(h.id, .feedback(f1.id), supports: true, note: nil, as: t.account)
            _ = try await t.store.hypotheses.addEvidence(h.id, .feedback(f2.id), supports: true, note: "same person", as: t.account)
            _ = try await t.store.hypotheses.addEvidence(h.id, .conversation(c.id), supports: true, note: nil, as: t.account)
            let f3 = try await t.store.feedback.add(said("Exports are fine", by: people[2].id, .praise), as: t.account)
            let tested = try await t.store.hypotheses.addEvidence(h.id, .feedback(f3.id), supports: false, note: nil, as: t.account)
            #expect(tested.tally.supports.people == 2 && tested.tally.supports.direct == 1 && tested.tally.supports.secondhand == 1)
            #expect(tested.tally.contradicts.people == 1)
            #expect(tested.nextStep == "2 of 3 Ops Leads support; talk to 2 more Ops Leads: pick suggests Sam Ode.")
            let missing = await failure { _ = try await t.store.hypotheses.addEvidence(h.id, .conversation(ConversationID(999_999)), supports: true, note: nil, as: t.account) }
            #expect(missing?.fieldErrors.first?.field == "evidence")
            #expect(try await t.store.hypotheses.setStatus(h.id, .validated, as: t.account).nextStep.hasPrefix("Marked validated"))
            #expect(try EvidenceSource.parse("c7") == .conversation(ConversationID(7)))
            #expect(try EvidenceSource.parse("12") == .feedback(FeedbackID(12)))
        }
    }
}
