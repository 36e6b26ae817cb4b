import Foundation
import RapportCore
import RapportStore
import Testing

@Suite("Store contract: people and personas")
struct StoreContractTests {
    @Test("a person round-trips with every field", arguments: Backend.available)
    func roundTrip(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let saved = try await t.people.add(details("Dana Kim") {
                $0.emails = [ContactPoint(value: "dana@acme.com"), ContactPoint(value: "dana@home.example", label: "home")]
                $0.phones = [ContactPoint(value: "+49 30 1234567", label: "mobile")]
                $0.company = "Acme"
                $0.title = "Head of Operations"
                $0.since = "2021-03"
                $0.previousCompanies = ["Globex", "Initech"]
                $0.city = "Berlin"
                $0.country = "DE"
                $0.stage = .prospect
                $0.source = .salesIntro
                $0.warmth = 4
                $0.offTheRecord = true
                $0.advocate = true
                $0.preferredChannel = .video
                $0.cadenceDays = 21
                $0.personas = ["ops lead"]
                $0.tags = ["beta", "renewal"]
                $0.notes = "Exports take **an hour**."
                $0.links = ["https://example.com/dana"]
                $0.fields = ["plan": "Enterprise", "seats": "40"]
            }, as: t.account)
            #expect(saved.notices == ["time zone Europe/Berlin inferred from the city Berlin"])
            let p = try await t.people.get(saved.person.id, as: t.account)
            #expect(p == saved.person)
            #expect(p.details.personas == ["Ops Lead"])
            #expect(p.details.timeZone == "Europe/Berlin")
            #expect(p.details.emails[1] == ContactPoint(value: "dana@home.example", label: "home"))
            #expect(p.details.previousCompanies == ["Globex", "Initech"])
            #expect(p.details.fields == ["plan": "Enterprise", "seats": "40"])
            #expect(p.createdAt == fixedNow && p.updatedAt == fixedNow)
            #expect(!p.archived && p.doNotContact == nil)
        }
    }

    @Test("no query returns another account's rows", arguments: Backend.available)
    func ownerScoping(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let other = try await t.store.createAccount(named: "other-\(UUID().uuidString)")
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let mine = try await t.people.add(details("Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.com")]; $0.personas = ["Ops Lead"]; $0.notes = "exports" }, as: t.account).person
            #expect(await failure { _ = try await t.people.get(mine.id, as: other) } == .notFound(.person, "#\(mine.id)"))
            #expect(await failure { _ = try await t.people.resolve("dana@acme.com", as: other) } != nil)
            #expect(await failure { _ = try await t.people.resolve("Dana", as: other) } != nil)
            #expect(try await t.people.list(PersonFilter(), as: other).isEmpty)
            #expect(try await t.people.search("exports", as: other).isEmpty)
            #expect(try await t.personas.list(as: other).isEmpty)
            var hijack = PersonPatch()
            hijack.name = "Hijacked"
            #expect(await failure { _ = try await t.people.update(mine.id, with: hijack, as: other) } != nil)
            #expect(await failure { try await t.people.delete(mine.id, as: other) } != nil)
            // The same email may exist once per account.
            _ = try await t.people.add(details("Other Dana") { $0.emails = [ContactPoint(value: "dana@acme.com")] }, as: other)
            #expect(try await t.people.get(mine.id, as: t.account).name == "Dana Kim")
        }
    }

    @Test("a duplicate email is refused, naming the owner, and nothing is written, even when duplicates are allowed", arguments: Backend.available)
    func duplicateEmail(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.com")] }, as: t.account).person
            for allow in [false, true] {
                let error = await failure {
                    _ = try await t.people.add(details("Dana K.") { $0.emails = [ContactPoint(value: "DANA@acme.com")]; $0.tags = ["new-tag"] },
                                               allowDuplicate: allow, as: t.account)
                }
                guard case .duplicate(let match) = error else { Issue.record("expected a duplicate, got \(String(describing: error))"); return }
                #expect(match.person.id == dana.id && match.basis == [.email] && !match.canAddAnyway)
                #expect(error?.fieldErrors.first?.field == "email")
                #expect(error?.message == "Dana Kim (#\(dana.id), dana@acme.com) is already in your circle (same email)")
            }
            #expect(try await t.people.list(PersonFilter(), as: t.account).map(\.name) == ["Dana Kim"])
            #expect(try await t.people.list(PersonFilter(tag: "new-tag"), as: t.account).isEmpty)
        }
    }

    @Test("a bad edit changes nothing: the stored person is as it was", arguments: Backend.available)
    func badEditKeepsData(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let before = try await t.people.add(details("Dana Kim") { $0.company = "Acme"; $0.timeZone = "Europe/Berlin" }, as: t.account).person
            let error = await failure {
                var bad = PersonPatch()
                (bad.company, bad.timeZone, bad.warmth) = (.set("Globex"), .set("Europe/Berlim"), 0)
                _ = try await t.people.update(before.id, with: bad, as: t.account)
            }
            #expect(Set(error?.fieldErrors.map(\.field) ?? []) == ["timeZone", "warmth"])
            #expect(try await t.people.get(before.id, as: t.account) == before)
            #expect(try await t.people.list(PersonFilter(company: "Globex"), as: t.account).isEmpty)
        }
    }

    @Test("a shared phone (any spelling of the number) or name is refused as a likely duplicate, and added when allowed", arguments: Backend.available)
    func samePhone(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.phones = [ContactPoint(value: "+49 30 1234567")] }, as: t.account).person
            let twin = details("D. Kim") { $0.phones = [ContactPoint(value: "0049 (30) 123-4567", label: "mobile")]; $0.timeZone = "Europe/Berlin" }
            let refused = await failure { _ = try await t.people.add(twin, as: t.account) }
            guard case .duplicate(let match) = refused else { Issue.record("expected a duplicate, got \(String(describing: refused))"); return }
            #expect(match.person.id == dana.id && match.basis == [.phone] && match.canAddAnyway)
            #expect(try await t.people.list(PersonFilter(), as: t.account).count == 1)
            let sameName = await failure { _ = try await t.people.add(details("DANA  kím"), as: t.account) }
            guard case .duplicate(let byName) = sameName else { Issue.record("expected a duplicate, got \(String(describing: sameName))"); return }
            #expect(byName.basis == [.name])
            let added = try await t.people.add(twin, allowDuplicate: true, as: t.account).person
            let pairs = try await t.people.duplicates(as: t.account)
            #expect(pairs.map { [$0.first.id, $0.second.id] } == [[dana.id, added.id]])
            #expect(pairs.first?.basis == [.phone])
        }
    }

    @Test("an unknown persona is refused with the closest name", arguments: Backend.available)
    func unknownPersona(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let error = await failure { _ = try await t.people.add(details("Dana") { $0.personas = ["Ops Lad"] }, as: t.account) }
            #expect(error?.fieldErrors.first?.field == "personas")
            #expect(error?.message.contains("did you mean \"Ops Lead\"?") == true)
            #expect(try await t.people.list(PersonFilter(), as: t.account).isEmpty)
        }
    }

    @Test("lists filter by persona, tag, stage, company, advocate, off the record and archived", arguments: Backend.available)
    func filters(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for name in ["Ops Lead", "Data Analyst"] { _ = try await t.personas.add(PersonaDetails(name: name), as: t.account) }
            let a = try await t.people.add(details("Ann") { $0.personas = ["Ops Lead"]; $0.tags = ["beta"]; $0.company = "Acme"; $0.advocate = true }, as: t.account).person
            let b = try await t.people.add(details("Ben") { $0.personas = ["Ops Lead", "Data Analyst"]; $0.stage = .prospect; $0.company = "ACME"; $0.offTheRecord = true }, as: t.account).person
            let c = try await t.people.add(details("Cat") { $0.personas = ["Data Analyst"]; $0.tags = ["Beta"] }, as: t.account).person
            _ = try await t.people.setArchived(c.id, true, as: t.account)
            func names(_ filter: PersonFilter) async throws -> [String] { try await t.people.list(filter, as: t.account).map(\.name) }
            #expect(try await names(PersonFilter()) == ["Ann", "Ben"])
            #expect(try await names(PersonFilter(persona: "ops lead")) == ["Ann", "Ben"])
            #expect(try await names(PersonFilter(persona: "Data Analyst")) == ["Ben"])
            #expect(try await names(PersonFilter(tag: "BETA")) == ["Ann"])
            #expect(try await names(PersonFilter(stage: .prospect)) == ["Ben"])
            #expect(try await names(PersonFilter(company: "acme")) == ["Ann", "Ben"])
            #expect(try await names(PersonFilter(advocate: true)) == ["Ann"])
            #expect(try await names(PersonFilter(offTheRecord: true)) == ["Ben"])
            #expect(try await names(PersonFilter(archived: true)) == ["Cat"])
            #expect(try await names(PersonFilter(persona: "Data Analyst", tag: "beta", archived: true)) == ["Cat"])
            #expect(try await names(PersonFilter(limit: 1)) == ["Ann"])
            let counts = Dictionary(uniqueKeysWithValues: try await t.personas.list(as: t.account).map { ($0.name, $0.peopleCount) })
            #expect(counts == ["Ops Lead": 2, "Data Analyst": 1])
            #expect(a.id != b.id)
            #expect(await failure { _ = try await names(PersonFilter(persona: "Nobody")) }?.fieldErrors.first?.field == "persona")
        }
    }

    @Test("a reference finds a person by id, email or unique part of the name", arguments: Backend.available)
    func resolve(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.emails = [ContactPoint(value: "Dana@Acme.com")] }, as: t.account).person
            let danaLee = try await t.people.add(details("Dana Lee"), as: t.account).person
            #expect(try await t.people.resolve("\(dana.id)", as: t.account).id == dana.id)
            #expect(try await t.people.resolve("dana@acme.com", as: t.account).id == dana.id)
            #expect(try await t.people.resolve("KIM", as: t.account).id == dana.id)
            #expect(try await t.people.resolve("dana lee", as: t.account).id == danaLee.id)
            guard case .ambiguous(_, _, let candidates)? = await failure({ _ = try await t.people.resolve("dana", as: t.account) }) else {
                Issue.record("\"dana\" should be ambiguous")
                return
            }
            #expect(candidates == ["#\(dana.id) Dana Kim <Dana@Acme.com>", "#\(danaLee.id) Dana Lee"])
            #expect(await failure { _ = try await t.people.resolve("zed", as: t.account) } == .notFound(.person, "zed"))
            #expect(await failure { _ = try await t.people.resolve("100%", as: t.account) } == .notFound(.person, "100%"))
        }
    }

    @Test("search finds words by prefix across fields and says where", arguments: Backend.available)
    func search(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.company = "Nordwind Logistics"; $0.title = "Head of Operations"; $0.notes = "Exports take an hour every Monday." }, as: t.account).person
            _ = try await t.people.add(details("Ben Export") { $0.company = "Globex" }, as: t.account)
            #expect(try await t.people.search("nord", as: t.account).map(\.person.id) == [dana.id])
            let hit = try #require(try await t.people.search("exports monday", as: t.account).first)
            #expect(hit.person.id == dana.id && hit.matchedIn == ["notes"])
            #expect(hit.excerpt?.contains("Exports take an hour") == true)
            // A name match ranks above a notes match.
            #expect(try await t.people.search("export", as: t.account).map(\.person.name) == ["Ben Export", "Dana Kim"])
            #expect(try await t.people.search("\"head\" (operations)*", as: t.account).map(\.person.id) == [dana.id])
            // The index follows edits and deletes.
            var moved = PersonPatch()
            moved.company = .set("Südwind Freight")
            _ = try await t.people.update(dana.id, with: moved, as: t.account)
            #expect(try await t.people.search("nordwind", as: t.account).isEmpty)
            #expect(try await t.people.search("sudwind", as: t.account).map(\.person.id) == [dana.id])
            try await t.people.delete(dana.id, as: t.account)
            #expect(try await t.people.search("exports", as: t.account).isEmpty)
            #expect(await failure { _ = try await t.people.search("  ?! ", as: t.account) }?.fieldErrors.first?.field == "query")
        }
    }

    @Test("merging keeps everything of both and removes the duplicate", arguments: Backend.available)
    func merge(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let target = try await t.people.add(details("Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.com")]; $0.tags = ["beta"] }, as: t.account).person
            let source = try await t.people.add(details("D. Kim") {
                $0.emails = [ContactPoint(value: "dana@home.example", label: "home")]
                $0.phones = [ContactPoint(value: "+49 30 1234567")]
                $0.personas = ["Ops Lead"]
                $0.notes = "Prefers mornings."
            }, as: t.account).person
            _ = try await t.people.setDoNotContact(source.id, reason: "on leave", as: t.account)
            let merged = try await t.people.merge(source.id, into: target.id, as: t.account)
            #expect(merged.id == target.id)
            #expect(merged.details.emails.map(\.value) == ["dana@acme.com", "dana@home.example"])
            #expect(merged.details.phones.count == 1 && merged.details.personas == ["Ops Lead"] && merged.details.tags == ["beta"])
            #expect(merged.details.notes.contains("Prefers mornings."))
            #expect(merged.doNotContact?.reason == "on leave")
            #expect(await failure { _ = try await t.people.get(source.id, as: t.account) } != nil)
            #expect(try await t.people.resolve("dana@home.example", as: t.account).id == target.id)
            #expect(try await t.people.search("mornings", as: t.account).map(\.person.id) == [target.id])
            #expect(await failure { _ = try await t.people.merge(target.id, into: target.id, as: t.account) }?.fieldErrors.first?.field == "into")
        }
    }

    @Test("do-not-contact needs a reason and can be lifted; archiving hides and restores", arguments: Backend.available)
    func dncAndArchive(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana"), as: t.account).person
            #expect(await failure { _ = try await t.people.setDoNotContact(dana.id, reason: "  ", as: t.account) }?.fieldErrors.first?.field == "reason")
            let marked = try await t.people.setDoNotContact(dana.id, reason: "asked not to be called", as: t.account)
            #expect(marked.doNotContact == DoNotContact(reason: "asked not to be called", since: fixedNow))
            #expect(try await t.people.setDoNotContact(dana.id, reason: nil, as: t.account).doNotContact == nil)
            #expect(try await t.people.setArchived(dana.id, true, as: t.account).archived)
            #expect(try await t.people.list(PersonFilter(), as: t.account).isEmpty)
            #expect(try await !t.people.setArchived(dana.id, false, as: t.account).archived)
            #expect(try await t.people.list(PersonFilter(), as: t.account).count == 1)
        }
    }

    @Test("personas: names are unique in any case, editable, and counted", arguments: Backend.available)
    func personas(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let ops = try await t.personas.add(PersonaDetails(name: " Ops Lead ", description: "Runs ops", goals: "Calm weeks", pains: "Exports"), as: t.account)
            #expect(ops.name == "Ops Lead" && ops.pains == "Exports" && ops.peopleCount == 0)
            #expect(await failure { _ = try await t.personas.add(PersonaDetails(name: "ops lead"), as: t.account) }?.fieldErrors.first?.field == "name")
            #expect(await failure { _ = try await t.personas.add(PersonaDetails(name: ""), as: t.account) }?.fieldErrors.first?.field == "name")
            let renamed = try await t.personas.update(ops.id, with: PersonaDetails(name: "Operations Lead"), as: t.account)
            #expect(renamed.name == "Operations Lead")
            #expect(try await t.personas.find("operations lead", as: t.account).id == ops.id)
            #expect(try await t.personas.find("#\(ops.id)", as: t.account).id == ops.id)
        }
    }
}

