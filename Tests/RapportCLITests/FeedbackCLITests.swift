import Foundation
import RapportCLI
import RapportCore
import Testing

@Suite("CLI: feedback, themes, requests and hypotheses")
struct FeedbackCLITests {
    @Test("log --feedback adds feedback in the same command; a bad kind stores nothing; feedback list filters; search finds it")
    func feedback() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("personas", "add", "Ops Lead")
        await t.run("people", "add", "Dana Kim", "--company", "Acme", "--persona", "Ops Lead")
        let bad = await t.run("log", "call", "dana", "--feedback", "pian: slow")
        #expect(bad.code == 1 && bad.err.contains("did you mean pain?"))
        let none = try await t.run("conversations", "list", "--json").json() as? [Any]
        #expect(none?.isEmpty == true)
        let logged = try await t.run("log", "call", "dana", "--feedback", "pain: exports take an hour", "--json").object()
        let feedback = try #require(logged["feedback"] as? [[String: Any]])
        #expect(feedback.first?["kind"] as? String == "pain" && feedback.first?["conversation"] as? Int == logged["id"] as? Int)
        let added = await t.run("feedback", "add", "Love the filters", "--from", "dana", "--kind", "praise", "--quote", "--theme", "Filters", "--severity", "1")
        #expect(added.code == 0 && added.out.contains("“Love the filters”"))
        let wrong = await t.run("feedback", "add", "x", "--from", "dana", "--kind", "pain", "--severity", "8")
        #expect(wrong.code == 1 && wrong.err.contains("severity: 8 is out of range"))
        let quotes = try #require(try await t.run("feedback", "list", "--quotes", "--persona", "ops lead", "--json").json() as? [[String: Any]])
        #expect(quotes.map { $0["text"] as? String } == ["Love the filters"])
        #expect(try await t.run("search", "filters", "--json").object()["feedback"] as? [Any] != nil)
        let shown = await t.run("conversations", "show", "1")
        #expect(shown.out.contains("[pain] exports take an hour"))
    }

    @Test("themes list says why a theme rises; merge keeps the feedback; requests show the priority's parts; notify writes once")
    func themesAndRequests() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("people", "add", "Dana Kim", "--company", "Acme", "--email", "dana@acme.example")
        await t.run("people", "add", "Lee Park", "--company", "Globex")
        for (who, when) in [("dana", "2 days ago"), ("lee", "3 days ago"), ("dana", "10 days ago")] {
            await t.run("log", "call", who, "--when", when, "--feedback", "pain: exports are slow")
        }
        for id in ["1", "2", "3"] { await t.run("feedback", "edit", id, "--add-theme", id == "3" ? "export speed" : "Exports") }
        let listed = await t.run("themes", "list")
        #expect(listed.out.contains("Exports: 2 mentions, 2 people, 2 companies"))
        #expect(listed.out.contains("2 in the last 4 weeks against 0 in the 4 before (+2, new)"))
        let merged = await t.run("themes", "merge", "export speed", "--into", "exports")
        #expect(merged.out.contains("Merged \"export speed\" into \"Exports\": 3 mentions, 2 people"))
        let typo = await t.run("themes", "show", "Exprots")
        #expect(typo.code == 1 && typo.err.contains("did you mean \"Exports\"?"))

        await t.run("requests", "add", "Faster exports")
        let linked = await t.run("requests", "link", "1", "1", "2", "3")
        #expect(linked.out.contains("evidence: 3 mentions, 2 people (2 direct, 0 second-hand, 0 quoted), 2 companies"))
        let scored = try await t.run("requests", "score", "1", "--impact", "4", "--effort", "2", "--json").object()
        #expect((scored["priority"] as? [String: Any])?["explanation"] as? String == "4.0 = evidence 2.0 × impact 4 ÷ effort 2")
        #expect(scored["distinctPeople"] as? Int == 2 && scored["distinctCompanies"] as? Int == 2)
        let early = await t.run("requests", "notify", "1", "--out", t.folder.appendingPathComponent("out").path)
        #expect(early.code == 1 && early.err.contains("once it has shipped"))
        await t.run("requests", "status", "1", "shipped")
        await t.run("settings", "set", "sender.email", "pat@example.com")
        let out = t.folder.appendingPathComponent("out").path
        let sent = await t.run("requests", "notify", "1", "--out", out)
        #expect(sent.out.contains("Wrote 1 email") && sent.out.contains("Skipped Lee Park (no email)"))
        let mail = try String(contentsOfFile: out + "/" + (try FileManager.default.contentsOfDirectory(atPath: out).first ?? ""), encoding: .utf8)
        #expect(mail.contains("Faster exports is here") && mail.contains("To: Dana Kim <dana@acme.example>"))
        #expect(await t.run("requests", "notify", "1", "--out", out).out.contains("Skipped Dana Kim (told before)"))
        #expect(await t.run("requests", "list").out.contains("#1 Faster exports [shipped] priority 4.0"))
    }

    @Test("hypotheses take feedback and conversations as evidence and say the next step")
    func hypotheses() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("personas", "add", "Ops Lead")
        for name in ["Dana Kim", "Lee Park"] { await t.run("people", "add", name, "--persona", "Ops Lead") }
        await t.run("log", "call", "dana", "--feedback", "pain: an hour every Monday")
        await t.run("hypotheses", "add", "Ops Leads lose an hour a week to exports", "--persona", "Ops Lead")
        let missing = await t.run("hypotheses", "evidence", "1", "f1")
        #expect(missing.code != 0 && missing.err.contains("--supports or --contradicts"))
        let h = try await t.run("hypotheses", "evidence", "1", "f1", "--supports", "--json").object()
        #expect((h["tally"] as? [String: Any]).flatMap { ($0["supports"] as? [String: Any])?["people"] as? Int } == 1)
        #expect(h["nextStep"] as? String == "1 of 1 Ops Leads support; talk to 4 more Ops Leads: pick suggests Lee Park.")
        let bad = await t.run("hypotheses", "evidence", "1", "x9", "--supports")
        #expect(bad.code == 1 && bad.err.contains("write f12 (feedback #12) or c7 (conversation #7)"))
        await t.run("hypotheses", "evidence", "1", "c1", "--contradicts", "--note", "said it is fine")
        let shown = await t.run("hypotheses", "show", "1")
        #expect(shown.out.contains("against Dana Kim: Call with Dana Kim [conversation #1] — said it is fine"))
        await t.run("hypotheses", "status", "1", "testing")
        #expect(await t.run("hypotheses", "list").out.contains("#1 [testing]"))
    }
}
