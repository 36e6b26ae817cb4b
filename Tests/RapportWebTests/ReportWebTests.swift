import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportFormats
import RapportStore
@testable import RapportWeb
import Testing

@Suite("Web and API: reports")
struct ReportWebTests {
    static func demo() async throws -> WebHarness {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("timezone", to: "UTC", as: h.account)
        _ = try await DemoCircle.fill(h.store, as: h.account)
        return h
    }

    @Test("the page offers period, filters, format and names; previews Markdown in the page and HTML in a frame; downloads")
    func page() async throws {
        let h = try await Self.demo()
        let someone = try #require(try await h.store.people.list(PersonFilter(limit: 1), as: h.account).first)
        try await h.test { client in
            let empty = try await client.execute(uri: "/reports", method: .get).text
            #expect(empty.contains("value=\"2026-W47\"") && empty.contains("Ops Lead") && empty.contains("Slow exports"))
            #expect(empty.contains("aria-current=\"page\">Reports") && !empty.contains("id=\"report-text\""))
            let markdown = try await client.execute(uri: "/reports?period=week&week=2026-W47&format=markdown", method: .get).text
            #expect(markdown.contains("<pre class=\"card report-text\" id=\"report-text\"") && markdown.contains("# Customer learning: Week 2026-W47"))
            #expect(markdown.contains("href=\"/reports/download?period=week&amp;format=markdown&amp;week=2026-W47\""))
            #expect(!markdown.contains(someone.name), "anonymised by default")
            let named = try await client.execute(uri: "/reports?period=week&format=markdown&names=1", method: .get).text
            #expect(named.contains("Names included") && named.contains("checked> Include names"))
            let html = try await client.execute(uri: "/reports?period=week&format=slides&persona=Ops%20Lead", method: .get).text
            #expect(html.contains("<iframe src=\"/reports/view?period=week&amp;format=slides&amp;persona=Ops%20Lead\""))
            #expect(html.contains("value=\"Ops Lead\" checked"))
            let view = try await client.execute(uri: "/reports/view?period=week&format=slides", method: .get)
            #expect(view.headers[.contentType] == "text/html; charset=utf-8" && view.text.contains("class=\"slide\""))
            #expect(view.headers[.contentSecurityPolicy]?.contains("frame-ancestors 'self'") == true)
            let file = try await client.execute(uri: "/reports/download?period=month&month=2026-10&format=html", method: .get)
            #expect(file.headers[.contentDisposition] == "attachment; filename=\"rapport-report-2026-10-01-to-2026-10-31.html\"")
            #expect(file.text.contains("<title>Customer learning: October 2026</title>"))
        }
    }

    @Test("bad choices re-show the form with the field named, keeping what was chosen")
    func badInput() async throws {
        let h = try await Self.demo()
        try await h.test { client in
            let bad = try await client.execute(uri: "/reports?period=week&week=2026-W99&format=html&names=1", method: .get)
            #expect(bad.status == .unprocessableContent)
            #expect(bad.text.contains("role=\"alert\">week: &quot;2026-W99&quot; is not an ISO week"))
            #expect(bad.text.contains("value=\"2026-W99\"") && bad.text.contains("checked> Include names"))
            let format = try await client.execute(uri: "/reports?format=pdf", method: .get)
            #expect(format.status == .unprocessableContent && format.text.contains("format: &quot;pdf&quot; is not a report format"))
            let persona = try await client.execute(uri: "/reports?period=week&persona=Nobody", method: .get)
            #expect(persona.status == .unprocessableContent && persona.text.contains("persona:"))
        }
    }

    @Test("GET /api/v1/reports: JSON by default, any format on request, problems name the field")
    func api() async throws {
        let h = try await Self.demo()
        try await h.test { client in
            let json = try await client.execute(uri: "/api/v1/reports?week=2026-W47", method: .get)
            #expect(json.headers[.contentType] == "application/json")
            let report = try json.json()
            #expect(report["title"] as? String == "Customer learning: Week 2026-W47 (Mon 16 Nov 2026 to Sun 22 Nov 2026)")
            #expect(report["named"] as? Bool == false && (report["quotes"] as? [Any])?.isEmpty == false)
            let slack = try await client.execute(uri: "/api/v1/reports?period=month&format=slack&theme=Slow%20exports", method: .get).json()
            #expect((slack["blocks"] as? [Any])?.isEmpty == false)
            let md = try await client.execute(uri: "/api/v1/reports?since=2026-11-01&until=2026-11-22&format=markdown", method: .get)
            #expect(md.headers[.contentType] == "text/markdown; charset=utf-8" && md.text.hasPrefix("# Customer learning: Sun 1 Nov 2026 to Sun 22 Nov 2026"))
            let bad = try await client.execute(uri: "/api/v1/reports?period=year", method: .get)
            #expect(bad.status == .unprocessableContent && bad.text.contains("\"field\":\"period\""))
            let theme = try await client.execute(uri: "/api/v1/reports?theme=Nope", method: .get)
            #expect(theme.status == .unprocessableContent && theme.text.contains("\"field\":\"theme\""))
        }
    }

