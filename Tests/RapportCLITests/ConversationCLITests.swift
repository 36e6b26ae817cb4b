import Foundation
import RapportCLI
import RapportCore
import Testing

@Suite("CLI: log, conversations, timeline, search, due, follow-ups and settings")
struct ConversationCLITests {
    @Test("log in one line prints the conversation; --json gives the object with its follow-ups")
    func log() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "Europe/Berlin")
        await t.run("people", "add", "Dana Kim", "--company", "Acme", "--email", "dana@acme.com")
        await t.run("people", "add", "Lee Park")
        let text = await t.run("log", "call", "dana", "lee", "--when", "yesterday 16:00", "--duration", "30", "--objective", "Exports",
                               "--met", "partly", "--note", "Exports take an hour", "--follow-up", "Send spec", "--due", "friday")
        #expect(text.code == 0, "\(text.err)")
        #expect(text.out.contains("Logged conversation #1."))
        #expect(text.out.contains("Call with Dana Kim, Lee Park (Acme)"))
        #expect(text.out.contains("2026-11-22 16:00 (yesterday)"))
        #expect(text.out.contains("Follow-up #1 [open] Send spec, due Fri 27 Nov 2026 (in 4 days)"))
        let json = try await t.run("log", "secondhand", "dana@acme.com", "--via", "Sam (sales)", "--note", "Wants SSO", "--when", "2026-11-20 10:00", "--json").object()
        #expect(json["kind"] as? String == "secondhand")
        #expect(json["via"] as? String == "Sam (sales)")
        #expect(json["at"] as? String == "2026-11-20T09:00:00Z")
        #expect((json["followUps"] as? [Any])?.isEmpty == true)
        #expect((json["people"] as? [[String: Any]])?.first?["name"] as? String == "Dana Kim")
    }

    @Test("bad input exits 1 with every field named and stores nothing")
    func refused() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("people", "add", "Dana Kim")
        let bad = await t.run("log", "secondhand", "dana", "nobody-at-all", "--when", "someday", "--due", "blursday", "--follow-up", "x")
        #expect(bad.code == 1)
        #expect(bad.err.contains("when: \"someday\" is not a date I can read"))
        #expect(bad.err.contains("due: \"blursday\""))
        let people = await t.run("log", "call", "nobody-at-all")
        #expect(people.code == 1 && people.err.contains("people: no person matches \"nobody-at-all\""))
        let rules = await t.run("log", "secondhand", "dana", "--duration", "0")
        #expect(rules.err.contains("via: say who reported") && rules.err.contains("duration: give the length"))
        let kind = await t.run("log", "telegram", "dana")
        #expect(kind.code != 0 && kind.err.contains("telegram"))
        let dueFirst = await t.run("log", "call", "dana", "--due", "friday")
        #expect(dueFirst.code != 0 && dueFirst.err.contains("each --due belongs to a --follow-up"))
        #expect(await t.run("conversations", "list").out.contains("No conversations match."))
    }

    @Test("--note-file and --edit take the notes from a file and from the editor")
    func notesFromFileAndEditor() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("people", "add", "Dana Kim")
        try FileManager.default.createDirectory(at: t.folder, withIntermediateDirectories: true)
        let file = t.folder.appendingPathComponent("notes.md")
        try "# From a file\n\nThey export weekly.".write(to: file, atomically: true, encoding: .utf8)
        let fromFile = try await t.run("log", "visit", "dana", "--note-file", file.path, "--json").object()
        #expect(fromFile["notes"] as? String == "# From a file\n\nThey export weekly.")
        let edited = try await t.run("log", "call", "dana", "--edit", "--json", environment: ["EDITOR": "printf 'Typed in the editor' >>"]).object()
        #expect(edited["notes"] as? String == "Typed in the editor")
        let failing = await t.run("log", "call", "dana", "--edit", environment: ["EDITOR": "false"])
        #expect(failing.code == 1 && failing.err.contains("nothing was saved"))
        #expect(await t.run("conversations", "list", "--json").out.components(separatedBy: "\"kind\"").count == 3)
        let missing = await t.run("log", "call", "dana", "--note-file", "/nonexistent/notes.md")
        #expect(missing.code == 1 && missing.err.contains("note-file"))
    }

    @Test("conversations list, show, edit and delete (which asks for --yes and keeps the person)")
    func conversations() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "UTC")
        await t.run("people", "add", "Dana Kim", "--company", "Acme")
        await t.run("people", "add", "Lee Park", "--company", "Globex")
        await t.run("log", "call", "dana", "--when", "3 days ago")
        await t.run("log", "email", "lee", "--when", "yesterday", "--objective", "Pricing")
        let list = await t.run("conversations", "list")
        #expect(list.out.contains("#2  2026-11-22 12:00  email      Email with Lee Park (Globex) · Pricing"))
        #expect(list.out.contains("2 conversations."))
        #expect(await t.run("conversations", "list", "--company", "acme", "--json").out.contains("\"Dana Kim\""))
        #expect(!(await t.run("conversations", "list", "--since", "2 days ago").out.contains("Dana")))
        #expect(await t.run("conversations", "list", "--kind", "email", "--person", "lee").out.contains("1 conversation."))
        let edited = try await t.run("conversations", "edit", "1", "--add-person", "lee", "--objective", "Exports", "--met", "yes", "--append-note", "More", "--json").object()
        #expect((edited["people"] as? [[String: Any]])?.count == 2)
        #expect(edited["objective"] as? String == "Exports" && edited["notes"] as? String == "More")
        #expect(await t.run("conversations", "show", "1").out.contains("Objective: Exports (met: yes)"))
        let noYes = await t.run("conversations", "delete", "1")
        #expect(noYes.code == 1 && noYes.err.contains("add --yes"))
        #expect(await t.run("conversations", "delete", "1", "--yes").out.contains("Deleted conversation #1"))
        #expect(await t.run("people", "show", "dana").code == 0)
        let gone = await t.run("conversations", "show", "1")
        #expect(gone.code == 1 && gone.err.contains("no conversation #1"))
    }

    @Test("timeline of a person and of a company; search covers people and conversation notes")
    func timelineAndSearch() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "UTC")
        await t.run("people", "add", "Dana Kim", "--company", "Acme", "--note", "Prefers email")
        await t.run("log", "call", "dana", "--when", "10 days ago", "--note", "Exports take an hour")
        await t.run("followups", "add", "Send the export spec", "--person", "dana", "--due", "friday")
        let timeline = await t.run("timeline", "dana")
        #expect(timeline.out.contains("last contact 2026-11-13 (10 days ago) · 1 conversation · every 30 days (stage default) · next due 2026-12-13 (due in 20 days)"))
        let lines = timeline.out.split(separator: "\n")
        #expect(lines.firstIndex { $0.contains("Send the export spec") }! < lines.firstIndex { $0.contains("Call with Dana Kim") }!)
        #expect(await t.run("timeline", "--company", "acme").out.contains("Call with Dana Kim"))
        #expect(await t.run("timeline").code != 0)
        let search = await t.run("search", "export")
        #expect(search.out.contains("Conversations"))
        #expect(search.out.contains("matched in notes"))
        #expect(search.out.contains("Exports take an hour"))
        let json = try await t.run("search", "email", "--json").object()
        #expect((json["people"] as? [Any])?.count == 1 && (json["conversations"] as? [Any])?.isEmpty == true)
    }

    @Test("due lists overdue people and follow-ups; snooze and settings change it")
    func due() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "UTC")
        await t.run("people", "add", "Ada", "--warmth", "2")
        await t.run("people", "add", "Ben", "--warmth", "5")
        await t.run("people", "add", "Cy", "--stage", "prospect")
        await t.run("log", "call", "Ada", "Ben", "--when", "40 days ago")
        await t.run("log", "call", "Cy", "--when", "25 days ago", "--follow-up", "Send pricing", "--due", "2 days ago")
        let due = await t.run("due")
        #expect(due.code == 0)
        let order = ["#2 Ben", "#1 Ada", "#3 Cy"].map { name in due.out.range(of: name)?.lowerBound }
        #expect(order.allSatisfy { $0 != nil })
        #expect(order[0]! < order[1]! && order[1]! < order[2]!)
        #expect(due.out.contains("10 days overdue"))
        #expect(due.out.contains("#1 Cy: Send pricing  (2 days late)"))
        let snooze = await t.run("people", "snooze", "ada", "--until", "in 2 weeks")
        #expect(snooze.out.contains("until Mon 7 Dec 2026"))
        #expect(await t.run("people", "snooze", "ada", "--until", "yesterday").code == 1)
        await t.run("settings", "set", "cadence.customer", "45")
        let after = try await t.run("due", "--within", "10", "--json").object()
        #expect((after["overdue"] as? [[String: Any]])?.count == 1)
        #expect(after["snoozed"] as? Int == 1)
        #expect(((after["upcoming"] as? [[String: Any]])?.first?["person"] as? [String: Any])?["name"] as? String == "Ben")
        let show = await t.run("people", "show", "ben", "--json")
        #expect(try show.object()["cadence"] as? [String: Any] != nil)
        // Pages: the count is everyone, the list one page, and the next page is named.
        await t.run("settings", "set", "cadence.customer", "30")
        let first = await t.run("due", "--limit", "1")
        #expect(first.out.contains("Overdue (2, 1 to 1 shown)") && first.out.contains("#2 Ben") && !first.out.contains("#3 Cy"))
        #expect(first.out.contains("More: rapport due --offset 1 --limit 1"))
        let second = try await t.run("due", "--limit", "1", "--offset", "1", "--json").object()
        #expect(second["overdueCount"] as? Int == 2 && second["offset"] as? Int == 1)
        #expect(((second["overdue"] as? [[String: Any]])?.first?["person"] as? [String: Any])?["name"] as? String == "Cy")
        let wrong = await t.run("due", "--limit", "0")
        #expect(wrong.code == 1 && wrong.err.contains("limit"))
        let far = await t.run("due", "--offset", "9223372036854775807")
        #expect(far.code == 1 && far.err.contains("offset"))
        let within = await t.run("due", "--limit", "1", "--within", "30")
        #expect(within.out.contains("More: rapport due --offset 1 --limit 1 --within 30"))
    }

    @Test("follow-ups: add, list, done, snooze")
    func followUps() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "UTC")
        await t.run("people", "add", "Dana Kim")
        let added = await t.run("followups", "add", "Send spec", "--person", "dana", "--due", "tomorrow 15:00")
        #expect(added.out.contains("Follow-up #1 [open] Send spec, due Tue 24 Nov 2026 15:00 (tomorrow)"))
        await t.run("followups", "add", "Undated", "--person", "dana")
        #expect(await t.run("followups", "list").out.contains("Undated"))
        let snoozed = await t.run("followups", "snooze", "1", "--until", "monday")
        #expect(snoozed.out.contains("Mon 30 Nov 2026") && snoozed.out.contains("snoozed 1×"))
        #expect(await t.run("followups", "done", "1").out.contains("Done: follow-up #1"))
        #expect(!(await t.run("followups", "list").out.contains("Send spec")))
        #expect(await t.run("followups", "list", "--done").out.contains("Send spec"))
        #expect(await t.run("followups", "add", "x", "--person", "nobody").code == 1)
        let missing = await t.run("followups", "done", "99")
        #expect(missing.code == 1 && missing.err.contains("no follow-up #99"))
    }

    @Test("settings show lists defaults; set checks the value and the key")
    func settings() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        // Columns are padded to the longest key; compare with runs of spaces collapsed.
        func squeezed(_ text: String) -> String { text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ") }
        let show = await t.run("settings", "show")
        #expect(squeezed(show.out).contains("cadence.customer 30 (default)"))
        #expect(squeezed(show.out).contains("cadence.other none (default)"))
        #expect(squeezed(show.out).contains("no-show.pause-days 60 (default)"))
        #expect(await t.run("settings", "set", "cadence.customer", "45").out == "cadence.customer = 45\n")
        #expect(squeezed(await t.run("settings", "show").out).contains("cadence.customer 45 "))
        let bad = await t.run("settings", "set", "cadence.customer", "monthly")
        #expect(bad.code == 1 && bad.err.contains("cadence.customer: \"monthly\" is not a number of days"))
        let typo = await t.run("settings", "set", "cadance.customer", "45")
        #expect(typo.code == 1 && typo.err.contains("did you mean \"cadence.customer\""))
        #expect(await t.run("settings", "reset", "cadence.customer").out.contains("30 (default)"))
        let rows = try #require(try await t.run("settings", "show", "--json").json() as? [[String: Any]])
        #expect(rows.contains { $0["key"] as? String == "timezone" })
    }
}
