import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

@Suite("Web and API: question bank, lint and guides")
struct GuideWebTests {
    @Test("the bank page lints a question on a plain form post, adds it, and shows usage and flags")
    func bankPage() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let page = try await client.execute(uri: "/questions", method: .get).text
            #expect(page.contains("What sold you on {{product}}?") && page.contains("/assets/guides.js"))
            #expect(page.contains("list your jargon in") && !page.contains("your jargon ()"))
            let checked = try await submit(client, "/questions/lint", [("text", "Do you export <reports>?"), ("tags", "")], from: "/questions")
            #expect(checked.status == .ok)
            #expect(checked.text.contains("closed") && checked.text.contains("Consider: How do you export reports?"))
            #expect(checked.text.contains("Do you export &lt;reports&gt;?</textarea>"))
            let clean = try await submit(client, "/questions/lint", [("text", "How do you plan your week?")], from: "/questions")
            #expect(clean.text.contains("Looks open"))
            let added = try await submit(client, "/questions", [("text", "Wouldn't you agree exports are slow?"), ("tags", "exports, Ops")], from: "/questions")
            #expect(added.status == .seeOther)
            let bank = try await h.store.questions.list(QuestionFilter(tag: "ops"), as: h.account)
            #expect(bank.map(\.text) == ["Wouldn't you agree exports are slow?"])
            let listed = try await client.execute(uri: "/questions?tag=exports", method: .get).text
            #expect(listed.contains("leading") && !listed.contains("What sold you on"))
            let bad = try await submit(client, "/questions", [("text", "What is {{rol}}?"), ("tags", "")], from: "/questions")
            #expect(bad.status == .unprocessableContent && bad.text.contains("did you mean {{role}}?"))
            let twice = try await submit(client, "/questions", [("text", "wouldn't you agree exports are slow?")], from: "/questions")
            #expect(twice.status == .unprocessableContent && twice.text.contains("already in the bank"))
            let id = try #require(bank.first?.id)
            let retired = try await submit(client, "/questions/\(id)/retire", [], from: "/questions")
            #expect(retired.status == .seeOther)
            #expect(try await h.store.questions.get(id, as: h.account).retired)
        }
    }

    @Test("the guide editor creates a guide, adds questions, moves them up and down and previews for a person")
    func editor() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim") { $0.title = "Ops Lead"; $0.company = "Acme" }
        try await h.test { client in
            let missing = try await submit(client, "/guides", [("name", "Onboarding"), ("objective", "")], from: "/guides")
            #expect(missing.status == .unprocessableContent && missing.text.contains("objective"))
            let created = try await submit(client, "/guides", [("name", "Onboarding"), ("objective", "Learn the first week")], from: "/guides")
            let location = try #require(created.headers[.location])
            for question in ["5", "8"] {
                _ = try await submit(client, location + "/questions", [("action", "add"), ("question", question)], from: location)
            }
            _ = try await submit(client, location + "/questions", [("action", "add"), ("question", ""), ("text", "Which report do you run first?")], from: location)
            var guide = try await h.store.guides.get("Onboarding", as: h.account)
            #expect(guide.questions.map(\.id.rawValue) == [5, 8, 9])
            _ = try await submit(client, location + "/questions", [("action", "up"), ("position", "3")], from: location)
            _ = try await submit(client, location + "/questions", [("action", "down"), ("position", "1")], from: location)
            guide = try await h.store.guides.get("Onboarding", as: h.account)
            #expect(guide.questions.map(\.id.rawValue) == [9, 5, 8])
            let beyond = try await submit(client, location + "/questions", [("action", "down"), ("position", "3")], from: location)
            #expect(beyond.status == .unprocessableContent)
            _ = try await submit(client, location + "/questions", [("action", "remove"), ("position", "2")], from: location)
            #expect(try await h.store.guides.get("Onboarding", as: h.account).questions.map(\.id.rawValue) == [9, 8])
            let preview = try await client.execute(uri: location + "?for=\(dana.id)", method: .get).text
            #expect(preview.contains("What is the hardest part about being an Ops Lead?"))
            #expect(preview.contains("/log?guide=\(guide.id)&amp;person=\(dana.id)"))
            let markdown = try await client.execute(uri: location + "/guide.md?for=\(dana.id)", method: .get)
            #expect(markdown.headers[.contentType]?.hasPrefix("text/markdown") == true)
            #expect(markdown.text.contains("## 2. What is the hardest part about being an Ops Lead?"))
        }
    }

    @Test("running a guide on the log form stores the answers, shown on the conversation page; editing keeps them")
    func runOnLogForm() async throws {
        let h = try await WebHarness.make()
        let lee = try await h.add("Lee Park")
        let guide = try await h.store.guides.add(GuideDetails(name: "Roles", objective: "Learn their day", questions: [QuestionID(1), QuestionID(8)]), as: h.account)
        try await h.test { client in
            let form = try await client.execute(uri: "/log?guide=\(guide.id)&person=\(lee.id)", method: .get).text
            #expect(form.contains("1. What is your job title?") && form.contains("2. What is the hardest part about being in your role?"))
            #expect(form.contains("name=\"answer.2\"") && form.contains("value=\"Learn their day\""))
            let run = try await submit(client, "/log", [("kind", "call"), ("people", "Lee Park (#\(lee.id))"), ("guide", "\(guide.id)"), ("run", "1")], from: "/log")
            #expect(run.status == .ok && run.text.contains("name=\"ranGuide\" value=\"\(guide.id)\""))
            #expect(try await h.store.conversations.list(ConversationFilter(), as: h.account).isEmpty)
            let saved = try await submit(client, "/log", [
                ("kind", "call"), ("people", "Lee Park (#\(lee.id))"), ("guide", "\(guide.id)"), ("ranGuide", "\(guide.id)"),
                ("answer.1", "Analyst <b>lead</b>"), ("answer.2", "Three tools before Monday"),
            ], from: "/log")
            let location = try #require(saved.headers[.location])
            let page = try await client.execute(uri: location, method: .get).text
            #expect(page.contains("Guide: Roles"))
            #expect(page.contains("<dt>1. What is your job title?</dt><dd>Analyst &lt;b&gt;lead&lt;/b&gt;</dd>"))
            let id = try #require(Int64(location.split(separator: "/").last ?? ""))
            _ = try await submit(client, location, [("kind", "video"), ("people", "Lee Park (#\(lee.id))")], from: location + "/edit")
            let edited = try await h.store.conversations.get(ConversationID(id), as: h.account)
            #expect(edited.details.kind == .video && edited.details.answers.count == 2)
            let stray = try await submit(client, "/log", [("kind", "call"), ("people", "Lee Park (#\(lee.id))"), ("ranGuide", "\(guide.id)"), ("answer.5", "x")], from: "/log")
            #expect(stray.status == .unprocessableContent && stray.text.contains("number answers 1 to 2"))
        }
    }

    @Test("the answers page saves as you go: one answer per autosave request, JSON back, others kept")
    func autosave() async throws {
        let h = try await WebHarness.make()
        let lee = try await h.add("Lee Park")
        let guide = try await h.store.guides.add(GuideDetails(name: "Roles", objective: "Learn their day", questions: [QuestionID(1), QuestionID(8)]), as: h.account)
        var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-600))
        d.people = [lee.id]
        _ = try await h.store.conversations.log(d, as: h.account)
        let conversation = try await h.store.conversations.log(d, as: h.account).conversation
        #expect(conversation.id.rawValue != guide.id.rawValue)
        try await h.test { client in
            let uri = "/conversations/\(conversation.id)/answers"
            let page = try await client.execute(uri: uri, method: .get).text
            #expect(page.contains("data-autosave") && page.contains("2. What is the hardest part about being in your role?"))
            #expect(page.contains("action=\"\(uri)\" class=\"card guide-run\""))
            let csrf = try #require(try await client.execute(uri: uri, method: .get).csrf)
            func autosave(_ fields: [(String, String)]) async throws -> TestResponse {
                try await client.execute(uri: uri, method: .post,
                                         headers: [.cookie: csrf.cookie, .contentType: "application/x-www-form-urlencoded",
                                                   HTTPField.Name("X-Rapport-Autosave")!: "1"],
                                         body: formBody([("_csrf", csrf.token), ("guide", "\(guide.id)")] + fields))
            }
            #expect(try await autosave([("answer.1", "Analyst")]).status == .ok)
            let second = try await autosave([("answer.2", "Three tools")])
            #expect(try second.json()["saved"] as? Int == 2)
            let stray = try await autosave([("answer.9", "x")])
            #expect(stray.status == .unprocessableContent && stray.headers[.contentType] == "application/problem+json")
            let stored = try await h.store.conversations.get(conversation.id, as: h.account)
            #expect(stored.details.answers.map(\.answer) == ["Analyst", "Three tools"])
            #expect(stored.guide?.name == "Roles")
            let noToken = try await client.execute(uri: uri, method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
                                                   body: formBody([("guide", "\(guide.id)"), ("answer.1", "forged")]))
            #expect(noToken.status == .forbidden)
        }
    }

    @Test("API: questions, lint, guides, a sheet, and answers on create and by PUT")
    func api() async throws {
        let h = try await WebHarness.make()
        let dana = try await h.add("Dana Kim") { $0.title = "Head of Ops" }
        _ = try await h.store.settings.set("lint.jargon", to: "synergy", as: h.account)
        try await h.test { client in
            func post(_ uri: String, _ body: String, method: HTTPRequest.Method = .post) async throws -> TestResponse {
                try await client.execute(uri: uri, method: method, headers: jsonHeaders, body: ByteBuffer(string: body))
            }
            let lint = try await post("/api/v1/questions/lint", #"{"text": "Don't you think our synergy helps?"}"#).json()
            let rules = try #require(lint["flags"] as? [[String: Any]]).compactMap { $0["rule"] as? String }
            #expect(rules == ["closed", "leading", "jargon"] && lint["clean"] as? Bool == false)
            let open = try await post("/api/v1/questions/lint", #"{"text": "How do you decide which report to run first?"}"#).json()
            #expect(open["clean"] as? Bool == true)
            let empty = try await post("/api/v1/questions/lint", #"{"text": 3}"#)
            #expect(empty.status == .unprocessableContent)
            let created = try await post("/api/v1/questions", #"{"text": "Will you renew?", "tags": ["renewal"]}"#)
            #expect(created.status == .created)
            let question = try created.json()
            #expect((question["lint"] as? [[String: Any]])?.count == 2)
            let qid = try #require(question["id"] as? Int)
            let patched = try await post("/api/v1/questions/\(qid)", #"{"text": "When did you last renew a tool?", "retired": true}"#, method: .patch).json()
            #expect(patched["retired"] as? Bool == true && (patched["lint"] as? [Any])?.isEmpty == true)
            let listed = try await client.execute(uri: "/api/v1/questions?tag=starter", method: .get).json()
            #expect(listed["count"] as? Int == 8)

            let guide = try await post("/api/v1/guides", #"{"name": "Discovery", "objective": "Find the pains", "questions": [1, 8]}"#)
            #expect(guide.status == .created)
            let unknown = try await post("/api/v1/guides", #"{"name": "X", "objective": "y", "questoins": [1]}"#)
            #expect(unknown.status == .unprocessableContent && unknown.text.contains("did you mean \\\"questions\\\"?"))
            let sheet = try await client.execute(uri: "/api/v1/guides/Discovery/sheet?for=\(dana.id)", method: .get).json()
            #expect((sheet["questions"] as? [[String: Any]])?.last?["text"] as? String == "What is the hardest part about being a Head of Ops?")
            let md = try await client.execute(uri: "/api/v1/guides/1/sheet?format=markdown", method: .get)
            #expect(md.text.hasPrefix("# Discovery"))

            let logged = try await post("/api/v1/conversations", #"{"kind": "call", "people": [\#(dana.id)], "guide": "Discovery", "answers": [{"position": 2, "answer": "Month-end close"}]}"#)
            #expect(logged.status == .created)
            let conversation = try logged.json()
            #expect((conversation["answers"] as? [[String: Any]])?.first?["question"] as? String == "What is the hardest part about being a Head of Ops?")
            let cid = try #require(conversation["id"] as? Int)
            let put = try await post("/api/v1/conversations/\(cid)/answers", #"{"guide": 1, "answers": [{"position": 1, "answer": "Controller"}]}"#, method: .put).json()
            #expect((put["answers"] as? [[String: Any]])?.compactMap { $0["answer"] as? String } == ["Controller", "Month-end close"])
            let bad = try await post("/api/v1/conversations/\(cid)/answers", #"{"guide": 1, "answers": [{"position": "one"}]}"#, method: .put)
            #expect(bad.status == .unprocessableContent && bad.text.contains("answers[0]"))
            let orphan = try await post("/api/v1/conversations", #"{"kind": "call", "people": [\#(dana.id)], "answers": [{"position": 1, "answer": "x"}]}"#)
            #expect(orphan.status == .unprocessableContent && orphan.text.contains("guide"))
            #expect(try await client.execute(uri: "/api/v1/guides/Discovery", method: .delete).status == .noContent)
        }
    }
}
