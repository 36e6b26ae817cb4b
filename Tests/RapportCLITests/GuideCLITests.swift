import Foundation
import RapportCLI
import RapportCore
import Testing

@Suite("CLI: questions, lint and guides")
struct GuideCLITests {
    @Test("questions: starters listed, add warns through the lint, lint exits 1 when flagged and 0 when clean")
    func questions() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        let list = await t.run("questions", "list", "--tag", "starter")
        #expect(list.out.contains("What sold you on {{product}}?") && list.out.contains("8 questions"))
        let added = await t.run("questions", "add", "Do you export reports every week?", "--tag", "exports")
        #expect(added.code == 0 && added.out.contains("closed (\"Do you\")") && added.out.contains("consider: How do you export reports every week?"))
        let flagged = await t.run("questions", "lint", "Wouldn't you agree the export is slow?")
        #expect(flagged.code == 1)
        #expect(flagged.out.contains("leading (\"Wouldn't you agree\")"))
        let clean = await t.run("questions", "lint", "How do you decide which report to run first?")
        #expect(clean.code == 0 && clean.out.contains("Looks open"))
        let bank = try await t.run("questions", "lint", "--json").object()
        #expect(bank["checked"] as? Int == 9 && bank["flagged"] as? Int == 1)
        await t.run("settings", "set", "lint.jargon", "synergy, SKU")
        let jargon = try await t.run("questions", "lint", "Which SKUs matter?", "--json").object()
        let flags = try #require((jargon["results"] as? [[String: Any]])?.first?["flags"] as? [[String: Any]])
        #expect(flags.map { $0["rule"] as? String } == ["jargon"])
        #expect(flags.first?["trigger"] as? String == "SKUs")

        let file = t.folder.appendingPathComponent("guide.md")
        try "# Discovery\n\n1. How do you plan your week?\n2. Is exporting slow?\n- Just a note\n".write(to: file, atomically: true, encoding: .utf8)
        let fromFile = await t.run("questions", "lint", "--file", file.path)
        #expect(fromFile.code == 1 && fromFile.out.contains("line 4: Is exporting slow?") && fromFile.out.contains("1 of 2 questions flagged"))

        let edited = await t.run("questions", "edit", "9", "--text", "How do you export reports?", "--add-tag", "weekly")
        #expect(edited.code == 0 && edited.out.contains("[exports, weekly]"))
        let bad = await t.run("questions", "edit", "9", "--text", "What is {{rol}}?")
        #expect(bad.code == 1 && bad.err.contains("did you mean {{role}}?"))
        await t.run("questions", "retire", "9")
        #expect(!(await t.run("questions", "list").out.contains("How do you export reports?")))
        #expect(await t.run("questions", "list", "--all").out.contains("(retired)"))
    }

    @Test("guides: add, reorder, show --for fills placeholders and opens with the objective, export is printable")
    func guides() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "product", "Acme Analytics")
        await t.run("people", "add", "Dana Kim", "--title", "Head of Operations", "--company", "Acme")
        await t.run("people", "add", "Lee Park")
        await t.run("log", "video", "dana", "--when", "2026-11-20 10:00", "--objective", "How exports are used")
        let added = await t.run("guides", "add", "Onboarding", "--objective", "Find what slows the first report",
                                "--question", "5", "--question", "8", "--question", "Which report do you run first on a Monday?")
        #expect(added.code == 0, "\(added.err)")
        let moved = try await t.run("guides", "edit", "onboarding", "--move", "3", "--to", "1", "--json").object()
        #expect((moved["questions"] as? [[String: Any]])?.map { $0["id"] as? Int } == [9, 5, 8])
        let shown = await t.run("guides", "show", "Onboarding", "--for", "dana")
        #expect(shown.out.contains("Objective: Find what slows the first report"))
        #expect(shown.out.contains("small talk"))
        #expect(shown.out.contains("Last conversation: 2026-11-20 video (3 days ago): How exports are used"))
        #expect(shown.out.contains("2. What sold you on Acme Analytics?"))
        #expect(shown.out.contains("3. What is the hardest part about being a Head of Operations?"))
        let lee = await t.run("guides", "show", "Onboarding", "--for", "lee")
        #expect(lee.out.contains("about being in your role?") && !lee.out.contains("{{"))
        #expect(lee.out.contains("none yet: this is your first conversation with Lee"))
        let markdown = await t.run("guides", "export", "Onboarding", "--format", "markdown", "--for", "dana")
        #expect(markdown.out.contains("# Onboarding") && markdown.out.contains("## 2. What sold you on Acme Analytics?") && markdown.out.contains("Notes:\n\n___"))
        let wrong = await t.run("guides", "edit", "Onboarding", "--move", "4", "--to", "1")
        #expect(wrong.code == 1 && wrong.err.contains("positions run from 1 to 3"))
        let typo = await t.run("guides", "show", "Onbording")
        #expect(typo.code == 1 && typo.err.contains("did you mean \"Onboarding\"?"))
        #expect(await t.run("guides", "list").out.contains("Onboarding · 3 questions"))
    }

    @Test("log --guide --answer stores the answers; conversations show prints them under each question; bad answers store nothing")
    func answers() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("people", "add", "Lee Park")
        await t.run("guides", "add", "Roles", "--objective", "Learn their day", "--question", "1", "--question", "8")
        let stray = await t.run("log", "call", "lee", "--guide", "Roles", "--answer", "3=Too many")
        #expect(stray.code == 1 && stray.err.contains("answer 3: the guide \"Roles\" has 2 questions; number answers 1 to 2"))
        let shape = await t.run("log", "call", "lee", "--guide", "Roles", "--answer", "first=Too many")
        #expect(shape.code == 1 && shape.err.contains("is not N=TEXT"))
        let noGuide = await t.run("log", "call", "lee", "--answer", "1=x")
        #expect(noGuide.code != 0 && noGuide.err.contains("--guide"))
        let none = try await t.run("conversations", "list", "--json").json() as? [Any]
        #expect(none?.isEmpty == true)

        let logged = try await t.run("log", "call", "lee", "--guide", "Roles", "--answer", "1=Product analyst",
                                     "--answer", "2=Getting numbers out of three tools before Monday's meeting", "--json").object()
        let answers = try #require(logged["answers"] as? [[String: Any]])
        #expect(answers.map { $0["question"] as? String } == ["What is your job title?", "What is the hardest part about being in your role?"])
        #expect((logged["guide"] as? [String: Any])?["name"] as? String == "Roles")
        let shown = await t.run("conversations", "show", "1")
        #expect(shown.out.contains("Guide: Roles\n  1. What is your job title?\n     Product analyst\n  2. What is the hardest part about being in your role?\n     Getting numbers out"))
        let changed = await t.run("conversations", "answer", "1", "--guide", "Roles", "--answer", "1=Senior product analyst")
        #expect(changed.code == 0 && changed.out.contains("Saved 2 answers") && changed.out.contains("Senior product analyst"))
        let usage = try #require(try await t.run("questions", "list", "--json").json() as? [[String: Any]])
        #expect((usage.first?["usage"] as? [String: Any])?["asked"] as? Int == 1)
    }
}
