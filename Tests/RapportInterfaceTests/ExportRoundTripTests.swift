import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RapportCore
import RapportFormats
import RapportStore
import Testing

/// Everything taken out comes back: the JSON export of every table, vCard and CSV of people, through the store,
/// the CLI and the API, on SQLite and PostgreSQL.
@Suite("Export round trips")
struct ExportRoundTripTests {
    static let webhook = "https://hooks.slack.com/services/T0000/B0000/abcdefabcdefabcdef"

    /// The demo circle plus what it lacks, so every table of the export holds rows.
    static func fill(_ c: Circle) async throws {
        try await DemoCircle.fill(c.store, as: c.account)
        let people = try await c.store.people.all(as: c.account)
        var campaign = CampaignDetails(name: "Exports beta", ask: "20 minutes on the new exports",
                                       subject: "Exports, {{first_name}}?", body: "Hi {{first_name}},\n\nCould we talk about exports?")
        campaign.personas = ["Ops Lead"]
        _ = try await c.store.campaigns.add(campaign, as: c.account)
        _ = try await c.store.campaigns.batch("Exports beta", week: ISOWeek(year: 2026, week: 48), dryRun: false, as: c.account)
        _ = try await c.store.attempts.record(AttemptDetails(outcome: .noAnswer, at: fixedNow, note: "rang twice", campaign: "Exports beta"),
                                              person: people[1].id, zone: TimeZone(identifier: "UTC")!, as: c.account)
        _ = try await c.store.attempts.record(AttemptDetails(outcome: .wrongNumber, at: fixedNow, phone: people[4].details.phones.first?.value),
                                              person: people[4].id, zone: TimeZone(identifier: "UTC")!, as: c.account)
        var dnc = PersonPatch()
        dnc.doNotContact = .set("asked not to be called")
        _ = try await c.store.people.update(people[2].id, with: dnc, as: c.account)
        let request = try #require(try await c.store.requests.list(as: c.account).first)
        _ = try await c.store.requests.recordNotified(request.id, people: [people[3].id], as: c.account)
        _ = try await c.store.settings.set("slack.webhook", to: webhook, as: c.account)
        _ = try await c.store.settings.set("cadence.customer", to: "45", as: c.account)
    }

    static func text(_ document: ExportDocument) throws -> String { try ExportJSON.string(document) }

    @Test("a JSON export put into an empty circle exports the same again, every table; secrets only when asked",
          arguments: Backend.available)
    func jsonRoundTrip(_ backend: Backend) async throws {
        try await Circle.with(backend) { a in
            do { try await Self.fill(a) } catch { Issue.record("\(String(reflecting: error))"); throw error }
            let plain = try await a.store.exports.export(as: a.account)
            let full = try await a.store.exports.export(includeSecrets: true, as: a.account)
            let empty = full.tables.filter { $0.value.isEmpty }.map(\.key).sorted()
            #expect(empty.isEmpty, "tables with no rows, so not tested: \(empty)")
            #expect(try !Self.text(plain).contains(Self.webhook) && Self.text(full).contains(Self.webhook))
            #expect(plain.tables["settings"]?.contains { $0["key"] == .string("cadence.customer") } == true)
            try await Circle.with(backend) { b in
                let result: ExportImport
                do { result = try await b.store.exports.restore(full, merge: false, as: b.account) } catch {
                    Issue.record("\(String(reflecting: error))")
                    throw error
                }
                #expect(result.added["people"] == 60 && result.added["attempts"] == 2)
                let again = try await b.store.exports.export(includeSecrets: true, as: b.account)
                #expect(again.renumbered().tables == full.renumbered().tables)
                if backend == .sqlite {
                    // A new database has every id free, so rows keep theirs: the files are the same but for the date.
                    #expect(again.tables == full.tables)
                }
                // People, conversations and follow-ups read back through the repositories as they were.
                #expect(try await b.store.people.all(as: b.account).map(\.details) == a.store.people.all(as: a.account).map(\.details))
                let error = await #expect(throws: RapportError.self) { try await b.store.exports.restore(plain, merge: false, as: b.account) }
                #expect(error?.fieldErrors.first?.field == "merge")
                let merged = try await b.store.exports.restore(plain, merge: true, as: b.account)
                #expect(merged.added.values.reduce(0, +) == 0 && merged.matched["people"] == 60)
            }
        }
    }

    @Test("rapport export --format json, rapport import into a new database, export again: the same file")
    func jsonThroughTheCLI() async throws {
        try await Circle.with { a in
            try await Self.fill(a)
            let file = a.folder.appendingPathComponent("everything.json").path
            let out = await a.cli("export", "--format", "json", "--out", file)
            #expect(out.code == 0 && out.err.contains("Wrote \(file)"))
            let attributes = try FileManager.default.attributesOfItem(atPath: file)
            #expect((attributes[.posixPermissions] as? Int) == 0o600)
            let before = try String(contentsOfFile: file, encoding: .utf8)
            #expect(!before.contains(Self.webhook))
            try await Circle.with { b in
                let imported = await b.cli("import", file)
                #expect(imported.code == 0 && imported.out.contains("60 people"), "\(imported.out) \(imported.err)")
                let again = await b.cli("export", "--format", "json")
                func dropDate(_ text: String) -> String { text.split(separator: "\n").filter { !$0.contains("\"exportedAt\"") }.joined(separator: "\n") }
                #expect(dropDate(again.out) == dropDate(before))
                let twice = await b.cli("import", file)
                #expect(twice.code != 0 && twice.err.contains("--merge"))
                let dry = await b.cli("import", file, "--merge", "--dry-run")
                #expect(dry.code == 0 && dry.out.contains("Dry run") && dry.out.contains("Would import: nothing new"))
            }
        }
    }

