import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

@Suite("Web: conversations, follow-ups and due")
struct ConversationWebTests {
    @Test("logging from a person's page lands on their timeline, with the follow-up, in the user's zone")
    func logFromPersonPage() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("timezone", to: "Europe/Berlin", as: h.account)
        let dana = try await h.add("Dana Kim") { $0.company = "Acme" }
        let lee = try await h.add("Lee Park")
        try await h.test { client in
            let response = try await submit(client, "/people/\(dana.id)/log", [
                ("kind", "video"), ("when", "yesterday 16:00"), ("duration", "30"), ("people", "Lee"),
                ("objective", "Learn how exports are used"), ("met", "partly"), ("notes", "Exports take **an hour** <script>x()</script>"),
                ("followUp", "Send the export spec"), ("due", "friday"),
            ], from: "/people/\(dana.id)")
            #expect(response.status == .seeOther)
            #expect(response.headers[.location] == "/people/\(dana.id)#timeline")
            let page = try await client.execute(uri: "/people/\(dana.id)", method: .get).text
            #expect(page.contains("Video with Dana Kim, Lee Park"))
            #expect(page.contains("2026-11-22 16:00"))
            #expect(page.contains("Send the export spec"))
            #expect(page.contains("Fri 27 Nov 2026"))
            #expect(page.contains("Sun 22 Nov 2026 (yesterday)"))
            let list = try await h.store.conversations.list(ConversationFilter(), as: h.account)
            #expect(list.count == 1)
            // 16:00 in Berlin is 15:00 UTC, whatever zone the tests run in.
            #expect(list.first?.details.at == Date(timeIntervalSince1970: 1_795_359_600))
            #expect(list.first?.people.map(\.id) == [dana.id, lee.id])
            let conversation = try await client.execute(uri: "/conversations/\(list[0].id)", method: .get).text
            #expect(conversation.contains("<strong>an hour</strong>"))
            #expect(!conversation.contains("<script>x()</script>"))
        }
    }

    @Test("a bad form is drawn again with every error by its field and what was typed kept; nothing is stored")
    func badForm() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim")
        try await h.test { client in
            let response = try await submit(client, "/log", [
                ("kind", "secondhand"), ("when", "next blursday"), ("duration", "long"), ("people", "Nobody Here"),
                ("notes", "Kept <notes>"), ("followUp", ""), ("due", "friday"),
            ], from: "/log")
            #expect(response.status == .unprocessableContent)
            let page = response.text
            #expect(page.contains("next blursday"))
            #expect(page.contains("Kept &lt;notes&gt;"))
            #expect(page.contains("is not a date I can read"))
            #expect(page.contains("is not a number of minutes"))
            #expect(page.contains("no person matches"))
            #expect(page.contains("say who reported a second-hand conversation"))
            #expect(page.contains("say what to follow up on"))
            #expect(page.contains("aria-invalid=\"true\""))
            #expect(try await h.store.conversations.list(ConversationFilter(), as: h.account).isEmpty)
            // The same on the person's page.
            let onPerson = try await submit(client, "/people/\(dana.id)/log", [("kind", "call"), ("when", "25:99")], from: "/people/\(dana.id)")
            #expect(onPerson.status == .unprocessableContent)
            #expect(onPerson.text.contains("25:99"))
            #expect(onPerson.text.contains("<details class=\"card\" id=\"log\" open>"))
        }
    }

    @Test("the log page offers a person picker and logs with people named by picker label, email or id")
    func logPage() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.com")]; $0.company = "Acme" }
        let lee = try await h.add("Lee Park")
        try await h.test { client in
            let page = try await client.execute(uri: "/log?person=\(dana.id)", method: .get).text
            #expect(page.contains("<option value=\"Lee Park (#\(lee.id))\">"))
            #expect(page.contains("value=\"Dana Kim (#\(dana.id))\""))
            let response = try await submit(client, "/log", [("kind", "in-person"), ("people", "Dana Kim (#\(dana.id)), #\(lee.id)"), ("unnamed", "their intern")], from: "/log")
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            let shown = try await client.execute(uri: location, method: .get).text
            #expect(shown.contains("In person with Dana Kim, Lee Park and their intern"))
            #expect(shown.contains("Acme"))
        }
    }

    @Test("editing and deleting a conversation from its page")
    func editAndDelete() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim")
        var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-3600))
        d.people = [dana.id]
        d.notes = "first"
        let c = try await h.store.conversations.log(d, as: h.account).conversation
        try await h.test { client in
            let form = try await client.execute(uri: "/conversations/\(c.id)/edit", method: .get)
            #expect(form.status == .ok && form.text.contains("Dana Kim (#\(dana.id))"))
            let saved = try await submit(client, "/conversations/\(c.id)", [("kind", "email"), ("people", "Dana Kim (#\(dana.id))"), ("notes", "second")], from: "/conversations/\(c.id)")
            #expect(saved.status == .seeOther)
            #expect(try await h.store.conversations.get(c.id, as: h.account).details.notes == "second")
            let unconfirmed = try await submit(client, "/conversations/\(c.id)/delete", [], from: "/conversations/\(c.id)")
            #expect(unconfirmed.status == .unprocessableContent)
            #expect(try await h.store.conversations.list(ConversationFilter(), as: h.account).count == 1)
            let deleted = try await submit(client, "/conversations/\(c.id)/delete", [("confirm", "1")], from: "/conversations/\(c.id)")
            #expect(deleted.status == .seeOther)
            #expect(try await h.store.conversations.list(ConversationFilter(), as: h.account).isEmpty)
            #expect(try await h.store.people.get(dana.id, as: h.account).name == "Dana Kim")
        }
    }

    @Test("the due page lists overdue people and follow-ups; done and snooze buttons work and only return to this site")
    func duePage() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("timezone", to: "UTC", as: h.account)
        let dana = try await h.add("Dana Kim") { $0.cadenceDays = 7 }
        var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-20 * 86_400))
        d.people = [dana.id]
        let yesterday = TypedMoment(date: fixedNow, day: CalendarDay(year: 2026, month: 11, day: 22), hasTime: false)
        let logged = try await h.store.conversations.log(d, followUps: [NewFollowUp(text: "Send <spec>", due: yesterday)], as: h.account)
        let followUp = logged.followUps[0]
        try await h.test { client in
            let page = try await client.execute(uri: "/due", method: .get).text
            #expect(page.contains("13 days overdue"))
            #expect(page.contains("Send &lt;spec&gt;"))
            #expect(page.contains("yesterday"))
            let snoozed = try await submit(client, "/followups/\(followUp.id)/snooze", [("until", "in 3 days"), ("return", "//evil.example/x")], from: "/due")
            #expect(snoozed.headers[.location] == "/due")
            #expect(try await h.store.followUps.get(followUp.id, as: h.account).dueDay == CalendarDay(year: 2026, month: 11, day: 26))
            let done = try await submit(client, "/followups/\(followUp.id)/done", [("return", "/people/\(dana.id)#followups")], from: "/due")
            #expect(done.headers[.location] == "/people/\(dana.id)#followups")
            #expect(try await h.store.followUps.get(followUp.id, as: h.account).isOpen == false)
            let person = try await submit(client, "/people/\(dana.id)/snooze", [("until", "in 1 week"), ("return", "/due")], from: "/due")
            #expect(person.status == .seeOther)
            let after = try await client.execute(uri: "/due", method: .get).text
            #expect(!after.contains("13 days overdue"))
            #expect(after.contains("1 snoozed not shown"))
            let badSnooze = try await submit(client, "/people/\(dana.id)/snooze", [("until", "yesterday")], from: "/due")
            #expect(badSnooze.status == .unprocessableContent)
        }
    }

    @Test("the due page and the API list a page of people at a time, with everyone counted")
    func duePages() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("timezone", to: "UTC", as: h.account)
        for index in 0..<(DueView.pageSize + 3) {
            let person = try await h.add("Person \(index)") { $0.cadenceDays = 1 + index % 3 }
            var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-Double(10 + index) * 86_400))
            d.people = [person.id]
            _ = try await h.store.conversations.log(d, as: h.account)
        }
        let count = DueView.pageSize + 3
        try await h.test { client in
            let first = try await client.execute(uri: "/due", method: .get).text
            #expect(!first.contains("Follow-ups due") && !first.contains("snoozed not shown"), "no follow-up and nobody snoozed: no heading for them")
            #expect(first.contains("Overdue (\(count), 1 to \(DueView.pageSize) shown)"))
            #expect(first.contains("href=\"/due?within=7&amp;offset=\(DueView.pageSize)\""))
            #expect(!first.contains("Previous"))
            let last = try await client.execute(uri: "/due?within=7&offset=\(DueView.pageSize)", method: .get).text
            #expect(last.contains("Overdue (\(count), \(DueView.pageSize + 1) to \(count) shown)"))
            #expect(last.contains("href=\"/due?within=7&amp;offset=0\"") && !last.contains(">Next"))
            let api = try await client.execute(uri: "/api/v1/due?limit=2&offset=1", method: .get).json()
            #expect(api["overdueCount"] as? Int == count && api["limit"] as? Int == 2 && api["offset"] as? Int == 1)
            #expect((api["overdue"] as? [[String: Any]])?.count == 2)
            let whole = try await client.execute(uri: "/api/v1/due", method: .get).json()
            #expect((whole["overdue"] as? [[String: Any]])?.count == count)
            let bad = try await client.execute(uri: "/api/v1/due?limit=x&offset=-", method: .get)
            #expect(bad.status == .unprocessableContent)
            let fields = try bad.json()["errors"] as? [[String: Any]]
            #expect(fields?.compactMap { $0["field"] as? String } == ["limit", "offset"])
            let range = try await client.execute(uri: "/api/v1/due?limit=5000", method: .get)
            #expect(range.status == .unprocessableContent)
            // The largest offsets: refused by the API, clamped by the page, never an overflow.
            let huge = try await client.execute(uri: "/api/v1/due?offset=9223372036854775807", method: .get)
            #expect(huge.status == .unprocessableContent)
            let far = try await client.execute(uri: "/due?offset=9223372036854775807", method: .get)
            #expect(far.status == .ok && far.text.contains("none from 10000001"))
        }
    }

    @Test("a count of 0 guards nothing: empty pages say they are empty, and no heading counts zero")
    func zeroCounts() async throws {
        let h = try await WebHarness.make()
        _ = try await h.add("Dana Kim")
        try await h.test { client in
            let pages = [
                ("/themes", "No themes yet"), ("/hypotheses", "No hypotheses yet."), ("/campaigns", "No campaigns yet."),
                ("/requests", "No requests yet."), ("/feedback", "No feedback matches."), ("/due", "Nobody is due"),
            ]
            for (path, empty) in pages {
                let page = try await client.execute(uri: path, method: .get).text
                #expect(page.contains(empty), "\(path) says it is empty")
                #expect(!page.contains("(0)") && !page.contains(">0 snoozed"), "\(path) counts no zero")
            }
            let plan = try await client.execute(uri: "/plan", method: .get).text
            #expect(!plan.contains("Not today (0)") && !plan.contains("No phone (0)"))
        }
    }

    @Test("a follow-up added on the person's page, and its error kept by the field")
    func addFollowUp() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim")
        try await h.test { client in
            let bad = try await submit(client, "/people/\(dana.id)/followups", [("text", " "), ("due", "friday")], from: "/people/\(dana.id)")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("say what to follow up on"))
            #expect(bad.text.contains("value=\"friday\""))
            let good = try await submit(client, "/people/\(dana.id)/followups", [("text", "Book a visit"), ("due", "tomorrow")], from: "/people/\(dana.id)")
            #expect(good.status == .seeOther)
            #expect(try await h.store.followUps.list(.open, as: h.account).map(\.text) == ["Book a visit"])
        }
    }
}

