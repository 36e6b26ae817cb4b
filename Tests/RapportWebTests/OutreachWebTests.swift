import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

@Suite("Web and API: call plan, attempts, funnel and campaigns")
struct OutreachWebTests {
    func overdue(_ h: WebHarness, _ name: String, zone: String) async throws -> Person {
        let p = try await h.add(name) { $0.timeZone = zone; $0.phones = [ContactPoint(value: "+49 30 1234567")] }
        var old = ConversationDetails(kind: .call, at: Date(timeIntervalSince1970: 1_795_392_000 - 40 * 86_400))
        old.people = [p.id]
        old.objective = "Exports <b>today</b>"
        _ = try await h.store.conversations.log(old, as: h.account)
        return p
    }

    @Test("one click on the plan logs the attempt and returns to the plan with a notice")
    func clickOutcome() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("timezone", to: "Europe/Berlin", as: h.account)
        let dana = try await overdue(h, "Dana Kim", zone: "Asia/Tokyo")
        try await h.test { client in
            let page = try await client.execute(uri: "/plan", method: .get).text
            #expect(page.contains("Dana Kim") && page.contains("Tokyo (UTC+09:00)"))
            #expect(page.contains("Exports &lt;b&gt;today&lt;/b&gt;"))
            let response = try await submit(client, "/plan/attempt", [("person", "\(dana.id)"), ("outcome", "talked"), ("return", "/plan?slot=30")], from: "/plan")
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/plan?slot=30&logged="))
            let after = try await client.execute(uri: location, method: .get).text
            #expect(after.contains("Logged talked for Dana Kim"))
            #expect(try await h.store.conversations.list(ConversationFilter(person: dana.id), as: h.account).count == 2)
            let bad = try await submit(client, "/plan/attempt", [("person", "\(dana.id)"), ("outcome", "rescheduled"), ("return", "/plan")], from: "/plan")
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("reschedule: is needed"))
            let offsite = try await submit(client, "/plan/attempt", [("person", "\(dana.id)"), ("outcome", "no-answer"), ("return", "//evil.example")], from: "/plan")
            #expect(offsite.headers[.location]?.hasPrefix("/plan?logged=") == true)
        }
    }

    @Test("API: plan as JSON and ICS, attempts, and the funnel")
    func api() async throws {
        let h = try await WebHarness.make()
        let dana = try await overdue(h, "Dana Kim", zone: "Europe/Berlin")
        try await h.test { client in
            let plan = try await client.execute(uri: "/api/v1/plan?from=08:00&to=18:00", method: .get)
            let calls = try #require(try plan.json()["calls"] as? [[String: Any]])
            #expect(calls.first?["theirZone"] as? String == "Europe/Berlin")
            let ics = try await client.execute(uri: "/api/v1/plan?format=ics", method: .get)
            #expect(ics.headers[.contentType]?.hasPrefix("text/calendar") == true)
            #expect(ics.text.contains("BEGIN:VEVENT") && ics.text.contains("SUMMARY:Call Dana Kim"))
            let bad = try await client.execute(uri: "/api/v1/plan?from=25:00&slot=x", method: .get)
            #expect(bad.status == .unprocessableContent)
            let fields = try #require(try bad.json()["errors"] as? [[String: String]]).map { $0["field"] }
            #expect(fields == ["from", "slot"])
            let body = #"{"person": "\#(dana.id)", "outcome": "declined", "note": "busy quarter"}"#
            let created = try await client.execute(uri: "/api/v1/attempts", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created)
            let wrong = try await client.execute(uri: "/api/v1/attempts", method: .post, headers: jsonHeaders,
                                                 body: ByteBuffer(string: #"{"person": "\#(dana.id)", "outcome": "ghosted"}"#))
            #expect(wrong.status == .unprocessableContent)
            let funnel = try await client.execute(uri: "/api/v1/funnel?by=week&target=4", method: .get).json()
            let totals = try #require(funnel["totals"] as? [String: Any])
            #expect(totals["attempts"] as? Int == 1 && totals["declined"] as? Int == 1)
            #expect((funnel["target"] as? [String: Any])?["attemptsPerWeek"] as? Int == 10)
            let page = try await client.execute(uri: "/funnel?by=week", method: .get).text
            #expect(page.contains("<svg") && page.contains("2026-W48"))
        }
    }

    @Test("campaigns: create with a preview, refuse unknown placeholders, batch, mark a recipient, download mbox")
    func campaigns() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("sender.email", to: "pat@example.com", as: h.account)
        let ann = try await h.add("Ann Lee") { $0.company = "Acme"; $0.emails = [ContactPoint(value: "ann@acme.example")] }
        try await h.test { client in
            let fields = [("name", "Q4 exports"), ("ask", "a short call"), ("subject", "{{first_name}}, a question"),
                          ("body", "Hi {{first_name}} at {{company}}, {{ask}}?"), ("weekly", "25"), ("cooldown", "30"),
                          ("product", ""), ("sender", "Pat"), ("tags", "")]
            let preview = try await submit(client, "/campaigns/new", fields + [("preview", "1")], from: "/campaigns/new")
            #expect(preview.status == .ok && preview.text.contains("Hi Ann at Acme, a short call?"))
            let bad = try await submit(client, "/campaigns/new", fields.map { $0.0 == "subject" ? ($0.0, "{{frist_name}}") : $0 }, from: "/campaigns/new")
            #expect(bad.status == .unprocessableContent && bad.text.contains("did you mean {{first_name}}"))
            #expect(try await h.store.campaigns.list(as: h.account).isEmpty)
            let created = try await submit(client, "/campaigns/new", fields, from: "/campaigns/new")
            let location = try #require(created.headers[.location])
            let batch = try await submit(client, location + "/batch", [], from: location)
            #expect(batch.text.contains("ann@acme.example"))
            let marked = try await submit(client, location + "/recipients/\(ann.id)", [("status", "replied-yes")], from: location)
            #expect(marked.status == .seeOther)
            #expect(try await h.store.campaigns.recipients("Q4 exports", as: h.account).first?.status == .repliedYes)
            let id = location.split(separator: "/").last!
            let mbox = try await client.execute(uri: "/api/v1/campaigns/\(id)/export?format=mbox", method: .get)
            #expect(mbox.text.hasPrefix("From pat@example.com ") && mbox.text.contains("To: Ann Lee <ann@acme.example>"))
            let api = try await client.execute(uri: "/api/v1/campaigns/preview", method: .post, headers: jsonHeaders,
                                               body: ByteBuffer(string: #"{"subject": "{{nope}}", "body": "x"}"#))
            #expect(api.status == .unprocessableContent)
        }
    }
}
