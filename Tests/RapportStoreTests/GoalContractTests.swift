import Foundation
import RapportCore
import RapportStore
import Testing

@Suite("Store contract: goals and the streak")
struct GoalContractTests {
    @Test("a goal counts conversations, people and outreach in its period; bad goals are refused and nothing is stored", arguments: Backend.available)
    func goals(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.store.settings.set("timezone", to: "UTC", as: t.account)
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let dana = try await t.people.add(details("Dana Kim") { $0.personas = ["Ops Lead"] }, as: t.account).person
            let lee = try await t.people.add(details("Lee Park"), as: t.account).person
            for (person, days) in [(dana, 1.0), (dana, 3), (lee, 4), (lee, 40)] {
                var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-days * 86_400))
                d.people = [person.id]
                _ = try await t.store.conversations.log(d, as: t.account)
            }
            _ = try await t.store.attempts.record(AttemptDetails(outcome: .noAnswer, at: fixedNow.addingTimeInterval(-3_600)), person: lee.id,
                                                  zone: TimeZone(identifier: "UTC")!, as: t.account)
            let november = (CalendarDay(year: 2026, month: 11, day: 1), CalendarDay(year: 2026, month: 11, day: 30))
            func goal(_ metric: GoalMetric, _ target: Int, _ configure: (inout GoalDetails) -> Void = { _ in }) -> GoalDetails {
                var d = GoalDetails(title: "November \(metric.rawValue)", metric: metric, target: target, from: november.0, to: november.1)
                configure(&d)
                return d
            }
            let conversations = try await t.store.goals.add(goal(.conversations, 8), as: t.account)
            #expect(conversations.progress.value == 3)
            #expect(try await t.store.goals.add(goal(.people, 4), as: t.account).progress.value == 2)
            #expect(try await t.store.goals.add(goal(.outreach, 10), as: t.account).progress.value == 1)
            #expect(try await t.store.goals.add(goal(.people, 2) { $0.personas = ["ops lead"] }, as: t.account).progress.value == 1)
            let bad = await failure { _ = try await t.store.goals.add(goal(.conversations, 0) { $0.personas = ["Ops Lad"] }, as: t.account) }
            #expect(bad?.fieldErrors.map(\.field).sorted() == ["persona", "target"])
            #expect(try await t.store.goals.list(as: t.account).count == 4)
            var lower = GoalPatch()
            lower.target = 3
            let edited = try await t.store.goals.update(conversations.id, with: lower, as: t.account)
            #expect(edited.progress.state == "done")
            _ = try await t.store.goals.setArchived(conversations.id, true, as: t.account)
            #expect(try await t.store.goals.list(as: t.account).count == 3)
            #expect(try await t.store.goals.list(includeArchived: true, as: t.account).count == 4)
            let streak = try await t.store.goals.streak(as: t.account)
            #expect(streak.current == 1 && streak.thisWeekCount == 0, "last week had 3; this week has none yet")
        }
    }
}
