import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
import Testing

/// Script and attribute payloads in every text field a person can fill, through the API, an import and the CLI,
/// then every page and every report format read back: no payload may become markup (issue 16, "the web app
/// sealed"). Tags are read strictly, so an attribute cannot hide in a malformed one.
@Suite("Attack suite: hostile text in every field, every page and report")
struct AttackSuiteTests {
    /// Each payload tries a different way out: a tag, an attribute from a quoted and an unquoted value, a link
    /// target, and a Markdown link whose target closes its attribute.
    static let payloads = [
        "<script>alert(1)</script>",
        "\"><img src=x onerror=alert(2)>",
        "' onmouseover='alert(3)' x='",
        "javascript:alert(4)",
        "[m](javascript:alert(5))",
        "[n](https://evil.example/\" style=\"position:fixed;inset:0\" onclick=\"alert(6))",
    ]

    static func text(_ index: Int, _ label: String) -> String { "\(label) \(payloads[index % payloads.count])" }

    /// Every tag of `html`, read strictly; names every attribute that could run script or restyle the page.
    static func dangers(in html: String) -> [String] {
        var found: [String] = []
        for tag in html.matches(of: /<[a-zA-Z][^<>]*>/) {
            let text = String(tag.output)
            guard let strict = text.wholeMatch(of: /<([a-zA-Z0-9-]+)((?:\s+[a-zA-Z_:][a-zA-Z0-9_:.-]*(?:="[^"]*")?)*)\s*\/?>/) else {
                found.append("malformed tag \(text.prefix(120))")
                continue
            }
            let name = strict.output.1.lowercased()
            if name == "script", !text.contains("src=\"/") { found.append("inline script \(text.prefix(80))") }
            if name == "img" || name == "iframe" && !text.contains("src=\"/") { if !text.contains("src=\"data:") && !text.contains("src=\"/") { found.append("\(name) \(text.prefix(80))") } }
            for attribute in String(strict.output.2).matches(of: /([a-zA-Z_:][a-zA-Z0-9_:.-]*)(?:="([^"]*)")?/) {
                let key = attribute.output.1.lowercased(), value = String(attribute.output.2 ?? "").lowercased()
                if key.hasPrefix("on") { found.append("event attribute \(key) in \(text.prefix(120))") }
                if key == "style" { found.append("style attribute in \(text.prefix(120))") }
                if ["href", "src", "action", "formaction"].contains(key),
                   value.trimmingCharacters(in: .whitespaces).hasPrefix("javascript:") || value.hasPrefix("data:text") {
                    found.append("\(key)=\(value.prefix(40))")
                }
            }
        }
        return found
    }

    @Test("no payload in any field becomes markup on any page or in any report format")
    func everyPage() async throws {
        try await Circle.with { c in
            let persona = try await c.store.personas.add(PersonaDetails(name: "Ops Lead"), as: c.account)
            let personaID = persona.id
            try await c.web { client in
                var pages = ["/", "/people", "/people/new", "/personas", "/personas/\(personaID)", "/due", "/plan", "/log",
                             "/campaigns", "/campaigns/new", "/questions", "/guides", "/feedback", "/themes", "/requests",
                             "/hypotheses", "/goals", "/companies", "/reports", "/settings", "/import", "/export",
                             "/people/duplicates", "/conversations", "/funnel"]
                var people: [Int] = []
                for i in 0..<Self.payloads.count {
                    let body: [String: Any] = [
                        "name": Self.text(i, "Name"), "company": Self.text(i + 1, "Company"), "title": Self.text(i + 2, "Title"),
                        "city": Self.text(i + 3, "City"), "notes": Self.text(i + 4, "Notes"), "tags": [String(Self.payloads[i].replacingOccurrences(of: ",", with: "").prefix(55))],
                        "fields": ["plan": Self.text(i + 5, "Field")], "personas": ["Ops Lead"], "allowDuplicate": true,
                        "emails": [["value": "p\(i)@example.com", "label": Self.text(i, "label")]],
                    ]
                    let added = try await client.send("/api/v1/people", .post, String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
                    let id = try #require(try added.object()["id"] as? Int, "\(added.text)")
                    people.append(id)
                    let conversation: [String: Any] = [
                        "kind": "call", "people": [id], "objective": Self.text(i + 1, "Objective"), "notes": Self.text(i + 2, "Notes"),
                        "followUps": [["text": Self.text(i + 3, "Follow up")]],
                        "feedback": [["kind": "pain", "text": Self.text(i + 4, "Feedback"), "themes": [String(Self.payloads[i].replacingOccurrences(of: ",", with: "").prefix(55))]]],
                    ]
                    let logged = try await client.send("/api/v1/conversations", .post, String(decoding: try JSONSerialization.data(withJSONObject: conversation), as: UTF8.self))
                    let conversationID = try #require(try logged.object()["id"] as? Int, "\(logged.text)")
                    pages += ["/people/\(id)", "/people/\(id)/edit", "/conversations/\(conversationID)", "/conversations/\(conversationID)/edit"]
                }
                let json: (String, String, [String: Any]) async throws -> Int? = { uri, method, body in
                    let answer = try await client.send(uri, HTTPRequest.Method(method)!, String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
                    #expect(answer.status.code < 300, "\(uri): \(answer.text)")
                    return try? answer.object()["id"] as? Int
                }
                if let q = try await json("/api/v1/questions", "POST", ["text": "How do you export \(Self.payloads[1])?"]) { pages.append("/questions/\(q)") }
                if let g = try await json("/api/v1/guides", "POST", ["name": Self.text(2, "Guide"), "objective": Self.text(0, "Objective")]) { pages.append("/guides/\(g)") }
                if let r = try await json("/api/v1/requests", "POST", ["title": Self.text(1, "Request"), "problem": Self.text(5, "Problem")]) { pages.append("/requests/\(r)") }
                if let h = try await json("/api/v1/hypotheses", "POST", ["text": Self.text(2, "Hypothesis")]) { pages.append("/hypotheses/\(h)") }
                if let g = try await json("/api/v1/goals", "POST", ["title": Self.text(0, "Goal"), "metric": "conversations", "target": 3, "from": "2026-11-01", "to": "2026-12-31"]) { _ = g }
                _ = try await json("/api/v1/campaigns", "POST", ["name": "Exports \(Self.payloads[1])", "ask": Self.text(0, "Ask"),
                                                                  "subject": Self.text(2, "Subject"), "body": "Hi {{first_name}}, \(Self.payloads[5])"])
                let company = try #require(try await c.store.companies.list(as: c.account).first?.name)
                let industry = try await client.send("/api/v1/companies/\(query(company))", .patch,
                                                     String(decoding: try JSONSerialization.data(withJSONObject: ["industry": Self.text(1, "Industry")]), as: UTF8.self))
                #expect(industry.status == .ok, "\(industry.text)")
                // An imported CSV and vCard carry the payloads too.
                let csv = "Name,E-mail Address,Company,Notes\n\"\(Self.payloads[1].replacingOccurrences(of: "\"", with: "\"\""))\",csv@example.com,\"\(Self.payloads[0])\",\"\(Self.payloads[2].replacingOccurrences(of: "\"", with: "\"\""))\"\n"
                let imported = try await client.upload("/api/v1/imports", [("file", "contacts.csv", Data(csv.utf8))], headers: [HTTPField.Name("Rapport-Upload")!: "1"])
                #expect(imported.status == .ok, "\(imported.text)")
                let vcard = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:\(Self.payloads[0])\r\nORG:\(Self.payloads[1])\r\nNOTE:\(Self.payloads[4])\r\nEMAIL:vcf@example.com\r\nEND:VCARD\r\n"
                let card = try await client.upload("/api/v1/imports", [("file", "contacts.vcf", Data(vcard.utf8))], headers: [HTTPField.Name("Rapport-Upload")!: "1"])
                #expect(card.status == .ok, "\(card.text)")
                for q in ["script", "onerror", "javascript"] { pages.append("/people?q=\(q)") }
                pages.append("/themes/\(query(String(Self.payloads[0].prefix(55))))")
                var checked = 0
                for page in pages {
                    let answer = try await client.execute(uri: page, method: .get)
                    #expect(answer.status == .ok, "\(page): \(answer.status)")
                    let found = Self.dangers(in: answer.text)
                    #expect(found.isEmpty, "\(page): \(found.prefix(3))")
                    checked += 1
                }
                // Reports, named so the payloads are in them, in every format.
                for format in ["html", "markdown", "slack", "json"] {
                    let report = try await client.execute(uri: "/api/v1/reports?period=month&month=2026-11&names=1&format=\(format)", method: .get)
                    #expect(report.status == .ok, "\(format): \(report.text.prefix(200))")
                    if format == "html" { #expect(Self.dangers(in: report.text).isEmpty, "\(Self.dangers(in: report.text).prefix(3))") }
                    if format == "markdown" || format == "slack" {
                        #expect(!report.text.contains("<script") && !report.text.contains("<img"), "\(format) holds raw markup")
                    }
                }
                #expect(checked >= 40, "only \(checked) pages were read")
            }
        }
    }

    @Test("the checker itself finds each kind of escape it looks for")
    func checkerFinds() {
        #expect(Self.dangers(in: #"<p>fine</p><a href="/people/1" class="x">ok</a>"#).isEmpty)
        for bad in [#"<a href="/x" onclick="alert(1)">"#, #"<div style="position:fixed">"#, "<img src=x onerror=alert(2)>",
                    #"<a href="javascript:alert(1)">"#, "<script>alert(1)</script>", #"<a href="/" x=">"#] {
            #expect(!Self.dangers(in: bad).isEmpty, "\(bad)")
        }
    }
}
