import Foundation
import RapportCore
import RapportFormats
import RapportStore
import Testing

@Suite("A generated circle (rapport demo generate)")
struct GeneratedCircleTests {
    static let anchor = Date(timeIntervalSince1970: 1_795_392_000)

    static func generated(_ counts: GeneratedCircle.Counts, seed: UInt64, in dir: URL, name: String) async throws -> (Store, AccountID, GeneratedCircle.Summary) {
        let store = try await Store.open(.sqlite(path: dir.appendingPathComponent(name).path), now: { anchor })
        let account = try await store.localAccount()
        let summary = try await GeneratedCircle.write(counts, seed: seed, to: store, as: account, anchor: anchor)
        return (store, account, summary)
    }

    @Test("writes the counts asked through the store: keyed, searchable, themed, due; the same seed gives the same circle")
    func generate() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-generate-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let counts = GeneratedCircle.Counts(people: 60, conversations: 150, feedback: 333)
        let (store, account, summary) = try await Self.generated(counts, seed: 11, in: dir, name: "a.sqlite")
        #expect(summary.people == 60 && summary.conversations == 150 && summary.feedback == 333 && summary.personas == 5 && summary.companies == 5)
        let people = try await store.people.list(PersonFilter(limit: 1_000), as: account)
        #expect(people.count == 60 && people.allSatisfy { $0.details.emails.count == 1 && $0.details.phones.count == 1 && $0.details.timeZone != nil })
        #expect(Set(people.flatMap(\.details.emails).map(\.value)).count == 60, "every email is its own")
        #expect(try await store.conversations.list(ConversationFilter(limit: 1_000), as: account).count == 150)
        var all = FeedbackFilter()
        all.limit = 10_000
        let feedback = try await store.feedback.list(all, as: account)
        #expect(feedback.count == 333 && feedback.allSatisfy { $0.conversation != nil && !$0.themes.isEmpty })
        // The keys and the search index are the ones a single write makes.
        let someone = people[17]
        let last = String(someone.name.split(separator: " ").last!)
        #expect(try await store.people.search(last, as: account, limit: 100).contains { $0.person.id == someone.id })
        #expect(try await store.people.resolve(someone.details.emails[0].value.uppercased(), as: account).id == someone.id)
        #expect(!(try await store.conversations.search("whiteboard", as: account)).isEmpty)
        // Theme figures count every link; the streak and due see the conversations (people.last_contact_at is kept).
        let themes = try await store.themes.list(as: account)
        #expect(themes.map(\.count).reduce(0, +) == feedback.map(\.themes.count).reduce(0, +))
        #expect(try await store.goals.streak(as: account).longest > 0)
        let clock = try await store.clock(as: account)
        let due = try await store.activity.due(within: 30, clock: clock, as: account)
        #expect(due.overdueCount + due.upcomingCount > 0)

        let (again, againAccount, _) = try await Self.generated(counts, seed: 11, in: dir, name: "b.sqlite")
        let twin = try await again.people.list(PersonFilter(limit: 1_000), as: againAccount)
        #expect(twin.map(\.name) == people.map(\.name) && twin.map(\.details.emails) == people.map(\.details.emails))
        #expect(try await again.feedback.list(all, as: againAccount).map(\.text) == feedback.map(\.text))
        let (other, otherAccount, _) = try await Self.generated(counts, seed: 12, in: dir, name: "c.sqlite")
        #expect(try await other.people.list(PersonFilter(limit: 1_000), as: otherAccount).map(\.name) != people.map(\.name))

        // A circle that is not empty is refused, naming the database; counts out of range name their option.
        let refused = await #expect(throws: RapportError.self) { _ = try await GeneratedCircle.write(counts, seed: 1, to: store, as: account, anchor: Self.anchor) }
        #expect(refused?.fieldErrors.first?.field == "db")
        let bad = await #expect(throws: RapportError.self) {
            _ = try await GeneratedCircle.write(.init(people: 0, conversations: 0, feedback: 5), seed: 1, to: other, as: otherAccount, anchor: Self.anchor)
        }
        #expect(Set(bad?.fieldErrors.map(\.field) ?? []) == ["people", "feedback"])
        for s in [store, again, other] { await s.close() }
    }
}
