import Foundation
import Testing

@Suite("CLI: lists a page at a time")
struct PagingCLITests {
    @Test("people list and search, conversations list, feedback list and search take --offset and name the next page")
    func pages() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "UTC")
        for name in ["Ada Forklift", "Ben Forklift", "Cy Forklift"] {
            await t.run("people", "add", name, "--company", "Acme & Co")
        }
        for (index, who) in ["ada", "ben", "cy"].enumerated() {
            await t.run("log", "call", who, "--when", "\(index + 1) days ago", "--note", "Forklift notes", "--feedback", "pain: forklift pain \(index)")
        }
        let first = await t.run("people", "list", "--limit", "2", "--company", "Acme & Co")
        #expect(first.out.contains("Ada Forklift") && first.out.contains("Ben Forklift") && !first.out.contains("Cy Forklift"))
        #expect(first.out.contains("More (1 to 2 shown): rapport people list --company 'Acme & Co' --limit 2 --offset 2"))
        let second = await t.run("people", "list", "--limit", "2", "--company", "Acme & Co", "--offset", "2")
        #expect(second.out.contains("Cy Forklift") && !second.out.contains("Ada Forklift") && !second.out.contains("More"))
        let json = try #require(try await t.run("people", "list", "--limit", "2", "--offset", "1", "--json").json() as? [[String: Any]])
        #expect(json.compactMap { $0["name"] as? String } == ["Ben Forklift", "Cy Forklift"])
        let search = await t.run("people", "search", "forklift", "--limit", "1")
        #expect(search.out.contains("More (1 to 1 shown): rapport people search forklift --limit 1 --offset 1"))
        let conversations = await t.run("conversations", "list", "--limit", "2")
        #expect(conversations.out.contains("2 conversations.") && conversations.out.contains("More (1 to 2 shown): rapport conversations list --limit 2 --offset 2"))
        let feedback = await t.run("feedback", "list", "--limit", "1", "--offset", "1")
        #expect(feedback.out.contains("More (2 to 2 shown): rapport feedback list --limit 1 --offset 2"))
        let everything = await t.run("search", "forklift", "--limit", "2")
        #expect(everything.out.contains("More (results 1 to 2 of each kind shown): rapport search forklift --limit 2 --offset 2"))
        // The hint names the database the page came from.
        let elsewhere = await t.run("people", "list", "--limit", "1", "--db", t.db)
        #expect(elsewhere.out.contains("rapport people list --db \(t.db) --limit 1 --offset 1"))
        let past = await t.run("people", "list", "--offset", "50")
        #expect(past.out.contains("No one on this page") && !past.out.contains("Nobody here yet"))
        let bad = await t.run("people", "list", "--offset=-1")
        #expect(bad.code != 0 && bad.err.contains("--offset must be between 0 and 10000000"))
    }

    @Test("demo generate writes a circle of the size asked, says what it wrote, and refuses a circle that has people")
    func generate() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        let made = try await t.run("demo", "generate", "--people", "24", "--conversations", "40", "--json").object()
        #expect(made["people"] as? Int == 24 && made["conversations"] as? Int == 40 && made["feedback"] as? Int == 80)
        let list = await t.run("people", "list", "--limit", "10")
        #expect(list.out.contains("More (1 to 10 shown): rapport people list --limit 10 --offset 10"))
        let again = await t.run("demo", "generate", "--people", "5")
        #expect(again.code == 1 && again.err.contains("already has people"))
        let wrong = await t.run("demo", "generate", "--people", "0")
        #expect(wrong.code == 1 && wrong.err.contains("people"))
    }
}
