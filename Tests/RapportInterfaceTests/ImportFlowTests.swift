import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import RapportCore
import RapportFormats
import RapportStore
import Testing

/// Bringing a file in through the Import page and the API, the calendar feed, and backups through the CLI.
@Suite("Import, feed and backup through every interface")
struct ImportFlowTests {
    /// Google's older scheme: a `* Work` label for two emails in one cell, a phone-only row, a row with nothing to
    /// know the person by, and a name already in the circle.
    static let google = Data("""
        Name,Given Name,Family Name,Notes,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name,Plan
        Maren Holt,Maren,Holt,Met at the fair,* Work,a@fjord.example ::: b@fjord.example,Mobile,+47 22 33 44 55,Fjordlog,Gold
        ,,,,,,Mobile,+1 212 555 0147,,
        ,,,just a note,,,,,,
        Dana Ruiz,Dana,Ruiz,,Work,dana.other@else.example,,,,Silver

        """.utf8)

    @Test("the Import page: upload, the detected layout and a dry run, a column remapped, then the import", arguments: Backend.available)
    func importPage(_ backend: Backend) async throws {
        try await Circle.with(backend) { c in
            _ = try await c.store.people.add(PersonDetails(name: "Dana Ruiz"), as: c.account)
            try await c.web { client in
                let form = try await client.execute(uri: "/import", method: .get)
                let (cookie, token) = try #require(form.csrf)
                #expect(form.text.contains("enctype=\"multipart/form-data\"") && form.text.contains("action=\"/import?_csrf=\(token)\""))
                let forged = try await client.upload("/import?_csrf=forged", [("file", "google.csv", Self.google)],
                                                     headers: [.cookie: cookie])
                #expect(forged.status == .forbidden)
                let uploaded = try await client.upload("/import?_csrf=\(token)", [("file", "google.csv", Self.google)],
                                                       headers: [.cookie: cookie])
                #expect(uploaded.status == .seeOther)
                let location = try #require(uploaded.headers[.location])
                let preview = try await client.execute(uri: location, method: .get)
                #expect(preview.status == .ok)
                #expect(preview.text.contains("looks like a Google Contacts export") && preview.text.contains("UTF-8"))
                #expect(preview.text.contains("Would create 3, update 0, skip 1."))
                #expect(preview.text.contains("<td>4</td><td>no name, email or phone to know them by</td>"))
                #expect(preview.text.contains("Likely duplicates") && preview.text.contains("Dana Ruiz"))
                #expect(preview.text.contains("<td class=\"optional\">Maren Holt</td>") && preview.text.contains("<td class=\"optional\">Gold</td>"))
                #expect(try await c.store.people.all(as: c.account).count == 1, "a preview writes nothing")
                // The Plan column becomes the custom field "Tier"; a tag for all; then import.
                var fields = try formFields(in: preview.text, action: location)
                let planIndex = try #require(fields.first { $0.1 == "field:Plan" }?.0)
                fields = setting(setting(setting(fields, planIndex, "field:Tier"), "tags", "imported, fair-2026"), "action", "import")
                let done = try await client.submit(location, fields, from: location)
                #expect(done.status == .ok && done.text.contains("Created 3, updated 0, skipped 1."), "\(done.text.prefix(400))")
                let maren = try #require(try await c.store.people.all(as: c.account).first { $0.name == "Maren Holt" })
                #expect(maren.details.emails.map(\.value) == ["a@fjord.example", "b@fjord.example"] && maren.details.emails.allSatisfy { $0.label == "work" })
                #expect(maren.details.fields == ["Tier": "Gold"] && maren.details.tags == ["imported", "fair-2026"])
                let again = try await client.submit(location, [("action", "import")], from: "/import")
                #expect(again.status == .unprocessableContent && again.text.contains("imported already"))
                #expect(try await c.store.people.all(as: c.account).count == 4)
            }
        }
    }

