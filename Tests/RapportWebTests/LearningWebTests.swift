import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

@Suite("Web and API: feedback, themes, requests and hypotheses")
struct LearningWebTests {
    @Test("the log form takes feedback lines; a bad kind keeps what was typed; the inbox tags and links in bulk")
    func inbox() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim") { $0.company = "Acme" }
        let request = try await h.store.requests.add(FeatureRequestDetails(title: "Scheduled exports"), as: h.account)
        try await h.test { client in
            let bad = try await submit(client, "/log", [("kind", "call"), ("people", "Dana Kim (#\(dana.id))"), ("feedback", "pian: slow <b>exports</b>")], from: "/log")
            #expect(bad.status == .unprocessableContent && bad.text.contains("did you mean pain?"))
            #expect(bad.text.contains("pian: slow &lt;b&gt;exports&lt;/b&gt;</textarea>"))
            let logged = try await submit(client, "/log", [("kind", "call"), ("people", "Dana Kim (#\(dana.id))"),
                                                          ("feedback", "pain: exports take an hour\nrequest: schedule it")], from: "/log")
            let location = try #require(logged.headers[.location])
            let page = try await client.execute(uri: location, method: .get).text
            #expect(page.contains("exports take an hour") && page.contains("Feedback heard"))
            let ids = try await h.store.feedback.list(FeedbackFilter(), as: h.account).map(\.id)
            #expect(ids.count == 2)
            let tagged = try await submit(client, "/feedback/bulk", ids.map { ("ids", "\($0)") } + [("action", "tag"), ("theme", "Slow exports")], from: "/feedback")
            #expect(tagged.status == .seeOther)
            #expect(try await h.store.themes.list(as: h.account).first?.count == 2)
            let linked = try await submit(client, "/feedback/bulk", [("ids", "\(ids[0])"), ("action", "link"), ("request", "\(request.id)")], from: "/feedback")
            let notice = try await client.execute(uri: try #require(linked.headers[.location]), method: .get).text
            #expect(notice.contains("Linked 1 to request #\(request.id) (Scheduled exports)"))
            let board = try await client.execute(uri: "/requests", method: .get).text
            #expect(board.contains("1 people, 1 companies") && board.contains("1.0 = evidence 1.0 × impact 3 (assumed) ÷ effort 3 (assumed)"))
            let theme = try await client.execute(uri: "/themes/Slow%20exports", method: .get).text
            #expect(theme.contains("<svg") && theme.contains("<title id=\"chart-title\">Mentions of Slow exports per week</title>"))
            let none = try await submit(client, "/feedback/bulk", [("action", "tag"), ("theme", "x")], from: "/feedback")
            #expect(none.status == .unprocessableContent && none.text.contains("choose the feedback to tag"))
            let filtered = try await client.execute(uri: "/feedback?kind=request", method: .get).text
            #expect(filtered.contains("schedule it") && !filtered.contains("exports take an hour"))
        }
    }

