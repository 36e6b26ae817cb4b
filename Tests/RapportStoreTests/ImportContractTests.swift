import Foundation
import RapportCore
import RapportStore
import Synchronization
import Testing

/// Contacts from a list, failing at `failAt` (a row number from 1) as a file that cannot be read further would.
final class ListSource: ContactSource {
    let contacts: [ImportedContact]
    let failAt: Int?
    let index = Mutex(0)

    init(_ contacts: [ImportedContact], failAt: Int? = nil) {
        self.contacts = contacts
        self.failAt = failAt
    }

    func next() throws -> ImportedContact? {
        try index.withLock { i in
            if let failAt, i + 1 == failAt { throw RapportError.invalid("file", "the file cannot be read past line \(i + 2)") }
            guard i < contacts.count else { return nil }
            i += 1
            return contacts[i - 1]
        }
    }
}

func contact(_ line: Int, _ name: String, _ configure: (inout PersonDetails) -> Void = { _ in }) -> ImportedContact {
    ImportedContact(line: line, details: details(name, configure))
}

@Suite("Store contract: importing contacts")
struct ImportContractTests {
    @Test("a contact matching by email or phone fills empty fields and adds what is new; filled fields stay unless overwriting",
          arguments: Backend.available)
    func fill(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") {
                $0.emails = [ContactPoint(value: "dana@acme.com")]; $0.title = "Head of Ops"; $0.tags = ["beta"]
            }, as: t.account).person
            let lee = try await t.people.add(details("Lee Park") { $0.phones = [ContactPoint(value: "+1 212 555 0100")] }, as: t.account).person
            let rows = [
                contact(2, "Dana K.") { $0.emails = [ContactPoint(value: "DANA@acme.com"), ContactPoint(value: "dana@home.example", label: "home")]
                    $0.title = "COO"; $0.company = "Acme"; $0.tags = ["vip"] },
                contact(3, "Lee") { $0.phones = [ContactPoint(value: "001 212 555 0100")]; $0.city = "New York" },
            ]
            let summary = try await t.store.imports.run(ListSource(rows), options: ImportOptions(), as: t.account)
            #expect(summary.created.isEmpty && summary.updated.map(\.person.id) == [dana.id, lee.id])
            #expect(summary.updated[0].fields == ["company", "emails", "tags"])
            let after = try await t.people.get(dana.id, as: t.account).details
            #expect(after.name == "Dana Kim" && after.title == "Head of Ops" && after.company == "Acme")
            #expect(after.emails.map(\.value) == ["dana@acme.com", "dana@home.example"] && after.tags == ["beta", "vip"])
            #expect(try await t.people.get(lee.id, as: t.account).details.city == "New York")
            var overwrite = ImportOptions()
            overwrite.overwrite = true
            _ = try await t.store.imports.run(ListSource([rows[0]]), options: overwrite, as: t.account)
            let overwritten = try await t.people.get(dana.id, as: t.account).details
            #expect(overwritten.title == "COO" && overwritten.name == "Dana K.")
        }
    }

    @Test("rows of one file that share an email or phone become one person; a new name a stored person has is reported",
          arguments: Backend.available)
    func withinFile(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.people.add(details("Sam Lee"), as: t.account)
            let rows = [
                contact(2, "Ines Duarte") { $0.emails = [ContactPoint(value: "ines@lisboa.example")] },
                contact(3, "Inês Duarte") { $0.emails = [ContactPoint(value: "INES@lisboa.example")]; $0.phones = [ContactPoint(value: "+351 21 123 4567")] },
                contact(4, "I. Duarte") { $0.phones = [ContactPoint(value: "00351 21 123 4567")]; $0.title = "COO" },
                contact(5, "Sam Lee") { $0.emails = [ContactPoint(value: "sam@other.example")] },
            ]
            let summary = try await t.store.imports.run(ListSource(rows), options: ImportOptions(), as: t.account)
            #expect(summary.created.map(\.line) == [2, 5] && summary.mergedRows == 2 && summary.updated.isEmpty)
            #expect(summary.duplicates.map(\.line) == [5] && summary.duplicates.first?.sameAs.name == "Sam Lee")
            let ines = try await t.people.resolve("ines@lisboa.example", as: t.account).details
            #expect(ines.name == "Ines Duarte" && ines.phones.count == 1 && ines.title == "COO")
        }
    }

    @Test("rows the person rules refuse are skipped with their line and reason; the rest are imported", arguments: Backend.available)
    func skipped(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let rows = [
                contact(2, "Good Row"),
                contact(3, String(repeating: "x", count: 300)),
                ImportedContact(line: 4, details: details(""), skip: "no name, email or phone to know them by"),
                contact(5, "Bad Zone") { $0.timeZone = "Mars/Olympus" },
            ]
            let summary = try await t.store.imports.run(ListSource(rows), options: ImportOptions(), as: t.account)
            #expect(summary.created.map(\.line) == [2])
            #expect(summary.skipped.map(\.line) == [3, 4, 5])
            #expect(summary.skipped[0].reason.contains("name:") && summary.skipped[2].reason.contains("timeZone:"))
        }
    }

    @Test("a dry run reports what an import would do and writes nothing; an import that fails midway leaves nothing",
          arguments: Backend.available)
    func dryRunAndAtomic(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let rows = (2...40).map { i in contact(i, "Person \(i)") { $0.emails = [ContactPoint(value: "p\(i)@x.example")] } }
            var dry = ImportOptions()
            dry.dryRun = true
            let preview = try await t.store.imports.run(ListSource(rows), options: dry, as: t.account)
            #expect(preview.dryRun && preview.created.count == 39)
            #expect(try await t.people.list(PersonFilter(), as: t.account).isEmpty)
            let failed = await failure { _ = try await t.store.imports.run(ListSource(rows, failAt: 20), options: ImportOptions(), as: t.account) }
            #expect(failed?.fieldErrors.first?.field == "file")
            #expect(try await t.people.list(PersonFilter(), as: t.account).isEmpty)
            let real = try await t.store.imports.run(ListSource(rows), options: ImportOptions(), as: t.account)
            #expect(real.created.count == preview.created.count)
            #expect(try await t.people.search("p20", as: t.account).count == 1)
        }
    }

    @Test("personas, tags and a stage given for the import apply to every contact; an unknown persona stops it first",
          arguments: Backend.available)
    func options(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            var options = ImportOptions()
            (options.personas, options.tags, options.stage) = (["ops lead"], ["imported"], .prospect)
            _ = try await t.store.imports.run(ListSource([contact(2, "Kai Brandt")]), options: options, as: t.account)
            let kai = try await t.people.resolve("kai", as: t.account).details
            #expect(kai.personas == ["Ops Lead"] && kai.tags == ["imported"] && kai.stage == .prospect)
            options.personas = ["Ops Lad"]
            let unknown = await failure { _ = try await t.store.imports.run(ListSource([contact(2, "Other")]), options: options, as: t.account) }
            #expect(unknown?.message.contains("did you mean") == true)
            #expect(try await t.people.list(PersonFilter(), as: t.account).count == 1)
        }
    }

    @Test("rows naming one company, tag or persona in any case share one, created once; each person is found by search once",
          arguments: Backend.available)
    func sharedNames(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            _ = try await t.people.add(details("Stored Person") { $0.company = "Acme Freight"; $0.tags = ["Beta"] }, as: t.account)
            let rows = (0..<30).map { i in
                contact(i + 2, "Row Person \(i)") {
                    $0.company = i % 2 == 0 ? "ACME Freight" : "Nordwind"
                    $0.tags = [i % 3 == 0 ? "beta" : "Imported"]
                    $0.personas = ["ops lead"]
                    $0.emails = [ContactPoint(value: "row\(i)@example.com")]
                }
            }
            let summary = try await t.store.imports.run(ListSource(rows), options: ImportOptions(), as: t.account)
            #expect(summary.created.count == 30)
            let people = try await t.people.all(as: t.account)
            #expect(Set(people.compactMap(\.details.company)) == ["Acme Freight", "Nordwind"])
            #expect(Set(people.flatMap(\.details.tags)) == ["Beta", "Imported"])
            #expect(people.filter { $0.details.personas == ["Ops Lead"] }.count == 30)
            // Each person has one search document, written once: editing one twice leaves no stale words behind.
            let row7 = try await t.people.resolve("row7@example.com", as: t.account)
            var patch = PersonPatch()
            patch.notes = "Prefers Thursdays"
            _ = try await t.people.update(row7.id, with: patch, as: t.account)
            patch.notes = "Prefers Fridays"
            _ = try await t.people.update(row7.id, with: patch, as: t.account)
            #expect(try await t.people.search("thursdays", as: t.account).isEmpty)
            #expect(try await t.people.search("fridays", as: t.account).map(\.person.id) == [row7.id])
            #expect(try await t.people.search("row person", as: t.account).count == 30)
        }
    }

    @Test("a persona the circle does not have yet never costs the row: the person comes in, the name waits in a custom field",
          arguments: Backend.available)
    func unknownPersona(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let rows = [contact(2, "Known Persona") { $0.personas = ["ops lead"] },
                        contact(3, "Unknown Persona") { $0.personas = ["Team Manager", "Ops Lead"] }]
            let summary = try await t.store.imports.run(ListSource(rows), options: ImportOptions(), as: t.account)
            #expect(summary.created.count == 2 && summary.skipped.isEmpty, "\(summary.skipped)")
            #expect(summary.warnings.map(\.line) == [3] && summary.warnings[0].message.contains("\"Team Manager\""))
            let person = try await t.people.resolve("Unknown Persona", as: t.account)
            #expect(person.details.personas == ["Ops Lead"] && person.details.fields["Persona"] == "Team Manager")
        }
    }
}