@Suite("Store: the SQLite file is private and durable")
struct SQLiteFileTests {
    @Test("the folder is 0700, the file 0600, WAL is on, and reopening keeps the data")
    func privateFile() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-perm-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("data/rapport.sqlite").path
        let store = try await Store.open(.sqlite(path: path), now: { fixedNow })
        let account = try await store.localAccount()
        _ = try await store.people.add(details("Dana"), as: account)
        #expect(try await store.localAccount() == account)
        await store.close()
        let fm = FileManager.default
        #expect((try fm.attributesOfItem(atPath: path)[.posixPermissions] as? Int) == 0o600)
        #expect((try fm.attributesOfItem(atPath: dir.appendingPathComponent("data").path)[.posixPermissions] as? Int) == 0o700)
        let header = try #require(fm.contents(atPath: path))
        // Bytes 18 and 19 of the SQLite header are 2 in WAL mode.
        #expect(header.count > 19 && header[18] == 2 && header[19] == 2)
        let reopened = try await Store.open(.sqlite(path: path), now: { fixedNow })
        #expect(try await reopened.people.list(PersonFilter(), as: try await reopened.localAccount()).map(\.name) == ["Dana"])
        await reopened.close()
    }

    @Test("the default location follows XDG_DATA_HOME, then HOME; flags and environment override it")
    func locations() throws {
        #expect(DatabaseLocation.defaultPath(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]).hasSuffix("rapport.sqlite"))
        #if !os(macOS)
        #expect(DatabaseLocation.defaultPath(environment: ["XDG_DATA_HOME": "/x", "HOME": "/h"]) == "/x/rapport/rapport.sqlite")
        #expect(DatabaseLocation.defaultPath(environment: ["HOME": "/h"]) == "/h/.local/share/rapport/rapport.sqlite")
        #endif
        #expect(try DatabaseLocation.resolve(db: "/tmp/a.sqlite", databaseURL: nil, environment: ["RAPPORT_DB": "/tmp/b.sqlite"]) == .sqlite(path: "/tmp/a.sqlite"))
        #expect(try DatabaseLocation.resolve(db: nil, databaseURL: nil, environment: ["RAPPORT_DB": "/tmp/b.sqlite"]) == .sqlite(path: "/tmp/b.sqlite"))
        #expect(try DatabaseLocation.resolve(db: "/tmp/a", databaseURL: nil, environment: ["RAPPORT_DATABASE_URL": "postgres://u@h/d"]) == .postgres(url: "postgres://u@h/d"))
        #expect(throws: RapportError.self) { try DatabaseLocation.resolve(db: nil, databaseURL: "mysql://x", environment: [:]) }
        #expect(DatabaseLocation.redacted("postgres://rapport:s3cret@db:5432/r") == "postgres://rapport:***@db:5432/r")
    }
}