    @Test("posting to Slack needs the CSRF token and a webhook; without one the page says where to set it")
    func post() async throws {
        let h = try await Self.demo()
        try await h.test { client in
            let forged = try await client.execute(uri: "/reports/post", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                  body: ByteBuffer(string: "period=week&format=slack"))
            #expect(forged.status == .forbidden)
            let page = try await client.execute(uri: "/reports?period=week", method: .get).text
            #expect(page.contains("slack.webhook in Settings") && !page.contains("Post to Slack</button>"))
            let none = try await submit(client, "/reports/post", [("period", "week"), ("format", "markdown")], from: "/reports")
            #expect(none.status == .unprocessableContent && none.text.contains("slack.webhook: no webhook set"))
        }
        let h2 = try await Self.demo()
        _ = try await h2.store.settings.set("slack.webhook", to: "http://127.0.0.1:9/services/T/B/SECRETPART", as: h2.account)
        try await h2.test { client in
            let page = try await client.execute(uri: "/reports?period=week", method: .get).text
            #expect(page.contains("Post to Slack</button>") && page.contains("<input type=\"hidden\" name=\"period\" value=\"week\">"))
            let failed = try await submit(client, "/reports/post", [("period", "week")], from: "/reports")
            #expect(failed.text.contains("could not reach 127.0.0.1") && !failed.text.contains("SECRETPART"))
            let settings = try await client.execute(uri: "/settings", method: .get).text
            #expect(!settings.contains("SECRETPART") && settings.contains("placeholder=\"set: http://127.0.0.1:9/… (hidden)"))
        }
    }
}

@Suite("Web and API: companies for reports")
struct CompanyWebTests {
    @Test("the companies page sets an industry and shareability, shows how reports name it, and keeps a bad value with the reason")
    func page() async throws {
        let h = try await WebHarness.make()
        _ = try await h.add("Dana Kim") { $0.company = "Acme Logistics" }
        try await h.test { client in
            let page = try await client.execute(uri: "/companies", method: .get).text
            #expect(page.contains("Acme Logistics") && page.contains("1 person") && page.contains("Reports say: a customer."))
            let saved = try await submit(client, "/companies", [("name", "Acme Logistics"), ("industry", "logistics")], from: "/companies")
            #expect(saved.status == .seeOther && saved.headers[.location] == "/companies?saved=Acme%20Logistics")
            let after = try await client.execute(uri: "/companies?saved=Acme%20Logistics", method: .get).text
            #expect(after.contains("Reports say: a logistics customer.") && after.contains("Saved Acme Logistics."))
            let long = String(repeating: "x", count: 81)
            let bad = try await submit(client, "/companies", [("name", "Acme Logistics"), ("industry", long), ("shareable", "1")], from: "/companies")
            #expect(bad.status == .unprocessableContent && bad.text.contains("industry: keep the industry short") && bad.text.contains("value=\"\(long)\""))
            let api = try await client.execute(uri: "/api/v1/companies", method: .get).json()
            let first = try #require((api["companies"] as? [[String: Any]])?.first)
            #expect(first["industry"] as? String == "logistics" && first["shareable"] as? Bool == false, "the refused change stored nothing")
            let patched = try await client.execute(uri: "/api/v1/companies/Acme%20Logistics", method: .patch, headers: jsonHeaders,
                                                   body: ByteBuffer(string: #"{"shareable": true}"#)).json()
            #expect(patched["shareable"] as? Bool == true && patched["industry"] as? String == "logistics")
            let wrong = try await client.execute(uri: "/api/v1/companies/Acme%20Logistics", method: .patch, headers: jsonHeaders,
                                                 body: ByteBuffer(string: #"{"sharable": true}"#))
            #expect(wrong.status == .unprocessableContent && wrong.text.contains("did you mean \\\"shareable\\\"?"))
            let missing = try await client.execute(uri: "/api/v1/companies/Acme%20Logistic", method: .patch, headers: jsonHeaders,
                                                   body: ByteBuffer(string: #"{"industry": "x"}"#))
            // The address names a company that is not there: 404, with the store's suggestion kept.
            #expect(missing.status == .notFound && missing.text.contains("did you mean"))
        }
    }
}
