import Foundation
import RapportCLI
import RapportCore
import Testing

@Suite("CLI: plan, attempt, funnel and campaigns")
struct OutreachCLITests {
    @Test("plan prints the sheet and --json the same; attempt logs outcomes; people show says the pause")
    func planAndAttempts() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("settings", "set", "timezone", "Europe/Berlin")
        await t.run("people", "add", "Dana Kim", "--company", "Acme", "--phone", "+81 3 1234 5678", "--tz", "Asia/Tokyo", "--hours", "08:00-16:00")
        await t.run("log", "call", "dana", "--when", "2026-10-01 10:00", "--objective", "Exports")
        let text = await t.run("plan", "--from", "08:00")
        #expect(text.code == 0, "\(text.err)")
        #expect(text.out.contains("Outside their hours (1)"))
        #expect(text.out.contains("Tokyo (Asia/Tokyo), 1 person: it is Mon 16:00-Tue 01:00 in Tokyo during your window (their hours are 08:00-16:00 on weekdays)"))
        #expect(text.out.contains("      #1 Dana Kim\n"))
        let early = try await t.run("plan", "--from", "07:00", "--to", "09:00", "--json").object()
        let calls = try #require(early["calls"] as? [[String: Any]])
        #expect(calls.first?["theirTime"] as? String == "15:00")
        #expect(calls.first?["lastTopic"] as? String == "Exports (Thu 1 Oct 2026)")
        let ics = await t.run("plan", "--from", "07:00", "--to", "09:00", "--format", "ics")
        #expect(ics.out.contains("DTSTART:20261123T060000Z"))
        let bad = await t.run("plan", "--from", "9am")
        #expect(bad.code == 1 && bad.err.contains("from: \"9am\" is not a time of day"))

        for when in ["2026-11-20 10:00", "2026-11-21 10:00", "2026-11-22 10:00"] {
            await t.run("attempt", "dana", "--outcome", "no-show", "--when", when)
        }
        let shown = await t.run("people", "show", "dana")
        #expect(shown.out.contains("Paused until") && shown.out.contains("Thu 21 Jan 2027"))
        let talked = await t.run("attempt", "dana", "--outcome", "talked", "--note", "Renewal is fine")
        #expect(talked.out.contains("Conversation #2 logged as a call"))
        let missing = await t.run("attempt", "dana", "--outcome", "rescheduled")
        #expect(missing.code == 1 && missing.err.contains("reschedule: is needed"))
        let funnel = try await t.run("funnel", "--target", "4", "--json").object()
        #expect((funnel["totals"] as? [String: Any])?["attempts"] as? Int == 4)
        #expect((funnel["target"] as? [String: Any])?["basis"] as? String == "rule-of-thumb")
    }

    @Test("campaigns: add refuses a bad placeholder, batch writes .eml files once per week, mark opts out")
    func campaigns() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("people", "add", "Zoë Müller", "--company", "Acme", "--email", "zoe@acme.example")
        await t.run("people", "add", "Sam Ode", "--company", "Globex", "--email", "sam@globex.example")
        let bad = await t.run("campaigns", "add", "Q4", "--ask", "a call", "--subject", "{{firstname}}", "--body", "Hi")
        #expect(bad.code == 1 && bad.err.contains("subject: {{firstname}} is not a placeholder"))
        let added = await t.run("campaigns", "add", "Q4", "--ask", "a call", "--subject", "{{first_name}}, 20 Minuten für {{product}}?",
                                "--body", "Hi {{first_name}},\ncould we have {{ask}}?", "--product", "Acme Ops", "--weekly", "25")
        #expect(added.code == 0, "\(added.err)")
        let noSender = await t.run("campaigns", "batch", "Q4", "--out", t.folder.appendingPathComponent("mail").path)
        #expect(noSender.code == 1 && noSender.err.contains("sender.email"))
        #expect(try await t.run("campaigns", "show", "Q4", "--json").object()["recipients"] as? [Any] != nil)
        await t.run("settings", "set", "sender.email", "pat@example.com")
        let out = t.folder.appendingPathComponent("mail")
        let batch = await t.run("campaigns", "batch", "Q4", "--out", out.path)
        #expect(batch.code == 0, "\(batch.err)")
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path).sorted()
        #expect(files.count == 2 && (files.contains("001-sam-ode.eml") || files.contains("001-zoe-muller.eml")))
        let again = await t.run("campaigns", "batch", "Q4")
        #expect(again.out.contains("made before; the same people"))
        let mark = await t.run("campaigns", "mark", "Q4", "sam", "--status", "opted-out")
        #expect(mark.out.contains("now do-not-contact (opted out of Q4)"))
        let all = await t.run("campaigns", "mark", "Q4", "--all", "--status", "sent")
        #expect(all.out.contains("Zoë Müller: sent"))
        let csv = await t.run("campaigns", "batch", "Q4", "--format", "csv")
        #expect(csv.out.hasPrefix("email,name,first_name,company,subject,body"))
    }
}
