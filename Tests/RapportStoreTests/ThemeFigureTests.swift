import Foundation
import RapportCore
@testable import RapportStore
import SQLKit
import Testing

/// The theme figures kept as they are written (migration 0016's triggers) against the same figures grouped from the
/// theme links, after every kind of write that moves them: feedback added, retagged, moved to another person and
/// deleted; people changing company and personas, merged and deleted; themes renamed and merged.
@Suite("Store contract: kept theme figures")
struct ThemeFigureTests {
    @Test("the kept figures equal the grouped ones after random writes", arguments: Backend.available)
    func keptEqualsGrouped(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            var rng = SeededGenerator(seed: 1_617)
            for name in ["Ops Lead", "Analyst", "Buyer"] { _ = try await t.personas.add(PersonaDetails(name: name), as: t.account) }
            let companies = ["Acme", "Globex", "Initech", "Umbrella"]
            let personaSets: [[String]] = [[], ["Ops Lead"], ["Analyst"], ["Ops Lead", "Buyer"]]
            var people: [PersonID] = []
            for index in 0..<14 {
                let person = try await t.people.add(details("Person \(index)") {
                    $0.company = index % 5 == 4 ? nil : companies[index % companies.count]
                    $0.personas = personaSets[index % personaSets.count]
                }, allowDuplicate: true, as: t.account).person
                people.append(person.id)
            }
            var themes = ["Slow exports", "Pricing", "Onboarding", "SSO", "Reporting", "Mobile"]
            var conversations: [ConversationID] = []
            for index in 0..<12 {
                let c = try await t.store.conversations.log(
                    conversation(.call, [people[index % people.count]], at: daysAgo(Double(index * 9 % 70), hour: 2)), as: t.account)
                conversations.append(c.conversation.id)
            }
            var feedback: [FeedbackID] = []

            func check(_ step: Int) async throws {
                let kept = try await t.store.themes.list(as: t.account)
                let grouped = try await t.store.themes.list(since: .distantPast, as: t.account)
                #expect(kept == grouped, "after step \(step)")
                let rising = try await t.store.themes.rising(as: t.account)
                #expect(rising == grouped.filter(\.trend.rising), "after step \(step)")
            }

            for step in 0..<160 {
                let roll = Int.random(in: 0..<100, using: &rng)
                switch roll {
                case 0..<40:
                    let person = people.randomElement(using: &rng)!
                    var d = FeedbackDetails(text: "Heard at step \(step)", person: person, kind: .pain)
                    d.themes = Array(themes.shuffled(using: &rng).prefix(Int.random(in: 0...3, using: &rng)))
                    if Bool.random(using: &rng) { d.themes.append(d.themes.first?.uppercased() ?? "Pricing") }
                    if Bool.random(using: &rng) { d.conversation = conversations.randomElement(using: &rng) }
                    feedback.append(try await t.store.feedback.add(d, as: t.account).id)
                case 40..<52 where !feedback.isEmpty:
                    let id = feedback.randomElement(using: &rng)!
                    let person = people.randomElement(using: &rng)!
                    let retag = Array(themes.shuffled(using: &rng).prefix(Int.random(in: 0...2, using: &rng)))
                    let move = Bool.random(using: &rng)
                    _ = try await t.store.feedback.update(id, as: t.account) {
                        if move { $0.person = person } else { $0.themes = retag }
                    }
                case 52..<58 where !feedback.isEmpty:
                    let ids = Array(feedback.shuffled(using: &rng).prefix(3))
                    _ = try await t.store.feedback.tag(ids, themes: [themes.randomElement(using: &rng)!], as: t.account)
                case 58..<66 where !feedback.isEmpty:
                    let id = feedback.remove(at: Int.random(in: 0..<feedback.count, using: &rng))
                    try await t.store.feedback.delete(id, as: t.account)
                case 66..<76:
                    var patch = PersonPatch()
                    let company = companies.randomElement(using: &rng)!
                    patch.company = Int.random(in: 0..<4, using: &rng) == 0 ? .clear : .set(company)
                    _ = try await t.people.update(people.randomElement(using: &rng)!, with: patch, as: t.account)
                case 76..<86:
                    var patch = PersonPatch()
                    patch.personas = ListChange(replacement: personaSets.randomElement(using: &rng)!)
                    _ = try await t.people.update(people.randomElement(using: &rng)!, with: patch, as: t.account)
                case 86..<90 where people.count > 6:
                    let source = people.remove(at: Int.random(in: 0..<people.count, using: &rng))
                    _ = try await t.people.merge(source, into: people.randomElement(using: &rng)!, as: t.account)
                    feedback = try await t.store.feedback.list(FeedbackFilter(), as: t.account).map(\.id)
                    conversations = try await t.store.conversations.list(ConversationFilter(limit: 100), as: t.account).map(\.id)
                case 90..<93 where people.count > 6:
                    let gone = people.remove(at: Int.random(in: 0..<people.count, using: &rng))
                    try await t.people.delete(gone, as: t.account)
                    feedback = try await t.store.feedback.list(FeedbackFilter(), as: t.account).map(\.id)
                    conversations = try await t.store.conversations.list(ConversationFilter(limit: 100), as: t.account).map(\.id)
                case 93..<96:
                    let index = Int.random(in: 0..<themes.count, using: &rng)
                    if let renamed = try? await t.store.themes.rename(themes[index], to: themes[index] + " \(step)", as: t.account) {
                        themes[index] = renamed
                    }
                case 96..<100 where themes.count > 3:
                    let source = themes.remove(at: Int.random(in: 0..<themes.count, using: &rng))
                    _ = try? await t.store.themes.merge(source, into: themes.randomElement(using: &rng)!, as: t.account)
                default:
                    break
                }
                if step % 20 == 19 { try await check(step) }
            }
            try await check(160)
            let figures = try await t.store.themes.list(as: t.account)
            // The migration's fill, run over the same links, keeps the same figures as the triggers did.
            try await t.store.withSession { db in
                for statement in ThemeFigureTables.fill(owner: t.account.rawValue) { try await db.raw(statement).run() }
            }
            #expect(try await t.store.themes.list(as: t.account) == figures)
            // The run reached every figure: themes heard from several people, at several companies and personas.
            #expect(figures.count >= 3)
            #expect(figures.contains { $0.people > 1 && $0.companies > 1 && $0.personas.count > 1 })
        }
    }

    /// Writers of one account at once (on PostgreSQL, transactions on separate connections): feedback added and
    /// moved while the same people change company and personas. Each figure trigger takes the account's circle lock
    /// first, so none misses what another committed, and none deadlocks on the figure rows.
    @Test("writers of one account at once keep the same figures as grouping", arguments: Backend.available)
    func concurrentWriters(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for name in ["Ops Lead", "Analyst"] { _ = try await t.personas.add(PersonaDetails(name: name), as: t.account) }
            var people: [PersonID] = []
            for index in 0..<4 {
                people.append(try await t.people.add(details("Writer \(index)") { $0.company = "Acme" }, allowDuplicate: true, as: t.account).person.id)
            }
            let (store, account, fixed) = (t.store, t.account, people)
            try await withThrowingTaskGroup(of: Void.self) { group in
                for worker in 0..<4 {
                    group.addTask {
                        for step in 0..<12 {
                            let person = fixed[(worker + step) % fixed.count]
                            if worker % 2 == 0 {
                                var d = FeedbackDetails(text: "Worker \(worker) step \(step)", person: person, kind: .pain)
                                d.themes = [["Pricing", "SSO"], ["SSO", "Pricing"], ["Pricing"]][step % 3]
                                _ = try await store.feedback.add(d, as: account)
                            } else {
                                var patch = PersonPatch()
                                patch.personas = ListChange(replacement: [[], ["Ops Lead"], ["Analyst", "Ops Lead"]][step % 3])
                                patch.company = step % 2 == 0 ? .set("Globex \(worker)") : .set("Acme")
                                _ = try await store.people.update(person, with: patch, as: account)
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
            let kept = try await t.store.themes.list(as: t.account)
            #expect(kept == (try await t.store.themes.list(since: .distantPast, as: t.account)))
            // Two writers of feedback, twelve pieces each, tagged 2, 2 and 1 themes in turn: 40 links.
            #expect(kept.map(\.count).reduce(0, +) == 40)
        }
    }
}
