import Foundation
import RapportCLI
import RapportCore
import Testing

@Suite("CLI: reports")
struct ReportCLITests {
    @Test("report: last week by default, a named week or month, a range, each format, to a file; bad input names the field")
    func report() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "UTC")
        #expect(await t.run("demo").code == 0)
        let week = await t.run("report", "--week")
        #expect(week.code == 0 && week.out.hasPrefix("# Customer learning: Week 2026-W47 (Mon 16 Nov 2026 to Sun 22 Nov 2026)"))
        #expect(week.out.contains("**Anonymised**") && week.out.contains("## In their words"))
        #expect(await t.run("report").out == week.out, "last week is the default")
        let named = try await t.run("report", "--week", "2026-W46", "--json").object()
        #expect((named["period"] as? [String: Any])?["label"] as? String == "Week 2026-W46 (Mon 9 Nov 2026 to Sun 15 Nov 2026)")
        #expect(named["named"] as? Bool == false)
        let month = try await t.run("report", "--month", "--format", "json").object()
        #expect((month["title"] as? String) == "Customer learning: October 2026")
        let range = try await t.run("report", "--since", "2026-11-01", "--until", "2026-11-15", "--json").object()
        #expect((range["period"] as? [String: Any])?["label"] as? String == "Sun 1 Nov 2026 to Sun 15 Nov 2026")
        let out = t.folder.appendingPathComponent("week.html").path
        let wrote = await t.run("report", "--format", "html", "--out", out)
        #expect(wrote.out.contains("(html, anonymised) to \(out)"))
        #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("<!DOCTYPE html>"))
        let slack = try await t.run("report", "--format", "slack").object()
        #expect((slack["blocks"] as? [Any])?.isEmpty == false)
        #expect(await t.run("report", "--format", "slides").out.contains("class=\"slide\""))
        #expect(await t.run("report", "--names").out.contains("**Names included**"))
        let ops = await t.run("report", "--persona", "ops lead", "--theme", "slow exports")
        #expect(ops.code == 0 && ops.out.contains("Filtered to Persona: Ops Lead; Theme: Slow exports."))

        let bad = await t.run("report", "--week", "2026-W99")
        #expect(bad.code == 1 && bad.err.contains("week"))
        let format = await t.run("report", "--format", "pdf")
        #expect(format.code == 1 && format.err.contains("format") && format.err.contains("markdown, html, slack, slides, json"))
        let persona = await t.run("report", "--persona", "Ops Leed")
        #expect(persona.code == 1 && persona.err.contains("persona") && persona.err.contains("Ops Lead"))
        #expect(await t.run("report", "--week", "--month").code != 0)
        let backwards = await t.run("report", "--since", "2026-11-10", "--until", "2026-11-01")
        #expect(backwards.code == 1 && backwards.err.contains("until"))
    }

    @Test("--post needs a webhook in settings, keeps it secret, and says when Slack cannot be reached")
    func post() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "UTC")
        await t.run("people", "add", "Dana Kim")
        let none = await t.run("report", "--format", "slack", "--post")
        #expect(none.code == 1 && none.err.contains("slack.webhook") && none.err.contains("rapport settings set slack.webhook URL"))
        let notURL = await t.run("settings", "set", "slack.webhook", "hooks.slack.com/x")
        #expect(notURL.code == 1 && notURL.err.contains("slack.webhook") && notURL.err.contains("https://hooks.slack.com/services/"))
        let set = await t.run("settings", "set", "slack.webhook", "http://127.0.0.1:9/services/T000/B000/SECRETPART")
        #expect(set.code == 0 && !set.out.contains("SECRETPART"))
        #expect(!(await t.run("settings", "show").out.contains("SECRETPART")))
        #expect(!(await t.run("settings", "show", "--json").out.contains("SECRETPART")))
        let unreachable = await t.run("report", "--post")
        #expect(unreachable.code == 1 && unreachable.err.contains("could not reach 127.0.0.1") && !unreachable.err.contains("SECRETPART"))
        let wrongFormat = await t.run("report", "--format", "html", "--post")
        #expect(wrongFormat.code == 1 && wrongFormat.err.contains("--format slack"))
    }
}
