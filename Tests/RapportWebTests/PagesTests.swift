import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

@Suite("Web pages: people and personas")
struct PagesTests {
    @Test("every page escapes what the user typed")
    func escaping() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.personas.add(PersonaDetails(name: "<i>Ops</i>"), as: h.account)
        let evil = try await h.add("<script>alert(1)</script>") {
            $0.company = "\"><img src=x onerror=alert(2)>"
            $0.notes = "<b>bold?</b> **yes**"
            $0.personas = ["<i>Ops</i>"]
        }
        try await h.test { client in
            for uri in ["/", "/people", "/people/\(evil.id)", "/people/\(evil.id)/edit", "/people?q=script", "/personas", "/personas/1"] {
                let response = try await client.execute(uri: uri, method: .get)
                #expect(response.status == .ok, "\(uri)")
                #expect(!response.text.contains("<script>alert(1)</script>"), "\(uri)")
                #expect(!response.text.contains("<img src=x"), "\(uri)")
                #expect(!response.text.contains("<i>Ops</i>"), "\(uri)")
            }
            let page = try await client.execute(uri: "/people/\(evil.id)", method: .get).text
            #expect(page.contains("&lt;script&gt;alert(1)&lt;/script&gt;"))
            #expect(page.contains("<strong>yes</strong>") && !page.contains("<b>bold?</b>"))
        }
    }

    @Test("a POST without a valid CSRF token, with a made-up cookie and token, or from another site is refused with 403 and changes nothing")
    func csrf() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim")
        try await h.test { client in
            let noToken = try await client.execute(
                uri: "/people", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                body: formBody([("name", "Mallory"), ("stage", "customer"), ("warmth", "3")]))
            #expect(noToken.status == .forbidden)
            let wrongToken = try await client.execute(
                uri: "/people/\(dana.id)/archive", method: .post,
                headers: [.cookie: "rapport_csrf=" + String(repeating: "a", count: 64), .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("_csrf", String(repeating: "b", count: 64)), ("archived", "1")]))
            #expect(wrongToken.status == .forbidden)
            // Issue 16, case 5: a page on another 127.0.0.1 port can set the cookie, so it can make up any pair of
            // cookie and token; the token must be the install's HMAC of the cookie, which it cannot compute.
            let madeUp = String(repeating: "c", count: 64)
            let madeUpPair = try await client.execute(
                uri: "/people/\(dana.id)/archive", method: .post,
                headers: [.cookie: "rapport_session=\(madeUp)", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("_csrf", madeUp), ("archived", "1")]))
            #expect(madeUpPair.status == .forbidden)
            let old = try await client.execute(
                uri: "/people/\(dana.id)/archive", method: .post,
                headers: [.cookie: "rapport_csrf=\(madeUp)", .contentType: "application/x-www-form-urlencoded"],
                body: formBody([("_csrf", madeUp), ("archived", "1")]))
            #expect(old.status == .forbidden)
            // A real pair, sent by another site's page: refused by Sec-Fetch-Site and by Origin, forms and API alike.
            let csrf = try #require(try await client.execute(uri: "/people/new", method: .get).csrf)
            for header in [(HTTPField.Name("Sec-Fetch-Site")!, "same-site"), (HTTPField.Name("Sec-Fetch-Site")!, "cross-site"),
                           (HTTPField.Name.origin, "http://127.0.0.1:9"), (HTTPField.Name.origin, "null")] {
                let crossSite = try await client.execute(
                    uri: "/people/\(dana.id)/archive", method: .post,
                    headers: [.cookie: csrf.cookie, .contentType: "application/x-www-form-urlencoded", header.0: header.1],
                    body: formBody([("_csrf", csrf.token), ("archived", "1")]))
                #expect(crossSite.status == .forbidden, "\(header)")
                let api = try await client.execute(uri: "/api/v1/people/\(dana.id)", method: .patch,
                                                   headers: [.contentType: "application/json", header.0: header.1],
                                                   body: ByteBuffer(string: #"{"name": "Mallory"}"#))
                #expect(api.status == .forbidden, "\(header)")
            }
            let people = try await h.store.people.list(PersonFilter(), as: h.account)
            #expect(people.map(\.name) == ["Dana Kim"] && !people[0].archived)
        }
    }

    @Test("the add form creates a person and redirects to their page, saying what was inferred")
    func addPerson() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.personas.add(PersonaDetails(name: "Ops Lead"), as: h.account)
        try await h.test { client in
            let form = try await client.execute(uri: "/people/new", method: .get).text
            #expect(form.contains("name=\"_csrf\"") && form.contains("<label for=\"f-name\">Name *</label>"))
            let response = try await submit(client, "/people", [
                ("name", "Dana Kim"), ("email", "dana@acme.com\nhome: dana@home.example"), ("phone", "+49 30 1234567"),
                ("company", "Acme"), ("city", "Berlin"), ("stage", "prospect"), ("warmth", "4"), ("advocate", "1"),
                ("personas", "Ops Lead"), ("tags", "beta, renewal"), ("fields", "plan = Enterprise"), ("notes", "Hi"),
            ])
            #expect(response.status == .seeOther)
            let location = try #require(response.headers[.location])
            #expect(location.hasPrefix("/people/1?notice="))
            let page = try await client.execute(uri: location, method: .get).text
            #expect(page.contains("time zone Europe/Berlin inferred from the city Berlin"))
            let dana = try await h.store.people.get(PersonID(1), as: h.account)
            #expect(dana.details.emails == [ContactPoint(value: "dana@acme.com"), ContactPoint(value: "dana@home.example", label: "home")])
            #expect(dana.details.personas == ["Ops Lead"] && dana.details.tags == ["beta", "renewal"] && dana.details.advocate)
            #expect(dana.details.fields == ["plan": "Enterprise"] && dana.details.stage == .prospect && dana.details.warmth == 4)
        }
    }

    @Test("invalid input re-renders the form with the message by the field and the typed values kept")
    func invalidForm() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let response = try await submit(client, "/people", [
                ("name", "Dana <Kim>"), ("email", "not-an-email"), ("timeZone", "Europe/Berlim"), ("stage", "customer"),
                ("warmth", "3"), ("cadenceDays", "often"), ("notes", "keep this text"),
            ])
            #expect(response.status == .unprocessableContent)
            let html = response.text
            #expect(html.contains("Nothing was saved"))
            #expect(html.contains("id=\"e-email\"") && html.contains("&quot;not-an-email&quot; is not an email address"))
            #expect(html.contains("did you mean Europe/Berlin?"))
            #expect(html.contains("id=\"e-cadenceDays\""))
            #expect(html.contains("value=\"Dana &lt;Kim&gt;\"") && html.contains(">keep this text</textarea>") && html.contains(">not-an-email</textarea>"))
            #expect(try await h.store.people.list(PersonFilter(), as: h.account).isEmpty)
        }
    }

    @Test("edit, archive, do-not-contact and merge work from the person page")
    func personActions() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.com")] }
        let dup = try await h.add("D. Kim") { $0.emails = [ContactPoint(value: "dk@home.example")] }
        try await h.test { client in
            var response = try await submit(client, "/people/\(dana.id)", [("name", "Dana Kim"), ("email", "dana@acme.com"), ("title", "COO"), ("stage", "customer"), ("warmth", "5")], from: "/people/\(dana.id)/edit")
            #expect(response.status == .seeOther)
            #expect(try await h.store.people.get(dana.id, as: h.account).details.title == "COO")

            response = try await submit(client, "/people/\(dana.id)/dnc", [("reason", "")], from: "/people/\(dana.id)")
            #expect(response.status == .unprocessableContent && response.text.contains("id=\"reason-error\""))
            response = try await submit(client, "/people/\(dana.id)/dnc", [("reason", "asked us to stop")], from: "/people/\(dana.id)")
            #expect(response.status == .seeOther)
            #expect(try await h.store.people.get(dana.id, as: h.account).doNotContact?.reason == "asked us to stop")

            response = try await submit(client, "/people/\(dana.id)/archive", [("archived", "1")], from: "/people/\(dana.id)")
            #expect(try await h.store.people.get(dana.id, as: h.account).archived)

            response = try await submit(client, "/people/\(dup.id)/merge", [("into", "nobody-here")], from: "/people/\(dup.id)")
            #expect(response.status == .unprocessableContent && response.text.contains("no person matches"))
            response = try await submit(client, "/people/\(dup.id)/merge", [("into", "dana@acme.com")], from: "/people/\(dup.id)")
            #expect(response.status == .seeOther)
            #expect(try await h.store.people.get(dana.id, as: h.account).details.emails.count == 2)
            #expect(try await client.execute(uri: "/people/\(dup.id)", method: .get).status == .notFound)
        }
    }

    @Test("the list filters by persona, tag and stage, and searches")
    func listFilters() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.personas.add(PersonaDetails(name: "Ops Lead"), as: h.account)
        _ = try await h.add("Ann Ops") { $0.personas = ["Ops Lead"]; $0.notes = "exports are slow" }
        _ = try await h.add("Ben Analyst") { $0.tags = ["beta"]; $0.stage = .prospect }
        try await h.test { client in
            let byPersona = try await client.execute(uri: "/people?persona=Ops+Lead", method: .get).text
            #expect(byPersona.contains("Ann Ops") && !byPersona.contains("Ben Analyst"))
            let byTag = try await client.execute(uri: "/people?tag=beta&stage=prospect", method: .get).text
            #expect(byTag.contains("Ben Analyst") && !byTag.contains("Ann Ops"))
            let search = try await client.execute(uri: "/people?q=export", method: .get).text
            #expect(search.contains("Ann Ops") && search.contains("matched in notes") && !search.contains("Ben Analyst"))
            let unknown = try await client.execute(uri: "/people?persona=Nobody", method: .get).text
            #expect(unknown.contains("no persona &quot;Nobody&quot;"))
        }
    }

    @Test("personas: list with counts, add with errors kept, and a persona page that suggests whom to ask")
    func personaPages() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            var response = try await submit(client, "/personas", [("name", ""), ("description", "kept")], from: "/personas")
            #expect(response.status == .unprocessableContent && response.text.contains("a persona needs a name") && response.text.contains(">kept</textarea>"))
            response = try await submit(client, "/personas", [("name", "Ops Lead"), ("pains", "Exports")], from: "/personas")
            #expect(response.status == .seeOther)
            _ = try await h.add("Ann Ops") { $0.personas = ["Ops Lead"]; $0.warmth = 5; $0.timeZone = "Europe/Berlin" }
            let list = try await client.execute(uri: "/personas", method: .get).text
            #expect(list.contains("Ops Lead") && list.contains("<td>1</td>"))
            let page = try await client.execute(uri: "/personas/1", method: .get).text
            #expect(page.contains("Who should I ask?") && page.contains("Ann Ops") && page.contains("warmth 5/5") && page.contains("Exports"))
            #expect(try await client.execute(uri: "/personas/99", method: .get).status == .notFound)
        }
    }

    @Test("only loopback addresses may serve, and only loopback Host names are answered")
    func loopbackOnly() throws {
        #expect(throws: RapportError.self) { try WebConfiguration(host: "0.0.0.0").checkPrivate() }
        #expect(throws: RapportError.self) { try WebConfiguration(host: "192.168.1.5").checkPrivate() }
        try WebConfiguration(host: "127.0.0.1").checkPrivate()
        try WebConfiguration(host: "localhost").checkPrivate()
        #expect(CSRFMiddleware.hostName("127.0.0.1:8080") == "127.0.0.1")
        #expect(CSRFMiddleware.hostName("[::1]:8080") == "::1")
        #expect(CSRFMiddleware.hostName("evil.example:8080") == "evil.example")
    }
}