    @Test("a person exported as vCard 4.0 or 3.0 and imported into a new circle comes back field by field", arguments: ["4.0", "3.0"])
    func vCardThroughTheCLI(_ version: String) async throws {
        try await Circle.with { a in
            #expect(await a.cli("personas", "add", "Ops Lead").code == 0)
            let add = await a.cli("people", "add", "Zoë Dupont-Lefèvre", "--email", "zoe@dupont.example", "--email", "z.private@mail.example",
                                  "--phone", "+33 1 42 68 53 00", "--company", "Dupont, Fils & Cie", "--title", "Head of Ops; EMEA",
                                  "--city", "Paris", "--country", "FR", "--birthday", "04-15", "--persona", "Ops Lead",
                                  "--tag", "beta; early", "--note", "Line one\nLine two, with a comma", "--link", "https://example.com/zoe",
                                  "--field", "Plan=Enterprise")
            #expect(add.code == 0, "\(add.err)")
            let file = a.folder.appendingPathComponent("people.vcf").path
            #expect(await a.cli("export", "--format", "vcard", "--version", version, "--out", file).code == 0)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("ORG:Dupont\\, Fils & Cie") && text.contains("\r\n"))
            let original = try #require(try await a.store.people.all(as: a.account).first)
            try await Circle.with { b in
                #expect(await b.cli("personas", "add", "Ops Lead").code == 0)
                let imported = await b.cli("import", file)
                #expect(imported.code == 0, "\(imported.err)")
                let back = try #require(try await b.store.people.all(as: b.account).first)
                #expect(back.details == original.details)
            }
        }
    }

    @Test("rapport export --format csv is read back by the import, cells that a spreadsheet would run made inert")
    func csvRoundTrip() async throws {
        try await Circle.with { a in
            #expect(await a.cli("people", "add", "Ana Cruz", "--email", "ana@cruz.example", "--company", "=HYPERLINK(\"http://x\")",
                                "--title", "+1 buyer", "--note=-2 seats; @team", "--birthday", "1985-02-28", "--tag", "q1").code == 0)
            #expect(await a.cli("people", "add", "Björn Ek", "--phone", "+46 8 123 456 78", "--cadence", "30", "--stage", "customer").code == 0)
            let file = a.folder.appendingPathComponent("people.csv").path
            #expect(await a.cli("export", "--format", "csv", "--out", file).code == 0)
            let text = try String(contentsOfFile: file, encoding: .utf8)
            #expect(text.contains("'=HYPERLINK") && text.contains("'+1 buyer") && text.contains("'-2 seats"))
            try await Circle.with { b in
                let imported = await b.cli("import", file)
                #expect(imported.code == 0 && imported.out.contains("Created 2"), "\(imported.out) \(imported.err)")
                let before = try await a.store.people.all(as: a.account).map(\.details)
                let after = try await b.store.people.all(as: b.account).map(\.details)
                #expect(after == before)
            }
        }
    }

    @Test("GET /api/v1/export answers each format as a download; a backup restores; wrong parameters name the fix",
          arguments: Backend.available)
    func apiExport(_ backend: Backend) async throws {
        try await Circle.with(backend) { c in
            _ = try await c.store.people.add(PersonDetails(name: "Maren Holt"), as: c.account)
            try await c.web { client in
                for (format, type, start) in [("vcard", "text/vcard", "BEGIN:VCARD"), ("vcard&version=3.0", "text/vcard", "BEGIN:VCARD\r\nVERSION:3.0"),
                                              ("csv", "text/csv", "Name,"), ("json", "application/json", "{"), ("ics", "text/calendar", "BEGIN:VCALENDAR")] {
                    let response = try await client.execute(uri: "/api/v1/export?format=\(format)", method: .get)
                    #expect(response.status == .ok && response.headers[.contentType]?.hasPrefix(type) == true, "\(format)")
                    #expect(response.headers[.contentDisposition]?.hasPrefix("attachment; filename=\"rapport-") == true)
                    #expect(response.text.hasPrefix(start) && response.text.contains(format == "ics" ? "BEGIN:VTIMEZONE" : "Maren Holt"), "\(format)")
                }
                let bad = try await client.execute(uri: "/api/v1/export?format=xml", method: .get)
                #expect(bad.status == .unprocessableContent && bad.text.contains("vcard, json, csv, ics, backup"))
                let version = try await client.execute(uri: "/api/v1/export?format=vcard&version=2.1", method: .get)
                #expect(version.status == .unprocessableContent && version.text.contains("4.0 or 3.0"))
                let backup = try await client.execute(uri: "/api/v1/export?format=backup", method: .get)
                #expect(backup.status == .ok)
                let file = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-api-backup-\(UUID().uuidString)")
                defer { try? FileManager.default.removeItem(at: file) }
                try Data(backup.body.readableBytesView).write(to: file)
                #expect(BackupKind.of(file) == (backend == .sqlite ? .sqlite : .json))
                let document = try await BackupRepository.document(in: file)
                #expect(document.tables["people"]?.first?["name"] == .string("Maren Holt"))
            }
        }
    }
}