    @Test("feedback edit and delete, theme rename and merge, and telling the askers once a request shipped, from the pages")
    func editing() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("sender.name", to: "Pat", as: h.account)
        let dana = try await h.add("Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.example")] }
        var d = FeedbackDetails(text: "Exports are slow", person: dana.id, kind: .pain)
        d.themes = ["Exports"]
        let f = try await h.store.feedback.add(d, as: h.account)
        var other = FeedbackDetails(text: "Export speed", person: dana.id, kind: .pain)
        other.themes = ["Export speed"]
        _ = try await h.store.feedback.add(other, as: h.account)
        let request = try await h.store.requests.add(FeatureRequestDetails(title: "Faster exports"), as: h.account)
        _ = try await h.store.requests.link(request.id, feedback: [f.id], as: h.account)
        try await h.test { client in
            let uri = "/feedback/\(f.id)"
            let bad = try await submit(client, uri, [("action", "save"), ("text", "Exports are slow"), ("kind", "pain"), ("severity", "9")], from: uri)
            #expect(bad.status == .unprocessableContent && bad.text.contains("out of range"))
            #expect(try await h.store.feedback.get(f.id, as: h.account).severity == nil)
            _ = try await submit(client, uri, [("action", "save"), ("text", "Exports take an hour"), ("kind", "pain"), ("themes", "Exports, Mondays"), ("quote", "1")], from: uri)
            let saved = try await h.store.feedback.get(f.id, as: h.account)
            #expect(saved.text == "Exports take an hour" && saved.quote && saved.themes == ["Exports", "Mondays"])
            _ = try await submit(client, "/themes/Export%20speed", [("action", "merge"), ("into", "Exports")], from: "/themes/Exports")
            #expect(try await h.store.themes.allNames(as: h.account) == ["Exports", "Mondays"])
            _ = try await submit(client, "/requests/\(request.id)", [("action", "status"), ("status", "shipped")], from: "/requests")
            let page = try await client.execute(uri: "/requests/\(request.id)", method: .get).text
            #expect(page.contains("href=\"mailto:dana@acme.example?subject=Faster%20exports%20is%20here"))
            _ = try await submit(client, "/requests/\(request.id)", [("action", "told"), ("person", "\(dana.id)")], from: "/requests")
            #expect(try await h.store.requests.get(request.id, as: h.account).askers.first?.notifiedAt != nil)
            let unconfirmed = try await submit(client, uri, [("action", "delete")], from: uri)
            #expect(unconfirmed.status == .unprocessableContent)
            _ = try await submit(client, uri, [("action", "delete"), ("confirm", "1")], from: uri)
            #expect(try await h.store.feedback.list(FeedbackFilter(), as: h.account).count == 1)
        }
    }

    @Test("the weekly chart is well-formed XML with a title and description")
    func chart() throws {
        let weeks = (0..<12).map { WeekCount(week: ISOWeek(year: 2026, week: 37 + $0), count: $0 % 4) }
        let svg = WeeklyChart.svg(weeks, title: "Mentions & <more>")
        let document = try XMLDocument(xmlString: svg)
        #expect(document.rootElement()?.name == "svg")
        #expect(svg.contains("<title id=\"chart-title\">Mentions &amp; &lt;more&gt;</title>"))
        #expect(svg.components(separatedBy: "<rect").count - 1 == 12)
    }

    @Test("API: feedback, tags, themes, requests with distinctPeople, hypotheses with evidence")
    func api() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.personas.add(PersonaDetails(name: "Ops Lead"), as: h.account)
        let dana = try await h.add("Dana Kim") { $0.company = "Acme"; $0.personas = ["Ops Lead"] }
        try await h.test { client in
            func send(_ uri: String, _ body: String, method: HTTPRequest.Method = .post) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: jsonHeaders, body: ByteBuffer(string: body))
            }
            let added = try await send("/api/v1/feedback", #"{"text": "Exports take an hour", "person": \#(dana.id), "kind": "pain", "themes": ["Exports"], "quote": true}"#)
            #expect(added.status == .created)
            let fid = try #require(try added.json()["id"] as? Int)
            let bad = try await send("/api/v1/feedback", #"{"text": "x", "person": \#(dana.id), "kind": "moan", "severity": 9}"#)
            #expect(bad.status == .unprocessableContent && bad.text.contains("\"kind\""))
            let list = try await client.execute(uri: "/api/v1/feedback?theme=exports&quotes=1", method: .get).json()
            #expect(list["count"] as? Int == 1)
            let request = try await send("/api/v1/requests", #"{"title": "Faster exports", "feedback": [\#(fid)], "impact": 4, "effort": 2}"#).json()
            #expect(request["distinctPeople"] as? Int == 1 && request["distinctCompanies"] as? Int == 1)
            #expect((request["priority"] as? [String: Any])?["score"] as? Double == 3.0)
            let rid = try #require(request["id"] as? Int)
            let shipped = try await send("/api/v1/requests/\(rid)", #"{"status": "shipped"}"#, method: .patch).json()
            #expect(shipped["status"] as? String == "shipped")
            let themes = try await client.execute(uri: "/api/v1/themes", method: .get).json()
            #expect((themes["themes"] as? [[String: Any]])?.first?["name"] as? String == "Exports")
            let renamed = try await send("/api/v1/themes/Exports", #"{"name": "Slow exports"}"#, method: .patch)
            #expect(renamed.status == .ok)
            let hypothesis = try await send("/api/v1/hypotheses", #"{"text": "Ops Leads lose an hour to exports", "personas": ["Ops Lead"]}"#).json()
            let hid = try #require(hypothesis["id"] as? Int)
            let evidence = try await send("/api/v1/hypotheses/\(hid)/evidence", #"{"feedback": \#(fid), "supports": true}"#)
            #expect(evidence.status == .created)
            #expect(((try evidence.json()["tally"] as? [String: Any])?["supports"] as? [String: Any])?["people"] as? Int == 1)
            let both = try await send("/api/v1/hypotheses/\(hid)/evidence", #"{"supports": true}"#)
            #expect(both.status == .unprocessableContent)
            let page = try await client.execute(uri: "/hypotheses/\(hid)", method: .get).text
            #expect(page.contains("1 of 1 Ops Leads support") && page.contains("Exports take an hour"))
        }
    }
}
