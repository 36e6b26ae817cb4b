import Foundation
import RapportCore
import RapportStore
import Testing

/// Every list and search pages in SQL (`limit` and `offset`): pages put together are the whole list, in the same
/// order, and an offset out of range is refused naming `offset`.
@Suite("Store contract: paging")
struct PagingContractTests {
    /// Pages of `size` from `fetch(limit, offset)` until one comes back short, as `ListPage` sees them.
    static func pages<Item>(size: Int, _ fetch: (Int, Int) async throws -> [Item]) async throws -> [Item] {
        var all: [Item] = []
        var offset = 0
        while true {
            let page = ListPage.of(try await fetch(size + 1, offset), limit: size, offset: offset)
            #expect(page.items.count <= size)
            all += page.items
            guard let next = page.nextOffset else { break }
            offset = next
        }
        return all
    }

    @Test("people, conversations, feedback and each kind of search: pages put together are the whole list", arguments: Backend.available)
    func pagesAreTheWhole(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            var ids: [PersonID] = []
            for index in 0..<23 {
                ids.append(try await t.people.add(details("Forklift Person \(index % 7) \(index)") {
                    $0.company = index % 2 == 0 ? "Acme" : nil
                    $0.personas = index % 3 == 0 ? ["Ops Lead"] : []
                }, allowDuplicate: true, as: t.account).person.id)
            }
            for index in 0..<31 {
                // Some at the same moment, so the order's tie-break (id) is exercised.
                _ = try await t.store.conversations.log(conversation(.call, [ids[index % ids.count]], at: daysAgo(Double(index / 3))) {
                    $0.notes = "Forklift notes \(index)"
                }, feedback: [NewFeedback(kind: .pain, text: "Forklift pain \(index)", themes: ["Forklifts"])], as: t.account)
            }
            var all = FeedbackFilter()
            all.limit = 1_000
            for item in try await t.store.feedback.list(all, as: t.account) where item.id.rawValue % 4 == 0 {
                _ = try await t.store.feedback.update(item.id, as: t.account) { $0.area = "Docks" }
            }
            let everyone = try await t.people.list(PersonFilter(limit: 1_000), as: t.account)
            let acme = try await t.people.list(PersonFilter(company: "acme", limit: 1_000), as: t.account)
            for size in [1, 4, 10] {
                #expect(try await Self.pages(size: size) { limit, offset in
                    var f = PersonFilter(limit: limit)
                    f.offset = offset
                    return try await t.people.list(f, as: t.account)
                } == everyone)
                #expect(try await Self.pages(size: size) { limit, offset in
                    var f = PersonFilter(company: "acme", limit: limit)
                    f.offset = offset
                    return try await t.people.list(f, as: t.account)
                } == acme)
                let conversations = try await t.store.conversations.list(ConversationFilter(limit: 1_000), as: t.account)
                #expect(try await Self.pages(size: size) { limit, offset in
                    var f = ConversationFilter(limit: limit)
                    f.offset = offset
                    return try await t.store.conversations.list(f, as: t.account)
                }.map(\.id) == conversations.map(\.id))
                let feedback = try await t.store.feedback.list(all, as: t.account)
                #expect(try await Self.pages(size: size) { limit, offset in
                    var f = FeedbackFilter()
                    (f.limit, f.offset) = (limit, offset)
                    return try await t.store.feedback.list(f, as: t.account)
                }.map(\.id) == feedback.map(\.id))
                // A persona filter (a keyed subquery) and an area filter (matched in Swift): their pages add up too.
                var area = FeedbackFilter()
                (area.area, area.limit) = ("Docks", 1_000)
                let docks = try await t.store.feedback.list(area, as: t.account)
                #expect(!docks.isEmpty && docks.count < 31)
                #expect(try await Self.pages(size: size) { limit, offset in
                    var f = FeedbackFilter()
                    (f.area, f.limit, f.offset) = ("docks", limit, offset)
                    return try await t.store.feedback.list(f, as: t.account)
                }.map(\.id) == docks.map(\.id))
                var persona = FeedbackFilter()
                (persona.persona, persona.limit) = ("ops lead", 1_000)
                let theirs = try await t.store.feedback.list(persona, as: t.account)
                #expect(!theirs.isEmpty)
                #expect(try await Self.pages(size: size) { limit, offset in
                    var f = FeedbackFilter()
                    (f.persona, f.limit, f.offset) = ("ops lead", limit, offset)
                    return try await t.store.feedback.list(f, as: t.account)
                }.map(\.id) == theirs.map(\.id))
                #expect(try await Self.pages(size: size) { limit, offset in
                    try await t.people.search("forklift", as: t.account, limit: limit, offset: offset)
                }.map(\.person.id) == (try await t.people.search("forklift", as: t.account, limit: 1_000)).map(\.person.id))
                #expect(try await Self.pages(size: size) { limit, offset in
                    try await t.store.conversations.search("forklift", as: t.account, limit: limit, offset: offset)
                }.map(\.conversation.id) == (try await t.store.conversations.search("forklift", as: t.account, limit: 1_000)).map(\.conversation.id))
                #expect(try await Self.pages(size: size) { limit, offset in
                    try await t.store.feedback.search("forklift", as: t.account, limit: limit, offset: offset)
                }.map(\.id) == (try await t.store.feedback.search("forklift", as: t.account, limit: 1_000)).map(\.id))
            }
            #expect(everyone.count == 23)
            // Past the end: an empty page; out of range: refused, naming the field.
            var past = PersonFilter(limit: 5)
            past.offset = 23
            #expect(try await t.people.list(past, as: t.account).isEmpty)
            past.offset = -1
            #expect(await failure { _ = try await t.people.list(past, as: t.account) }?.fieldErrors.first?.field == "offset")
            var far = FeedbackFilter()
            far.offset = Paging.maxOffset + 1
            #expect(await failure { _ = try await t.store.feedback.list(far, as: t.account) }?.fieldErrors.first?.field == "offset")
            #expect(await failure { _ = try await t.store.conversations.search("forklift", as: t.account, offset: -3) }?.fieldErrors.first?.field == "offset")
        }
    }
}
