import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

@Suite("Web and API: lists a page at a time")
struct PagingWebTests {
    @Test("people, conversations and feedback pages show 100 with Previous and Next; the API pages with limit, offset and hasMore")
    func listsPage() async throws {
        let h = try await WebHarness.make()
        let total = PeoplePages.pageSize + 5
        for index in 0..<total {
            let person = try await h.add("Forklift \(String(format: "%03d", index))") { $0.company = index % 2 == 0 ? "Acme & Co" : nil }
            var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-Double(index) * 3_600))
            d.people = [person.id]
            d.notes = "Forklift notes \(index)"
            _ = try await h.store.conversations.log(d, feedback: [NewFeedback(kind: .pain, text: "Forklift pain \(index)")], as: h.account)
        }
        try await h.test { client in
            let first = try await client.execute(uri: "/people", method: .get).text
            #expect(first.contains("\(PeoplePages.pageSize) people shown (1 to \(PeoplePages.pageSize))"))
            #expect(first.contains("href=\"/people?offset=\(PeoplePages.pageSize)\"") && !first.contains(">Previous"))
            #expect(first.contains("Forklift 000") && !first.contains("Forklift \(String(format: "%03d", PeoplePages.pageSize))"))
            let second = try await client.execute(uri: "/people?offset=\(PeoplePages.pageSize)", method: .get).text
            #expect(second.contains("5 people shown (\(PeoplePages.pageSize + 1) to \(total))") && second.contains("href=\"/people\"") && !second.contains(">Next"))
            // A search pages too, keeping its words (escaped) in the links.
            let search = try await client.execute(uri: "/people?q=forklift%20notes&offset=0", method: .get).text
            #expect(!search.contains(">Next"), "people's documents do not hold their conversations' notes")
            let found = try await client.execute(uri: "/people?q=forklift", method: .get).text
            #expect(found.contains("href=\"/people?q=forklift&amp;offset=\(PeoplePages.pageSize)\""))
            let conversations = try await client.execute(uri: "/conversations?kind=call", method: .get).text
            #expect(conversations.contains("\(ConversationListView.pageSize) shown (1 to \(ConversationListView.pageSize))"))
            #expect(conversations.contains("href=\"/conversations?kind=call&amp;offset=\(ConversationListView.pageSize)\""))
            let feedback = try await client.execute(uri: "/feedback", method: .get).text
            #expect(feedback.contains("href=\"/feedback?offset=\(InboxView.pageSize)\""))
            let lastFeedback = try await client.execute(uri: "/feedback?offset=\(InboxView.pageSize)", method: .get).text
            #expect(lastFeedback.contains("5 piece(s) of feedback (\(InboxView.pageSize + 1) to \(total), newest first)"))
            // Offsets past the end or out of range: an empty page, never an error page.
            let past = try await client.execute(uri: "/people?offset=9223372036854775807", method: .get)
            #expect(past.status == .ok && past.text.contains("No one on this page") && !past.text.contains("Nobody here yet"))
            #expect(try await client.execute(uri: "/conversations?offset=-4", method: .get).status == .ok)

            for (path, key) in [("people", "people"), ("conversations", "conversations"), ("feedback", "feedback")] {
                let page = try await client.execute(uri: "/api/v1/\(path)?limit=40&offset=80", method: .get).json()
                #expect((page[key] as? [[String: Any]])?.count == 25 && page["count"] as? Int == 25, "\(path)")
                #expect(page["limit"] as? Int == 40 && page["offset"] as? Int == 80 && page["hasMore"] as? Bool == false, "\(path)")
                let before = try await client.execute(uri: "/api/v1/\(path)?limit=40&offset=40", method: .get).json()
                #expect(before["hasMore"] as? Bool == true, "\(path)")
                let bad = try await client.execute(uri: "/api/v1/\(path)?limit=0&offset=x", method: .get)
                #expect(bad.status == .unprocessableContent, "\(path)")
                #expect(Set((try bad.json()["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String } ?? []) == ["limit", "offset"], "\(path)")
            }
            let searched = try await client.execute(uri: "/api/v1/people?q=forklift&limit=100&offset=100", method: .get).json()
            #expect(searched["count"] as? Int == 5 && searched["hasMore"] as? Bool == false)
            // Without a limit a search lists its best 50, as the CLI's search does; a plain list lists them all.
            let best = try await client.execute(uri: "/api/v1/people?q=forklift", method: .get).json()
            #expect(best["count"] as? Int == PeopleAPI.searchLimit && best["limit"] as? Int == PeopleAPI.searchLimit && best["hasMore"] as? Bool == true)
            let all = try await client.execute(uri: "/api/v1/people", method: .get).json()
            #expect(all["count"] as? Int == total && all["limit"] as? Int == 500 && all["hasMore"] as? Bool == false)
        }
    }
}
