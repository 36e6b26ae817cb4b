import Foundation
import HTTPTypes
import HummingbirdTesting
import RapportCore
import RapportStore
import Testing

/// For each editable aggregate: a field set in one interface is still there after each other interface edits
/// another field, because each interface sends a patch of what it shows, never the whole record.
@Suite("No field lost between interfaces")
struct PatchesTests {
    @Test("a person: hours set by the CLI survive the edit form saved as drawn, a form without them, and the API; notes set by the API survive the CLI")
    func person() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "Dana Kim", "--email", "dana@acme.com", "--tz", "Europe/Berlin").code == 0)
            #expect(await c.cli("people", "edit", "dana", "--hours", "08:00-16:00").code == 0)
            try await c.web { client in
                // The edit form, saved as drawn with nothing changed but the title (case 6 of the issue).
                let edit = try await client.execute(uri: "/people/1/edit", method: .get)
                #expect(edit.text.contains("value=\"08:00-16:00\""))
                let drawn = try formFields(in: edit.text, action: "/people/1")
                let saved = try await client.submit("/people/1", setting(drawn, "title", "COO"), from: "/people/1/edit")
                #expect(saved.status == .seeOther, "\(saved.text)")
                // A form that shows only some fields changes only those.
                _ = try await client.submit("/people/1", [("city", "Hamburg")], from: "/people/1/edit")
                let patched = try await client.send("/api/v1/people/1", .patch, #"{"notes": "Exports take an hour"}"#)
                #expect(patched.status == .ok, "\(patched.text)")
            }
            #expect(await c.cli("people", "edit", "dana", "--warmth", "5").code == 0)
            let dana = try await c.store.people.get(PersonID(1), as: c.account).details
            #expect(dana.hours?.description == "08:00-16:00")
            #expect(dana.title == "COO" && dana.city == "Hamburg" && dana.notes == "Exports take an hour" && dana.warmth == 5)
            #expect(dana.emails.map(\.value) == ["dana@acme.com"] && dana.timeZone == "Europe/Berlin")
        }
    }

    @Test("the person form sets, changes and clears business hours, and refuses bad ones by the field, keeping what was typed")
    func personHours() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "Lee Park", "--tz", "America/New_York").code == 0)
            try await c.web { client in
                for (typed, stored) in [("07:30-15:30", "07:30-15:30"), ("", nil)] as [(String, String?)] {
                    let drawn = try formFields(in: try await client.execute(uri: "/people/1/edit", method: .get).text, action: "/people/1")
                    let saved = try await client.submit("/people/1", setting(drawn, "hours", typed), from: "/people/1/edit")
                    #expect(saved.status == .seeOther)
                    #expect(try await c.store.people.get(PersonID(1), as: c.account).details.hours?.description == stored)
                }
                let bad = try await client.submit("/people/1", [("hours", "16:00-08:00")], from: "/people/1/edit")
                #expect(bad.status == .unprocessableContent && bad.text.contains("ends before it starts") && bad.text.contains("value=\"16:00-08:00\""))
            }
        }
    }

    @Test("a conversation: the objective set by the API survives the edit form and the CLI; the form keeps guide answers")
    func conversation() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "Dana Kim", "--tz", "Europe/Berlin").code == 0)
            #expect(await c.cli("log", "call", "dana", "--when", "yesterday 10:00", "--note", "Exports").code == 0)
            try await c.web { client in
                #expect(try await client.send("/api/v1/conversations/1", .patch, #"{"objective": "How are exports used?"}"#).status == .ok)
                let drawn = try formFields(in: try await client.execute(uri: "/conversations/1/edit", method: .get).text, action: "/conversations/1")
                let saved = try await client.submit("/conversations/1", setting(drawn, "notes", "Exports take an hour"), from: "/conversations/1/edit")
                #expect(saved.status == .seeOther, "\(saved.text)")
            }
            #expect(await c.cli("conversations", "edit", "1", "--duration", "25").code == 0)
            let d = try await c.store.conversations.get(ConversationID(1), as: c.account).details
            #expect(d.objective == "How are exports used?" && d.notes == "Exports take an hour" && d.durationMinutes == 25)
        }
    }

    @Test("a campaign: the product set by the API survives a CLI edit and pausing on its page")
    func campaign() async throws {
        try await Circle.with { c in
            #expect(await c.cli("campaigns", "add", "Q4", "--ask", "a short call", "--subject", "Hi {{first_name}}", "--body", "Hello").code == 0)
            try await c.web { client in
                let response = try await client.send("/api/v1/campaigns/Q4", .patch, #"{"product": "Acme Ops"}"#)
                #expect(response.status == .ok, "\(response.text)")
            }
            #expect(await c.cli("campaigns", "edit", "Q4", "--weekly", "40").code == 0)
            try await c.web { client in
                let page = try await client.execute(uri: "/campaigns/1", method: .get).text
                let paused = try await client.submit("/campaigns/1/state", try formFields(in: page, action: "/campaigns/1/state"), from: "/campaigns/1")
                #expect(paused.status == .seeOther)
            }
            let q4 = try await c.store.campaigns.get("Q4", as: c.account)
            #expect(q4.details.product == "Acme Ops" && q4.details.weekly == 40 && q4.state == .paused)
        }
    }

    @Test("a goal: what it serves, set by the CLI, survives an API edit and archiving on the goals page")
    func goal() async throws {
        try await Circle.with { c in
            #expect(await c.cli("goals", "add", "Hear from 12", "--metric", "people", "--target", "12", "--from", "2026-10-01", "--to", "2026-12-31").code == 0)
            #expect(await c.cli("goals", "edit", "1", "--serves", "Faster onboarding").code == 0)
            try await c.web { client in
                #expect(try await client.send("/api/v1/goals/1", .patch, #"{"target": 15}"#).status == .ok)
                let page = try await client.execute(uri: "/goals", method: .get).text
                let archived = try await client.submit("/goals/1/archive", try formFields(in: page, action: "/goals/1/archive"), from: "/goals")
                #expect(archived.status == .seeOther)
            }
            let goal = try await c.store.goals.get(GoalID(1), as: c.account)
            #expect(goal.details.serves == "Faster onboarding" && goal.details.target == 15 && goal.archived)
        }
    }

    @Test("a guide: personas set by the API survive reordering on its page and a CLI edit of the objective")
    func guide() async throws {
        try await Circle.with { c in
            #expect(await c.cli("personas", "add", "Ops Lead").code == 0)
            #expect(await c.cli("guides", "add", "Onboarding", "--objective", "Learn the first week", "--question", "1", "--question", "2").code == 0)
            try await c.web { client in
                #expect(try await client.send("/api/v1/guides/Onboarding", .patch, #"{"personas": ["Ops Lead"]}"#).status == .ok)
                let page = try await client.execute(uri: "/guides/1", method: .get).text
                // The first question's "Down" button: its form's fields and the button's own name and value.
                let down = try formFields(in: page, action: "/guides/1/questions", where: "value=\"down\"") + [("action", "down")]
                let moved = try await client.submit("/guides/1/questions", down, from: "/guides/1")
                #expect(moved.status == .seeOther)
            }
            #expect(await c.cli("guides", "edit", "Onboarding", "--objective", "Learn the first month").code == 0)
            let guide = try await c.store.guides.get("Onboarding", as: c.account)
            #expect(guide.details.personas == ["Ops Lead"] && guide.details.objective == "Learn the first month")
            #expect(guide.details.questions == [QuestionID(2), QuestionID(1)])
        }
    }

    @Test("a request: the problem set by the API survives scoring in the CLI and a status change on its page")
    func request() async throws {
        try await Circle.with { c in
            #expect(await c.cli("requests", "add", "Scheduled exports").code == 0)
            try await c.web { client in
                let response = try await client.send("/api/v1/requests/1", .patch, #"{"problem": "Mondays start with a manual export"}"#)
                #expect(response.status == .ok, "\(response.text)")
            }
            #expect(await c.cli("requests", "score", "1", "--impact", "4").code == 0)
            try await c.web { client in
                let page = try await client.execute(uri: "/requests/1", method: .get).text
                let fields = setting(try formFields(in: page, action: "/requests/1", where: "value=\"status\""), "status", "planned")
                #expect(try await client.submit("/requests/1", fields, from: "/requests/1").status == .seeOther)
            }
            let r = try await c.store.requests.get(FeatureRequestID(1), as: c.account)
            #expect(r.details.problem == "Mondays start with a manual export" && r.details.impact == 4 && r.status == .planned)
        }
    }

    @Test("a hypothesis: the area set by the API survives a status set in the CLI and on its page")
    func hypothesis() async throws {
        try await Circle.with { c in
            #expect(await c.cli("hypotheses", "add", "Ops Leads lose an hour to exports").code == 0)
            try await c.web { client in
                let response = try await client.send("/api/v1/hypotheses/1", .patch, #"{"area": "exports"}"#)
                #expect(response.status == .ok, "\(response.text)")
            }
            #expect(await c.cli("hypotheses", "status", "1", "testing").code == 0)
            try await c.web { client in
                let page = try await client.execute(uri: "/hypotheses/1", method: .get).text
                let fields = setting(try formFields(in: page, action: "/hypotheses/1", where: "value=\"status\""), "status", "validated")
                #expect(try await client.submit("/hypotheses/1", fields, from: "/hypotheses/1").status == .seeOther)
            }
            let h = try await c.store.hypotheses.get(HypothesisID(1), as: c.account)
            #expect(h.details.area == "exports" && h.details.text == "Ops Leads lose an hour to exports" && h.status == .validated)
        }
    }

    @Test("an edit form saved later writes only what the user changed there: edits made meanwhile, line breaks, a tag with a comma and a multi-line field stay")
    func staleForm() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "Dana Kim", "--tz", "Europe/Berlin", "--note", "Line one\nLine two", "--tag", "A, B",
                                "--field", "multi=a\nb").code == 0)
            try await c.web { client in
                let drawn = try formFields(in: try await client.execute(uri: "/people/1/edit", method: .get).text, action: "/people/1")
                // Meanwhile, in the terminal:
                #expect(await c.cli("people", "edit", "1", "--hours", "06:00-14:00", "--city", "Paris").code == 0)
                // The browser sends textareas with CRLF line breaks.
                let sent = setting(drawn, "title", "COO").map { ($0.0, $0.1.replacingOccurrences(of: "\n", with: "\r\n")) }
                let saved = try await client.submit("/people/1", sent, from: "/people/1/edit")
                #expect(saved.status == .seeOther, "\(saved.text)")
            }
            let dana = try await c.store.people.get(PersonID(1), as: c.account).details
            #expect(dana.title == "COO" && dana.hours?.description == "06:00-14:00" && dana.city == "Paris")
            #expect(dana.notes == "Line one\nLine two" && dana.tags == ["A, B"] && dana.fields["multi"] == "a\nb")
        }
    }

    @Test("the conversation edit form keeps the time to the second when the time was not changed")
    func conversationTime() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "Dana Kim").code == 0)
            try await c.web { client in
                let logged = try await client.send("/api/v1/conversations", .post, #"{"kind": "call", "people": [1], "at": "2026-11-20T14:42:56Z"}"#)
                #expect(logged.status == .created, "\(logged.text)")
                let drawn = try formFields(in: try await client.execute(uri: "/conversations/1/edit", method: .get).text, action: "/conversations/1")
                let saved = try await client.submit("/conversations/1", setting(drawn, "objective", "Exports"), from: "/conversations/1/edit")
                #expect(saved.status == .seeOther, "\(saved.text)")
            }
            let d = try await c.store.conversations.get(ConversationID(1), as: c.account).details
            #expect(d.objective == "Exports" && d.at == Date(timeIntervalSince1970: 1_795_185_776))
        }
    }
}
