import Foundation
import RapportCLI
import RapportCore
import Testing

/// 2026-11-23 (a Monday) 09:00 UTC.
let fixedNow = Date(timeIntervalSince1970: 1_795_392_000 + 9 * 3600)

/// Runs `rapport` in-process against one temporary database, like a user at a terminal.
struct Terminal {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-cli-\(UUID().uuidString)")
    var db: String { folder.appendingPathComponent("cli.sqlite").path }

    struct Result {
        let code: Int32
        let out: String
        let err: String

        func json() throws -> Any { try JSONSerialization.jsonObject(with: Data(out.utf8)) }
        func object() throws -> [String: Any] { try #require(try json() as? [String: Any]) }
    }

    @discardableResult
    func run(_ arguments: String..., environment: [String: String] = [:]) async -> Result {
        let output = Output(echo: false)
        var variables = ["HOME": folder.path, "RAPPORT_DB": db]
        variables.merge(environment) { _, new in new }
        let env = CLIEnvironment(output: output, variables: variables, now: { fixedNow })
        let code = await RapportCommand.run(arguments, in: env)
        return Result(code: code, out: output.standardOutput, err: output.standardError)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: folder) }
}

@Suite("CLI: people, personas and pick")
struct CLITests {
    @Test("people add stores every option and --json prints the person, with inferences on stderr")
    func add() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        #expect(await t.run("personas", "add", "Ops Lead").code == 0)
        let result = await t.run(
            "people", "add", "Dana Kim", "--email", "dana@acme.com", "--email", "home:dana@home.example", "--phone", "mobile:+49 30 1234567",
            "--company", "Acme", "--title", "Head of Ops", "--since", "2021-03", "--previous", "Globex", "--city", "Berlin",
            "--country", "de", "--stage", "prospect", "--source", "sales-intro", "--warmth", "4", "--off-record", "--advocate",
            "--cadence", "21", "--persona", "ops lead", "--tag", "beta", "--note", "Exports take an hour", "--link", "https://example.com/dana",
            "--field", "plan=Enterprise", "--json")
        #expect(result.code == 0, "\(result.err)")
        let p = try result.object()
        #expect(p["name"] as? String == "Dana Kim" && p["timeZone"] as? String == "Europe/Berlin" && p["country"] as? String == "DE")
        #expect(p["personas"] as? [String] == ["Ops Lead"] && p["offTheRecord"] as? Bool == true && p["cadenceDays"] as? Int == 21)
        #expect((p["phones"] as? [[String: String]])?.first == ["value": "+49 30 1234567", "label": "mobile"])
        #expect(p["fields"] as? [String: String] == ["plan": "Enterprise"] && p["source"] as? String == "sales-intro")
        #expect(result.err.contains("time zone Europe/Berlin inferred from the city Berlin"))
        let text = await t.run("people", "show", "dana@acme.com")
        #expect(text.out.contains("Dana Kim") && text.out.contains("Europe/Berlin") && text.out.contains("Exports take an hour"))
    }

    @Test("bad input exits non-zero, names each field on stderr, and stores nothing")
    func badInput() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("people", "add", "Dana Kim", "--email", "dana@acme.com")
        let result = await t.run("people", "add", "Dana Two", "--email", "dana@", "--tz", "Europe/Berlim", "--warmth", "9")
        #expect(result.code == 1 && result.out.isEmpty)
        #expect(result.err.contains("email: \"dana@\" is not an email address"))
        #expect(result.err.contains("timeZone: no time zone \"Europe/Berlim\"; did you mean Europe/Berlin?"))
        #expect(result.err.contains("warmth: 9 is out of range"))
        let duplicate = await t.run("people", "add", "Dana Again", "--email", "DANA@acme.com")
        #expect(duplicate.code == 1 && duplicate.err.contains("Dana Kim (#1, dana@acme.com) is already in your circle (same email)"))
        let unknownStage = await t.run("people", "add", "X", "--stage", "vip")
        #expect(unknownStage.code != 0 && unknownStage.err.contains("customer"))
        let badField = await t.run("people", "add", "X", "--field", "plan")
        #expect(badField.code != 0 && badField.err.contains("KEY=VALUE"))
        let list = try await t.run("people", "list", "--json").json() as? [[String: Any]]
        #expect(list?.map { $0["name"] as? String } == ["Dana Kim"])
    }

    @Test("an ambiguous name fails and lists the candidates; an id or email settles it")
    func ambiguous() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("people", "add", "Dana Kim", "--email", "dana@acme.com")
        await t.run("people", "add", "Dana Lee")
        let result = await t.run("people", "show", "dana")
        #expect(result.code == 1)
        #expect(result.err.contains("\"dana\" matches 2 people") && result.err.contains("#1 Dana Kim <dana@acme.com>") && result.err.contains("#2 Dana Lee"))
        #expect(await t.run("people", "show", "2").out.hasPrefix("Dana Lee"))
        #expect(await t.run("people", "show", "nobody").err.contains("no person matches \"nobody\""))
    }

    @Test("people edit sets, adds, removes and clears")
    func edit() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("personas", "add", "Ops Lead")
        await t.run("people", "add", "Dana Kim", "--email", "dana@acme.com", "--company", "Acme", "--tag", "beta", "--tag", "vip",
                    "--persona", "Ops Lead", "--cadence", "14", "--advocate")
        let result = await t.run("people", "edit", "Dana", "--name", "Dana K. Kim", "--email", "dk@home.example", "--remove-email", "dana@acme.com",
                                 "--company", "", "--remove-tag", "VIP", "--remove-persona", "ops lead", "--cadence", "0", "--no-advocate",
                                 "--append-note", "Second note", "--json")
        #expect(result.code == 0, "\(result.err)")
        let p = try result.object()
        #expect(p["name"] as? String == "Dana K. Kim")
        #expect((p["emails"] as? [[String: String]])?.map { $0["value"] } == ["dk@home.example"])
        #expect(p["company"] is NSNull && p["tags"] as? [String] == ["beta"] && p["personas"] as? [String] == [])
        #expect(p["cadenceDays"] is NSNull && p["advocate"] as? Bool == false && p["notes"] as? String == "Second note")
        let bad = await t.run("people", "edit", "1", "--since", "someday")
        #expect(bad.code == 1 && bad.err.contains("since:"))
        #expect(try await t.run("people", "show", "1", "--json").object()["name"] as? String == "Dana K. Kim")
    }

    @Test("list filters, search, archive, do-not-contact, merge and delete")
    func lifecycle() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("personas", "add", "Ops Lead")
        await t.run("people", "add", "Ann Ops", "--persona", "Ops Lead", "--company", "Acme", "--note", "Exports take an hour", "--advocate")
        await t.run("people", "add", "Ben Analyst", "--stage", "prospect", "--tag", "beta", "--email", "ben@globex.example")
        await t.run("people", "add", "B. Analyst", "--email", "ben@home.example", "--phone", "+44 20 7946 0000")
        #expect(await t.run("people", "list", "--persona", "ops lead").out.contains("Ann Ops"))
        #expect(try await t.run("people", "list", "--stage", "prospect", "--json").json() as? [[String: Any]] != nil)
        #expect(await t.run("people", "list", "--advocate").out.contains("1 person."))
        #expect(await t.run("people", "list", "--tag", "nope").out == "Nobody matches these filters.\n")
        let search = await t.run("people", "search", "export")
        #expect(search.out.contains("#1  Ann Ops (Acme)  matched in notes") && search.out.contains("Exports take an hour"))
        let hits = try await t.run("people", "search", "acme", "--json").json() as? [[String: Any]]
        #expect(hits?.first?["matchedIn"] as? [String] == ["company"])

        #expect(await t.run("people", "archive", "Ann").code == 0)
        #expect(!(await t.run("people", "list").out.contains("Ann Ops")))
        #expect(await t.run("people", "list", "--archived").out.contains("Ann Ops"))
        #expect(await t.run("people", "unarchive", "Ann").code == 0)

        #expect(await t.run("people", "dnc", "Ann").code != 0)
        #expect(await t.run("people", "dnc", "Ann", "--reason", "on leave").out.contains("is now do-not-contact: on leave"))
        #expect(try await t.run("people", "show", "Ann", "--json").object()["doNotContact"] as? [String: Any] != nil)
        #expect(await t.run("people", "dnc", "Ann", "--clear").out.contains("may be contacted again"))

        let merged = await t.run("people", "merge", "ben@home.example", "--into", "ben@globex.example", "--json")
        #expect(merged.code == 0, "\(merged.err)")
        let p = try merged.object()
        #expect((p["emails"] as? [[String: String]])?.count == 2 && (p["phones"] as? [[String: String]])?.count == 1)
        #expect(await t.run("people", "show", "B. Analyst").code == 1)

        let refused = await t.run("people", "delete", "Ben")
        #expect(refused.code == 1 && refused.err.contains("add --yes"))
        #expect(await t.run("people", "delete", "Ben", "--yes").code == 0)
        #expect(await t.run("people", "show", "Ben").code == 1)
    }

    @Test("personas list and show, and pick ranks with reasons")
    func personasAndPick() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        await t.run("personas", "add", "Ops Lead", "--description", "Runs operations", "--pains", "Exports")
        await t.run("people", "add", "Ann", "--persona", "Ops Lead", "--warmth", "5", "--tz", "Europe/Berlin", "--advocate")
        await t.run("people", "add", "Bea", "--persona", "Ops Lead", "--warmth", "2", "--tz", "Asia/Tokyo")
        await t.run("people", "add", "Cy", "--persona", "Ops Lead", "--warmth", "5")
        await t.run("people", "dnc", "Cy", "--reason", "asked us to stop")
        #expect(await t.run("personas", "list").out.contains("Ops Lead  3 people"))
        let shown = try await t.run("personas", "show", "ops lead", "--json").object()
        #expect((shown["persona"] as? [String: Any])?["pains"] as? String == "Exports" && (shown["people"] as? [Any])?.count == 3)
        let pick = await t.run("pick", "--persona", "Ops Lead", "-n", "2")
        #expect(pick.code == 0)
        #expect(pick.out.hasPrefix("1. Ann") && pick.out.contains("+40 warmth 5/5") && pick.out.contains("Mon 10:00 in Europe/Berlin: business hours now"))
        #expect(pick.out.contains("2. Bea") && pick.out.contains("Mon 18:00 in Asia/Tokyo: outside business hours"))
        #expect(pick.out.contains("Left out: Cy (do not contact: asked us to stop)"))
        let json = try await t.run("pick", "--persona", "Ops Lead", "--json").object()
        #expect((json["suggestions"] as? [[String: Any]])?.map { $0["score"] as? Int } == [75, -10])
        #expect(await t.run("pick", "--persona", "Ops Lad").err.contains("did you mean \"Ops Lead\"?"))
        #expect(await t.run("personas", "add", "ops lead").err.contains("already exists"))
    }

    @Test("serve refuses any address but loopback, and --database-url must be PostgreSQL")
    func refusals() async {
        let t = Terminal()
        defer { t.cleanUp() }
        let serve = await t.run("serve", "--host", "0.0.0.0")
        #expect(serve.code == 1 && serve.err.contains("only listens on 127.0.0.1 until login exists"))
        let url = await t.run("people", "list", "--database-url", "mysql://root:secret@db/x")
        #expect(url.code == 1 && url.err.contains("database-url") && !url.err.contains("secret"))
        let help = await t.run("people", "--help")
        #expect(help.code == 0 && help.out.contains("merge"), "out: \(help.out) err: \(help.err)")
    }

    @Test("demo fills an empty database and refuses one that has people")
    func demo() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        #expect(await t.run("demo").out.contains("60 people"))
        #expect(try await t.run("people", "list", "--json").json() as? [Any] != nil)
        let again = await t.run("demo")
        #expect(again.code == 1 && again.err.contains("already has people"))
    }

    @Test("the default database lives privately under XDG_DATA_HOME")
    func defaultLocation() async throws {
        let t = Terminal()
        defer { t.cleanUp() }
        let xdg = t.folder.appendingPathComponent("xdg").path
        #expect(await t.run("people", "add", "Dana", environment: ["RAPPORT_DB": "", "XDG_DATA_HOME": xdg]).code == 0)
        let file = xdg + "/rapport/rapport.sqlite"
        #expect(FileManager.default.fileExists(atPath: file))
        #expect((try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int) == 0o600)
        #expect(await t.run("people", "list", "--json").out.trimmingCharacters(in: .whitespacesAndNewlines) == "[\n\n]")
    }
}
