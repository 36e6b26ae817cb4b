import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

@Suite("JSON API under /api/v1")
struct APITests {
    @Test("POST creates a person with every JSON key, says what it inferred, and GET returns it")
    func createAndGet() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.personas.add(PersonaDetails(name: "Ops Lead"), as: h.account)
        try await h.test { client in
            let body = #"{"name":"Dana Kim","emails":["dana@acme.com",{"value":"d@home.example","label":"home"}],"city":"Munich","personas":["Ops Lead"],"warmth":4,"fields":{"plan":"Team"}}"#
            let created = try await client.execute(uri: "/api/v1/people", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            #expect(created.status == .created)
            #expect(created.headers[.location] == "/api/v1/people/1")
            #expect(created.headers[HTTPField.Name("Rapport-Notice")!] == "time zone Europe/Berlin inferred from the city Munich")
            let person = try created.json()
            let keys = ["id", "name", "emails", "phones", "company", "title", "since", "previousCompanies", "city", "country",
                        "timeZone", "stage", "source", "warmth", "offTheRecord", "advocate", "doNotContact", "cadenceDays",
                        "personas", "tags", "notes", "links", "fields", "archived", "createdAt", "updatedAt"]
            for key in keys { #expect(person.keys.contains(key), "missing \(key)") }
            #expect(person["doNotContact"] is NSNull && person["company"] is NSNull)
            #expect(person["createdAt"] as? String == "2026-11-23T09:00:00Z")
            #expect((person["emails"] as? [[String: String]])?.last == ["value": "d@home.example", "label": "home"])
            let fetched = try await client.execute(uri: "/api/v1/people/1", method: .get)
            #expect(try fetched.json()["name"] as? String == "Dana Kim")
            let list = try await client.execute(uri: "/api/v1/people?q=dana&persona=ops%20lead", method: .get)
            #expect(try list.json()["count"] as? Int == 1)
            let notAdvocate = try await client.execute(uri: "/api/v1/people?q=dana&advocate=true", method: .get)
            #expect(try notAdvocate.json()["count"] as? Int == 0)
        }
    }

    /// Found by schemathesis: lengths the document states are counted as sent, in Unicode scalars (JSON Schema's
    /// maxLength), and text the document requires is not blank.
    @Test("a theme name longer than 60 as sent is refused, even when trimming would shorten it; a blank question to lint is refused")
    func lengthsAsSent() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim")
        var heard = FeedbackDetails(text: "Exports are slow", person: dana.id, kind: .pain)
        heard.themes = ["slow exports"]
        _ = try await h.store.feedback.add(heard, as: h.account)
        try await h.test { client in
            let renamed = try await client.execute(uri: "/api/v1/themes/slow%20exports", method: .patch, headers: jsonHeaders,
                                                   body: ByteBuffer(string: #"{"name":"\f\u00fe"# + String(repeating: "*", count: 59) + #""}"#))
            #expect(renamed.status == .unprocessableContent)
            let fits = try await client.execute(uri: "/api/v1/themes/slow%20exports", method: .patch, headers: jsonHeaders,
                                                body: ByteBuffer(string: #"{"name":"exports that take an hour"}"#))
            #expect(fits.status == .ok)
            let blank = try await client.execute(uri: "/api/v1/questions/lint", method: .post, headers: jsonHeaders,
                                                 body: ByteBuffer(string: #"{"text":"   "}"#))
            #expect(blank.status == .unprocessableContent)
        }
    }

    @Test("bad input is a problem+json naming the field, and nothing is stored")
    func problems() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            func post(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/people", method: .post, headers: jsonHeaders, body: ByteBuffer(string: body))
            }
            var response = try await post(#"{"name":"Dana","emails":["nope"],"timeZone":"Europe/Berlim"}"#)
            #expect(response.status == .unprocessableContent)
            #expect(response.headers[.contentType] == "application/problem+json")
            let errors = try #require(try response.json()["errors"] as? [[String: String]])
            #expect(Set(errors.compactMap { $0["field"] }) == ["email", "timeZone"])
            response = try await post(#"{"name":"Dana","timezone":"Europe/Berlin"}"#)
            #expect(response.status == .unprocessableContent && response.text.contains("did you mean \\\"timeZone\\\"?"))
            // Valid JSON with a field of the wrong type is invalid input (422) naming the field, never "malformed".
            for (body, field, message) in [(#"{"name":"Dana","warmth":"five"}"#, "warmth", "must be a whole number"),
                                           (#"{"name":"Dana","warmth":1.5}"#, "warmth", "must be a whole number"),
                                           (#"{"name":"Dana","warmth":1e300}"#, "warmth", "must be a whole number"),
                                           (#"{"name":"Dana","advocate":1}"#, "advocate", "must be true or false"),
                                           (#"{"name":"Dana","emails":[{"label":"work"}]}"#, "emails[0].value", "is required"),
                                           (#"{"name":"Dana","fields":{"Plan":3}}"#, "fields.Plan", "must be a string")] {
                response = try await post(body)
                #expect(response.status == .unprocessableContent, "\(body)")
                let errors = try #require(try response.json()["errors"] as? [[String: String]], "\(body)")
                #expect(errors == [["field": field, "message": message]], "\(body)")
            }
            response = try await post(#"{"name":"Dana","stage":"vip"}"#)
            #expect(response.status == .unprocessableContent && response.text.contains("customer, prospect"))
            response = try await post("[1,2]")
            #expect(response.status == .badRequest)
            response = try await post(#"{"title":"no name"}"#)
            #expect(response.status == .unprocessableContent && response.text.contains("a name is required"))
            response = try await client.execute(uri: "/api/v1/people", method: .post, headers: [.contentType: "text/plain"], body: ByteBuffer(string: #"{"name":"x"}"#))
            #expect(response.status == .unsupportedMediaType)
            #expect(try await client.execute(uri: "/api/v1/people/42", method: .get).status == .notFound)
            #expect(try await client.execute(uri: "/api/v1/people?stage=vip", method: .get).status == .unprocessableContent)
            #expect(try await h.store.people.list(PersonFilter(), as: h.account).isEmpty)
        }
    }

    @Test("PATCH changes only the fields sent, archives and marks do-not-contact; a bad patch changes nothing")
    func patch() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim") { $0.company = "Acme"; $0.tags = ["beta"] }
        try await h.test { client in
            func patch(_ body: String) async throws -> TestResponse {
                try await client.execute(uri: "/api/v1/people/\(dana.id)", method: .patch, headers: jsonHeaders, body: ByteBuffer(string: body))
            }
            var response = try await patch(#"{"title":"COO","company":null,"archived":true,"doNotContact":{"reason":"on leave"}}"#)
            #expect(response.status == .ok)
            let json = try response.json()
            #expect(json["title"] as? String == "COO" && json["company"] is NSNull && json["archived"] as? Bool == true)
            #expect((json["doNotContact"] as? [String: Any])?["reason"] as? String == "on leave")
            #expect(json["tags"] as? [String] == ["beta"])
            let before = try await h.store.people.get(dana.id, as: h.account)
            response = try await patch(#"{"title":"CEO","warmth":7}"#)
            #expect(response.status == .unprocessableContent)
            response = try await patch(#"{"doNotContact":{"reason":""}}"#)
            #expect(response.status == .unprocessableContent)
            #expect(try await h.store.people.get(dana.id, as: h.account) == before)
            response = try await patch(#"{"doNotContact":null,"archived":false}"#)
            #expect(try response.json()["doNotContact"] is NSNull)
            #expect(try await client.execute(uri: "/api/v1/people/\(dana.id)", method: .delete).status == .noContent)
            #expect(try await client.execute(uri: "/api/v1/people/\(dana.id)", method: .get).status == .notFound)
        }
    }

    @Test("personas and pick are served as JSON")
    func personasAndPick() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            var response = try await client.execute(uri: "/api/v1/personas", method: .post, headers: jsonHeaders, body: ByteBuffer(string: #"{"name":"Ops Lead","pains":"Exports"}"#))
            #expect(response.status == .created)
            response = try await client.execute(uri: "/api/v1/personas", method: .post, headers: jsonHeaders, body: ByteBuffer(string: #"{"name":"ops lead"}"#))
            #expect(response.status == .conflict)
            _ = try await h.add("Ann") { $0.personas = ["Ops Lead"]; $0.warmth = 5 }
            _ = try await h.add("Ben") { $0.personas = ["Ops Lead"]; $0.warmth = 1 }
            let list = try await client.execute(uri: "/api/v1/personas", method: .get).json()
            #expect((list["personas"] as? [[String: Any]])?.first?["peopleCount"] as? Int == 2)
            let pick = try await client.execute(uri: "/api/v1/pick?persona=Ops%20Lead&n=1", method: .get).json()
            let suggestions = try #require(pick["suggestions"] as? [[String: Any]])
            #expect(suggestions.count == 1 && (suggestions[0]["person"] as? [String: Any])?["name"] as? String == "Ann")
            #expect(try await client.execute(uri: "/api/v1/pick?persona=Nobody", method: .get).status == .unprocessableContent)
        }
    }

    @Test("the OpenAPI document is served and describes every API route")
    func openAPI() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let response = try await client.execute(uri: "/api/v1/openapi.yaml", method: .get)
            #expect(response.status == .ok)
            let yaml = response.text
            #expect(yaml.hasPrefix("openapi: 3.1.0"))
            for (path, methods) in [("/people:", ["get:", "post:"]), ("/people/{id}:", ["get:", "patch:", "delete:"]),
                                    ("/personas:", ["get:", "post:"]), ("/personas/{id}:", ["get:"]), ("/pick:", ["get:"]), ("/reports:", ["get:"])] {
                let section = try #require(yaml.components(separatedBy: "\n  \(path)\n").dropFirst().first, "\(path)")
                let block = section.components(separatedBy: "\n  /").first ?? ""
                for method in methods { #expect(block.contains("    \(method)"), "\(path) \(method)") }
            }
        }
    }
}

@Suite("Strict JSON bodies (RFC 8259, I-JSON names and surrogates)")
struct JSONSyntaxTests {
    static func check(_ text: String) -> (any Error)? {
        do { try JSONSyntax.check(Data(text.utf8)); return nil } catch { return error }
    }

    @Test("every form of valid JSON passes: numbers, escapes, surrogate pairs, whitespace, 32 levels")
    func valid() {
        let nested = String(repeating: "[", count: JSONSyntax.maxDepth) + String(repeating: "]", count: JSONSyntax.maxDepth)
        for text in [#"{}"#, #"[]"#, " \t\r\n{ \"a\" : [ 1 , -0 , 0.5 , -12.5e+3 , 1E-7 , 1e300 ] } ", #"{"a":"\"\\\/\b\f\n\r\t\u00e9\uD83D\uDE00"}"#,
                     #"{"a":true,"b":false,"c":null,"d":{"a":1}}"#, "{\"é\":\"naïve ☃ 😀\"}", #""text""#, "5", nested] {
            #expect(Self.check(text) == nil, "\(text.prefix(40))")
        }
    }

    @Test("what Foundation forgives is refused, saying where; a name twice is refused naming it; time is linear")
    func invalid() throws {
        for text in [#"{"a":1,}"#, #"[1,]"#, #"{"a":01}"#, #"{"a":1.}"#, #"{"a":.5}"#, #"{"a":+1}"#, #"{"a":1e}"#, #"{"a":NaN}"#, #"{'a':1}"#,
                     #"{"a":"\x"}"#, #"{"a":"\u12"}"#, #"{"a":"\ud800"}"#, #"{"a":"\udc00\ud800"}"#, "{\"a\":\"tab\there\"}", #"{"a":1} x"#,
                     #"{"a":1 // c"#, "", "{", #"{"a""#, #"{"a":tru}"#, String(repeating: "[", count: JSONSyntax.maxDepth + 1) + String(repeating: "]", count: JSONSyntax.maxDepth + 1)] {
            #expect(Self.check(text) is MalformedJSON, "\(text.prefix(40))")
        }
        #expect(throws: MalformedJSON.self) { try JSONSyntax.check(Data([0x22, 0xFF, 0x22])) }
        let twice = try #require(Self.check(#"{"a":{"list":[{"x":1,"\u0078":2}]}}"#) as? RapportError)
        #expect(twice.fieldErrors.map(\.field) == ["a.list[0].x"])
        // A long name over many items costs its length once, not once per item.
        let long = "{\"" + String(repeating: "n", count: 400_000) + "\":[" + Array(repeating: "0", count: 200_000).joined(separator: ",") + "]}"
        #expect(Self.check(long) == nil)
    }
}