    @Test("POST /api/v1/imports: a dry run, then the import; a vCard; the upload header and bad fields refused", arguments: Backend.available)
    func importAPI(_ backend: Backend) async throws {
        try await Circle.with(backend) { c in
            try await c.web { client in
                let upload: HTTPFields = [HTTPField.Name("Rapport-Upload")!: "1"]
                let unguarded = try await client.upload("/api/v1/imports", [("file", "google.csv", Self.google)])
                #expect(unguarded.status == .forbidden && unguarded.text.contains("Rapport-Upload: 1"))
                let dry = try await client.upload("/api/v1/imports", [("file", "google.csv", Self.google), ("dryRun", nil, Data("true".utf8))], headers: upload)
                let dryBody = try dry.object()
                let summary = try #require(dryBody["summary"] as? [String: Any])
                #expect(dry.status == .ok && summary["dryRun"] as? Bool == true && (summary["created"] as? [Any])?.count == 3)
                #expect((summary["skipped"] as? [[String: Any]])?.first?["line"] as? Int == 4)
                #expect(((dryBody["layout"] as? [String: Any])?["preset"] as? String) == "google")
                #expect(try await c.store.people.all(as: c.account).isEmpty)
                let real = try await client.upload("/api/v1/imports", [("file", "google.csv", Self.google), ("tag", nil, Data("api".utf8)),
                                                                        ("stage", nil, Data("customer".utf8))], headers: upload)
                #expect(real.status == .ok)
                let people = try await c.store.people.all(as: c.account)
                #expect(people.count == 3 && people.allSatisfy { $0.details.tags == ["api"] && $0.details.stage == .customer })
                let card = Data("BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lefèvre;Zoë;;;\r\nFN:Zoë Lefèvre\r\nORG:Dupont\\, Fils & Cie;Achats\r\nEMAIL:zoe@dupont.example\r\nEND:VCARD\r\n".utf8)
                let vcard = try await client.upload("/api/v1/imports", [("file", "zoe.vcf", card)], headers: upload)
                #expect(try vcard.status == .ok && vcard.object()["cards"] as? Int == 1)
                #expect(try await c.store.people.resolve("zoe@dupont.example", as: c.account).details.company == "Dupont, Fils & Cie")
                for (field, value, message) in [("dryRun", "perhaps", "give true or false"), ("preset", "gmail", "google, outlook"),
                                                ("map", "Plan", "COLUMN=FIELD"), ("stage", "lead", "customer, prospect"), ("colour", "red", "is not a field")] {
                    let refused = try await client.upload("/api/v1/imports", [("file", "google.csv", Self.google), (field, nil, Data(value.utf8))], headers: upload)
                    #expect(refused.status == .unprocessableContent && refused.text.contains(message), "\(field): \(refused.text)")
                }
                let noFile = try await client.upload("/api/v1/imports", [("dryRun", nil, Data("true".utf8))], headers: upload)
                #expect(noFile.status == .unprocessableContent && noFile.text.contains("\"field\":\"file\""))
                #expect(try await c.store.people.all(as: c.account).count == 4, "refused imports wrote nothing")
            }
        }
    }

    @Test("the calendar feed answers its token only; replacing the token from the page or the CLI retires the old address")
    func calendarFeed() async throws {
        try await Circle.with { c in
            #expect(await c.cli("people", "add", "Maren Holt").code == 0)
            #expect(await c.cli("log", "call", "Maren Holt", "--note", "Pricing", "--follow-up", "Send the pricing deck", "--due", "2026-11-25").code == 0)
            try await c.web { client in
                let page = try await client.execute(uri: "/export", method: .get)
                let feedURL = try #require(page.text.components(separatedBy: "value=\"").dropFirst().first { $0.hasPrefix("http://") }?.prefix { $0 != "\"" })
                let path = "/" + feedURL.split(separator: "/", maxSplits: 3).dropFirst(2).joined(separator: "/")
                let feed = try await client.execute(uri: path, method: .get)
                #expect(feed.status == .ok && feed.headers[.contentType] == "text/calendar; charset=utf-8")
                #expect(feed.text.contains("SUMMARY:Follow up with Maren Holt: Send the pricing deck\r\n") && feed.text.contains("BEGIN:VALARM"))
                #expect(try await client.execute(uri: "/calendar/not-the-token.ics", method: .get).status == .notFound)
                let rotated = try await client.submit("/export/calendar-token", [], from: "/export")
                #expect(rotated.status == .seeOther)
                #expect(try await client.execute(uri: path, method: .get).status == .notFound)
                let token = try await c.store.settings.calendarToken(as: c.account)
                #expect(try await client.execute(uri: "/calendar/\(token).ics", method: .get).status == .ok)
                let cli = await c.cli("settings", "rotate", "calendar-token")
                #expect(cli.code == 0)
                #expect(try await client.execute(uri: "/calendar/\(token).ics", method: .get).status == .notFound)
            }
        }
    }