extension ConversationWebTests {
    @Test("search on the people page also finds conversation notes, escaped, with where they matched")
    func searchFindsConversations() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim")
        var d = ConversationDetails(kind: .visit, at: fixedNow.addingTimeInterval(-86_400))
        d.people = [dana.id]
        d.notes = "They rebuild the <b>pivot</b> by hand every Monday."
        _ = try await h.store.conversations.log(d, as: h.account)
        try await h.test { client in
            let page = try await client.execute(uri: "/people?q=pivot", method: .get).text
            #expect(page.contains("In conversations"))
            #expect(page.contains("Visit with Dana Kim"))
            #expect(page.contains("matched in notes"))
            #expect(page.contains("&lt;b&gt;pivot&lt;/b&gt;"))
            #expect(!(try await client.execute(uri: "/people?q=dana", method: .get).text.contains("In conversations")))
        }
    }

    @Test("conversation hits beside the people are the newest logged first, at most twenty, however well each matches")
    func conversationHitsNewestFirst() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim")
        for index in 0..<25 {
            var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(Double(index - 30) * 86_400))
            d.people = [dana.id]
            // The earliest ones match best (the word in the objective, weighted over notes).
            d.objective = index < 5 ? "Forecast review" : "Call \(index)"
            d.notes = "Number \(index) talked about the forecast."
            _ = try await h.store.conversations.log(d, as: h.account)
        }
        try await h.test { client in
            let page = try await client.execute(uri: "/people?q=forecast", method: .get).text
            #expect(page.contains("Newest logged first, at most 20."))
            let shown = page.components(separatedBy: "Number ").dropFirst().compactMap { Int($0.prefix { $0.isNumber }) }
            #expect(shown == Array((5..<25).reversed()), "\(shown)")
            let ranked = try await h.store.conversations.search("forecast", as: h.account, limit: 5)
            #expect(ranked.map { $0.conversation.details.objective } == Array(repeating: "Forecast review", count: 5), "the CLI's search still ranks")
        }
    }
}

