import Foundation
import RapportCore
@testable import RapportStore
import SQLKit
import Testing

/// A database of its own for a test that changes the whole database (not one account's rows), so tests sharing
/// the PostgreSQL test database never meet it: a new SQLite file, or a new PostgreSQL database next to the test one.
struct OwnDatabase {
    let location: DatabaseLocation
    let drop: @Sendable () async -> Void

    static func make(_ backend: Backend) async throws -> OwnDatabase {
        switch backend {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-own-\(UUID().uuidString)")
            return OwnDatabase(location: .sqlite(path: dir.appendingPathComponent("own.sqlite").path)) {
                try? FileManager.default.removeItem(at: dir)
            }
        case .postgres:
            let base = ProcessInfo.processInfo.environment["RAPPORT_TEST_POSTGRES_URL"] ?? ""
            let name = "rapport_own_\(UUID().uuidString.prefix(8).lowercased())"
            let admin = try await Store.open(.postgres(url: base))
            try await admin.withSession { db in try await db.execute(sql: SQLRaw("CREATE DATABASE \(name)")) { _ in } }
            await admin.close()
            var url = URLComponents(string: base)
            url?.path = "/" + name
            return OwnDatabase(location: .postgres(url: url?.string ?? base)) {
                guard let admin = try? await Store.open(.postgres(url: base)) else { return }
                try? await admin.withSession { db in try await db.execute(sql: SQLRaw("DROP DATABASE \(name) WITH (FORCE)")) { _ in } }
                await admin.close()
            }
        }
    }
}

@Suite("Store contract: stored text in NFC and keys made again when the text identity changes")
struct TextKeysContractTests {
    @Test("older rows (decomposed names, old keys, a company spelt two ways, no search documents) are keyed again on open",
          arguments: Backend.available)
    func rekey(_ backend: Backend) async throws {
        let own = try await OwnDatabase.make(backend)
        do { try await rekey(in: own) } catch {
            await own.drop()
            throw error
        }
        await own.drop()
    }

    func rekey(in own: OwnDatabase) async throws {
        let store = try await Store.open(own.location, now: { fixedNow })
        let owner = try await store.createAccount(named: "rekey")
        let zoe = try await store.people.add(PersonDetails(name: "Zoë Müller"), as: owner).person
        var twin = PersonDetails(name: "Zoe Mueller")
        twin.company = "Müller GmbH"
        let other = try await store.people.add(twin, as: owner).person
        // What an older Rapport left: text as typed (decomposed), keys by lower-casing, no name key, another
        // company row for the same name in the other form, an index without these people.
        try await store.withSession { session in
            let db = NormalizedTextDatabase.unwrapped(session)
            try await db.update("people").set("name", to: "Zoe\u{308} Mu\u{308}ller").set("name_key", to: "")
                .where("id", .equal, zoe.id.rawValue).run()
            let nfdCompany = "Mu\u{308}ller GmbH"
            let companyID = try await db.insert(into: "companies").columns("owner_id", "name", "name_key", "created_at")
                .values(owner.rawValue, nfdCompany, nfdCompany.lowercased(), "2026-01-01T00:00:00Z")
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            try await db.update("people").set("company_id", to: companyID).where("id", .equal, zoe.id.rawValue).run()
            try await db.delete(from: "search_documents").run()
            try await db.delete(from: "rapport_meta").run()
        }
        await store.close()

        let reopened = try await Store.open(own.location, now: { fixedNow })
        let found = try await reopened.people.resolve("zoe muller", as: owner)
        #expect(found.id == zoe.id)
        #expect(Array(found.name.utf8) == Array("Zo\u{EB} M\u{FC}ller".utf8))
        #expect(found.details.company == "Müller GmbH")
        #expect(try await reopened.companies.list(as: owner).map(\.name) == ["Müller GmbH"])
        #expect(Set(try await reopened.people.list(PersonFilter(company: "MULLER GMBH"), as: owner).map(\.id)) == [zoe.id, other.id])
        #expect(try await reopened.people.search("müller", as: owner).map(\.person.id).contains(zoe.id))
        let version = try await reopened.withSession { db in try await TextKeys.storedVersion(NormalizedTextDatabase.unwrapped(db)) }
        #expect(version == TextIdentity.version)
        await reopened.close()
    }

    @Test("text written through any repository is stored in NFC, and looked up in either form", arguments: Backend.available)
    func nfcOnTheWayIn(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let nfd = "Chloe\u{301} Be\u{301}nard"
            var d = PersonDetails(name: nfd)
            d.notes = "Pre\u{301}fe\u{300}re les exports"
            d.company = "Socie\u{301}te\u{301} Ge\u{301}ne\u{301}rale"
            let chloe = try await t.people.add(d, as: t.account).person
            let raw = try await t.store.withSession { session in
                try await NormalizedTextDatabase.unwrapped(session).select().columns("name", "notes").from("people")
                    .where("id", .equal, chloe.id.rawValue).first()
            }
            #expect(try raw?.decode(column: "name", as: String.self).utf8.elementsEqual("Chlo\u{E9} B\u{E9}nard".utf8) == true)
            #expect(try raw?.decode(column: "notes", as: String.self).utf8.elementsEqual("Pr\u{E9}f\u{E8}re les exports".utf8) == true)
            #expect(try await t.people.resolve("Chlo\u{E9}", as: t.account).id == chloe.id)
            #expect(try await t.people.resolve("Chloe\u{301}", as: t.account).id == chloe.id)
            #expect(try await t.people.search("prefere", as: t.account).first?.matchedIn == ["notes"])
            #expect(try await t.people.list(PersonFilter(company: "societe generale"), as: t.account).map(\.id) == [chloe.id])
        }
    }
}