    @Test("rapport backup --encrypt, rapport restore with the passphrase; a wrong one or a damaged file writes nothing; --force saves what was there")
    func backupAndRestore() async throws {
        try await Circle.with { a in
            #expect(await a.cli("people", "add", "Maren Holt", "--email", "maren@fjord.example").code == 0)
            let file = a.folder.appendingPathComponent("circle.sqlite.age").path
            let secret = ["RAPPORT_PASSPHRASE": "a long and happy passphrase"]
            let backup = await a.cli(["backup", file, "--encrypt"], environment: secret)
            #expect(backup.code == 0 && backup.out.contains("encrypted with age"), "\(backup.err)")
            #expect(BackupKind.of(URL(fileURLWithPath: file)) == .age)
            try await Circle.with { b in
                let wrong = await b.cli(["restore", file], environment: ["RAPPORT_PASSPHRASE": "not it"])
                #expect(wrong.code != 0 && wrong.err.contains("passphrase"))
                var damaged = try Data(contentsOf: URL(fileURLWithPath: file))
                damaged[damaged.count - 20] ^= 0x01
                let damagedFile = b.folder.appendingPathComponent("damaged.age").path
                _ = FileManager.default.createFile(atPath: damagedFile, contents: damaged)
                let tampered = await b.cli(["restore", damagedFile], environment: secret)
                #expect(tampered.code != 0)
                #expect(await b.cli("people", "list", "--json").out.contains("Maren") == false)
                let restored = await b.cli(["restore", file], environment: secret)
                #expect(restored.code == 0 && restored.out.contains("1 people"), "\(restored.err)")
                #expect(await b.cli("people", "show", "maren@fjord.example").code == 0)
                #expect(await b.cli("people", "add", "Jon Berg").code == 0)
                // A plain snapshot this time: the same restore, without the passphrase's deliberate slowness.
                let plain = a.folder.appendingPathComponent("plain.sqlite").path
                #expect(await a.cli("backup", plain).code == 0)
                let refused = await b.cli("restore", plain)
                #expect(refused.code != 0 && refused.err.contains("--force"))
                let forced = await b.cli("restore", plain, "--force")
                #expect(forced.code == 0 && forced.out.contains("What was there is saved in"))
                #expect(await b.cli("people", "show", "Jon Berg").code != 0)
                let saved = try FileManager.default.contentsOfDirectory(atPath: b.folder.appendingPathComponent("backups").path)
                #expect(saved.contains { $0.hasPrefix("before-restore-") })
            }
        }
    }

    @Test("a snapshot taken while the store is open holds the latest write, still in the WAL file", arguments: Backend.available)
    func snapshotWhileRunning(_ backend: Backend) async throws {
        try await Circle.with(backend) { c in
            _ = try await c.store.people.add(PersonDetails(name: "Written just now"), as: c.account)
            try FileManager.default.createDirectory(at: c.folder, withIntermediateDirectories: true)
            let file = c.folder.appendingPathComponent("snapshot")
            let kind = try await c.store.backups.snapshot(to: file, as: c.account)
            #expect(kind == (backend == .sqlite ? .sqlite : .json))
            let document = try await BackupRepository.document(in: file)
            #expect(document.tables["people"]?.contains { $0["name"] == .string("Written just now") } == true)
            await #expect(throws: RapportError.self) { try await c.store.backups.snapshot(to: file, as: c.account) }
        }
    }
}
