import Foundation
import RapportCLI
import RapportCore
import Testing

@Suite("CLI: goals and the streak")
struct GoalCLITests {
    @Test("goals add refuses an unSMART goal with every reason, shows progress, edits, archives; streak counts weeks")
    func goals() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "UTC")
        await t.run("people", "add", "Dana Kim")
        for when in ["2026-11-20 10:00", "2026-11-12 10:00", "2026-11-03 10:00"] { await t.run("log", "call", "dana", "--when", when) }
        let bad = await t.run("goals", "add", "Talk", "--metric", "conversations", "--target", "0", "--from", "2026-12-01", "--to", "2026-11-01")
        #expect(bad.code == 1 && bad.err.contains("target: 0 is not measurable") && bad.err.contains("is before the start"))
        let none = try await t.run("goals", "list", "--json").json() as? [Any]
        #expect(none?.isEmpty == true)
        let added = try await t.run("goals", "add", "Six calls in November", "--metric", "conversations", "--target", "6",
                                    "--from", "2026-11-01", "--to", "2026-11-30", "--json").object()
        let progress = try #require(added["progress"] as? [String: Any])
        // Day 23 of 30: a straight pace expects 6 × 23/30 = 4.6.
        #expect(progress["value"] as? Int == 3 && progress["state"] as? String == "behind")
        #expect((progress["summary"] as? String)?.hasPrefix("3 of 6 conversations (50%); expected 4.6 by today: behind by 1.6") == true)
        let shown = await t.run("goals", "show", "1")
        #expect(shown.out.contains("#1 Six calls in November") && shown.out.contains("days left"))
        let edited = await t.run("goals", "edit", "1", "--target", "3")
        #expect(edited.out.contains("[done]"))
        await t.run("goals", "archive", "1")
        #expect(await t.run("goals", "list").out.contains("No goals yet"))
        let streak = try await t.run("streak", "--json").object()
        #expect(streak["current"] as? Int == 3 && streak["thisWeekCount"] as? Int == 0)
        #expect(await t.run("streak", "--min", "2").out.contains("Streak: 0 weeks"))
    }
}