@Suite("API: conversations, follow-ups, due and timelines")
struct ConversationAPITests {
    @Test("POST, GET, PATCH and DELETE a conversation, with follow-ups in the same call")
    func crud() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim") { $0.company = "Acme" }
        try await h.test { client in
            let body = #"{"kind":"call","people":[\#(dana.id)],"at":"2026-11-22T15:00:00Z","durationMinutes":25,"objective":"Exports","notes":"An hour","followUps":[{"text":"Send spec","due":"2026-11-27"}]}"#
            let created = try await client.execute(uri: "/api/v1/conversations", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created)
            let object = try created.json()
            let id = try #require(object["id"] as? Int)
            #expect(created.headers[.location] == "/api/v1/conversations/\(id)")
            #expect(object["company"] as? String == "Acme")
            #expect(object["at"] as? String == "2026-11-22T15:00:00Z")
            #expect((object["followUps"] as? [[String: Any]])?.first?["dueDay"] as? String == "2026-11-27")
            let patched = try await client.execute(uri: "/api/v1/conversations/\(id)", method: .patch, headers: jsonHeaders,
                                                   body: ByteBuffer(string: #"{"objective":null,"met":"yes","direction":"inbound"}"#))
            #expect(patched.status == .ok)
            let p = try patched.json()
            #expect(p["objective"] is NSNull && p["met"] as? String == "yes" && p["direction"] as? String == "inbound")
            #expect(p["notes"] as? String == "An hour")
            let fetched = try await client.execute(uri: "/api/v1/conversations/\(id)", method: .get).json()
            #expect((fetched["followUps"] as? [Any])?.count == 1)
            let list = try await client.execute(uri: "/api/v1/conversations?person=\(dana.id)&kind=call", method: .get).json()
            #expect(list["count"] as? Int == 1)
            let deleted = try await client.execute(uri: "/api/v1/conversations/\(id)", method: .delete)
            #expect(deleted.status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/conversations/\(id)", method: .get).status == .notFound)
        }
    }

    @Test("bad bodies get a 422 problem naming every field; nothing is stored")
    func problems() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let response = try await client.execute(uri: "/api/v1/conversations", method: .post, headers: jsonHeaders,
                                                    body: ByteBuffer(string: #"{"kind":"telegram","at":"someday","durationMinutes":"x","people":"Dana","followUps":[{"due":"friday"}]}"#))
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let fields = Set(((try response.json()["errors"] as? [[String: Any]]) ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["kind", "at", "durationMinutes", "people", "followUps[0].text"])
            let unknown = try await client.execute(uri: "/api/v1/conversations", method: .post, headers: jsonHeaders,
                                                   body: ByteBuffer(string: #"{"kind":"call","note":"x"}"#))
            #expect(unknown.status == .unprocessableContent)
            #expect(unknown.text.contains("did you mean \\\"notes\\\"?"))
            let rules = try await client.execute(uri: "/api/v1/conversations", method: .post, headers: jsonHeaders,
                                                 body: ByteBuffer(string: #"{"kind":"call"}"#))
            #expect(rules.status == .unprocessableContent)
            #expect(rules.text.contains("\"field\":\"people\""))
            #expect(try await h.store.conversations.list(ConversationFilter(), as: h.account).isEmpty)
        }
    }

    @Test("follow-ups: add, list, done, snooze; due and the timeline read them")
    func followUpsDueTimeline() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("timezone", to: "UTC", as: h.account)
        let dana = try await h.add("Dana Kim") { $0.cadenceDays = 10 }
        var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-15 * 86_400))
        d.people = [dana.id]
        _ = try await h.store.conversations.log(d, as: h.account)
        try await h.test { client in
            let added = try await client.execute(uri: "/api/v1/followups", method: .post, headers: jsonHeaders,
                                                 body: ByteBuffer(string: #"{"text":"Send spec","person":\#(dana.id),"due":"yesterday"}"#))
            #expect(added.status == .created)
            let id = try #require(try added.json()["id"] as? Int)
            let due = try await client.execute(uri: "/api/v1/due?within=3", method: .get).json()
            #expect((due["overdue"] as? [[String: Any]])?.count == 1)
            #expect(((due["overdue"] as? [[String: Any]])?.first?["status"] as? [String: Any])?["daysOverdue"] as? Int == 5)
            #expect(((due["followUps"] as? [[String: Any]])?.first?["daysLate"] as? Int) == 1)
            let snoozed = try await client.execute(uri: "/api/v1/followups/\(id)", method: .patch, headers: jsonHeaders,
                                                   body: ByteBuffer(string: #"{"snoozeUntil":"in 2 days"}"#)).json()
            #expect(snoozed["dueDay"] as? String == "2026-11-25" && snoozed["snoozes"] as? Int == 1)
            let done = try await client.execute(uri: "/api/v1/followups/\(id)", method: .patch, headers: jsonHeaders,
                                                body: ByteBuffer(string: #"{"done":true}"#)).json()
            #expect(done["status"] as? String == "done")
            let open = try await client.execute(uri: "/api/v1/followups", method: .get).json()
            #expect(open["count"] as? Int == 0)
            let all = try await client.execute(uri: "/api/v1/followups?status=all&person=Dana", method: .get).json()
            #expect(all["count"] as? Int == 1)
            let bad = try await client.execute(uri: "/api/v1/followups/\(id)", method: .patch, headers: jsonHeaders,
                                               body: ByteBuffer(string: #"{"done":"yes"}"#))
            #expect(bad.status == .unprocessableContent)
            let timeline = try await client.execute(uri: "/api/v1/people/\(dana.id)/timeline", method: .get).json()
            #expect((timeline["entries"] as? [[String: Any]])?.map { $0["type"] as? String } == ["followUp", "conversation"])
            #expect((timeline["status"] as? [String: Any])?["cadenceDays"] as? Int == 10)
            let person = try await client.execute(uri: "/api/v1/people/\(dana.id)", method: .get).json()
            #expect(person["name"] as? String == "Dana Kim")
            #expect((person["cadence"] as? [String: Any])?["daysOverdue"] as? Int == 5)
            #expect((person["cadence"] as? [String: Any])?["conversations"] as? Int == 1)
        }
    }
}

@Suite("Settings: page and API")
struct SettingsWebTests {
    @Test("the settings page saves a cadence, refuses a bad one by its field, and resets")
    func page() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let page = try await client.execute(uri: "/settings", method: .get).text
            #expect(page.contains("cadence.customer") && page.contains("Default: 30 (in use)"))
            let saved = try await submit(client, "/settings", [("key", "cadence.customer"), ("value", "45")], from: "/settings")
            #expect(saved.headers[.location] == "/settings?saved=cadence.customer")
            #expect(try await h.store.settings.get(as: h.account).value("cadence.customer") == "45")
            let bad = try await submit(client, "/settings", [("key", "cadence.prospect"), ("value", "fortnightly")], from: "/settings")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("value=\"fortnightly\""))
            #expect(bad.text.contains("is not a number of days"))
            #expect(try await h.store.settings.get(as: h.account).value("cadence.prospect") == "21")
            _ = try await submit(client, "/settings", [("key", "cadence.customer"), ("reset", "1")], from: "/settings")
            #expect(try await h.store.settings.get(as: h.account).value("cadence.customer") == "30")
        }
    }

    @Test("PATCH /api/v1/settings checks every key before storing any")
    func api() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            // The web app keeps its form secret among the settings from the start; nothing else may be stored.
            let before = try await h.store.settings.get(as: h.account).stored
            let bad = try await client.execute(uri: "/api/v1/settings", method: .patch, headers: jsonHeaders,
                                               body: ByteBuffer(string: #"{"cadence.customer":"45","timezone":"Mars/Olympus"}"#))
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("\"field\":\"timezone\""))
            #expect(try await h.store.settings.get(as: h.account).stored == before)
            let mixed = try await client.execute(uri: "/api/v1/settings", method: .patch, headers: jsonHeaders,
                                                 body: ByteBuffer(string: #"{"cadence.customer":[45],"cadence.prospect":"often"}"#))
            #expect(mixed.status == .unprocessableContent)
            #expect(mixed.text.contains("\"field\":\"cadence.customer\"") && mixed.text.contains("\"field\":\"cadence.prospect\""))
            #expect(try await h.store.settings.get(as: h.account).stored == before)
            let good = try await client.execute(uri: "/api/v1/settings", method: .patch, headers: jsonHeaders,
                                                body: ByteBuffer(string: #"{"cadence.customer":45,"timezone":"Berlin"}"#))
            #expect(good.status == .ok)
            let list = try await client.execute(uri: "/api/v1/settings", method: .get)
            let entries = try #require(try JSONSerialization.jsonObject(with: Data(list.text.utf8)) as? [[String: Any]])
            #expect(entries.first { $0["key"] as? String == "timezone" }?["value"] as? String == "Europe/Berlin")
            #expect(entries.first { $0["key"] as? String == "cadence.customer" }?["isDefault"] as? Bool == false)
            let reset = try await client.execute(uri: "/api/v1/settings", method: .patch, headers: jsonHeaders,
                                                 body: ByteBuffer(string: #"{"cadence.customer":null}"#))
            #expect(reset.status == .ok)
            #expect(try await h.store.settings.get(as: h.account).value("cadence.customer") == "30")
        }
    }
}
