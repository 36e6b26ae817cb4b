import Foundation
import HTTPTypes
import HummingbirdTesting
import RapportCore
import RapportStore
import Testing

/// A name of `Tests/Fixtures/names.json`, the table the CI's PostgreSQL run reads too.
struct FixtureName: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    /// A part of the name no other name of the table has.
    var part: String
    /// The name as typed without its accents or marks, where the script has them.
    var plain: String?
    /// How it is typed when added: "NFC", or "NFD" (as pasted from macOS).
    var form: String
    var script: String

    var testDescription: String { "\(name) (\(script))" }

    /// The name as it is typed when added.
    var typed: String { form == "NFD" ? name.decomposedStringWithCanonicalMapping : name.precomposedStringWithCanonicalMapping }

    /// Every way a user may look for this person: full name in both Unicode forms, a part, upper and lower case,
    /// and without accents.
    var queries: [String] {
        var out = [name.precomposedStringWithCanonicalMapping, name.decomposedStringWithCanonicalMapping, part,
                   name.uppercased(), name.lowercased()]
        if let plain { out += [plain, plain.uppercased()] }
        var seen = Set<[UInt8]>()
        return out.filter { seen.insert(Array($0.utf8)).inserted }
    }

    static let all: [FixtureName] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/names.json")
        guard let data = try? Data(contentsOf: url), let names = try? JSONDecoder().decode([FixtureName].self, from: data) else { return [] }
        return names
    }()
}

@Suite("Real names in every script: found by full name, part, case and accents, through every interface")
struct NamesTests {
    @Test("the table holds at least 40 names in at least 10 scripts, decomposed and composed")
    func table() {
        let names = FixtureName.all
        #expect(names.count >= 40)
        #expect(Set(names.map { $0.script.split(separator: ":")[0].split(separator: " (")[0] }).count >= 10)
        #expect(names.contains { $0.form == "NFD" } && names.contains { $0.form == "NFC" })
    }

    @Test("each name is stored in NFC and found by every query through the store and the JSON API and pages", arguments: Backend.available)
    func storeAndWeb(_ backend: Backend) async throws {
        try await Circle.with(backend) { c in
            var ids: [String: PersonID] = [:]
            for n in FixtureName.all {
                let saved = try await c.store.people.add(PersonDetails(name: n.typed), as: c.account).person
                #expect(Array(saved.name.utf8) == Array(n.name.precomposedStringWithCanonicalMapping.utf8), "stored in NFC: \(n.name)")
                ids[n.name] = saved.id
            }
            for n in FixtureName.all {
                let id = try #require(ids[n.name])
                for q in n.queries {
                    let resolved = try? await c.store.people.resolve(q, as: c.account)
                    #expect(resolved?.id == id, "resolve \(q) for \(n.name)")
                    let hits = try await c.store.people.search(q, as: c.account)
                    let hit = hits.first { $0.person.id == id }
                    #expect(hit != nil, "search \(q) for \(n.name)")
                    #expect(hit?.matchedIn.contains("name") == true, "matched in name: \(q) for \(n.name)")
                }
            }
            let found = ids
            try await c.web { client in
                for n in FixtureName.all {
                    let id = try #require(found[n.name])
                    for q in n.queries {
                        let api = try await client.execute(uri: "/api/v1/people?q=\(query(q))", method: .get)
                        let people = try api.object()["people"] as? [[String: Any]] ?? []
                        #expect(people.contains { ($0["id"] as? Int).map(Int64.init) == id.rawValue }, "API q=\(q) for \(n.name)")
                        let page = try await client.execute(uri: "/people?q=\(query(q))", method: .get)
                        #expect(page.status == .ok && page.text.contains("href=\"/people/\(id)\""), "page q=\(q) for \(n.name)")
                    }
                }
            }
        }
    }

    @Test("each name is found by every query through people show, people search and rapport search")
    func commandLine() async throws {
        try await Circle.with { c in
            for n in FixtureName.all {
                let added = await c.cli("people", "add", n.typed, "--json")
                #expect(added.code == 0, "\(n.name): \(added.err)")
            }
            for (index, n) in FixtureName.all.enumerated() {
                let id = index + 1
                for q in n.queries {
                    let shown = await c.cli("people", "show", q, "--json")
                    #expect(shown.code == 0 && (try? shown.object()["id"] as? Int) == id, "people show \(q): \(shown.err)")
                    let searched = await c.cli("people", "search", q, "--json")
                    let hits = (try? searched.list()) ?? []
                    let hit = hits.first { ($0["person"] as? [String: Any])?["id"] as? Int == id }
                    #expect(hit != nil, "people search \(q) for \(n.name)")
                    #expect((hit?["matchedIn"] as? [String])?.contains("name") == true, "matched in: \(q)")
                    let everything = await c.cli("search", q, "--json")
                    let people = (try? everything.object()["people"] as? [[String: Any]]) ?? []
                    #expect(people.contains { ($0["person"] as? [String: Any])?["id"] as? Int == id }, "rapport search \(q) for \(n.name)")
                }
            }
        }
    }
}
