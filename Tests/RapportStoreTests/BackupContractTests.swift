import Foundation
import RapportCore
import RapportStore
import Testing

@Suite("Backups: daily snapshots and restoring over a circle")
struct BackupContractTests {
    static func folder() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("rapport-backups-\(UUID().uuidString)")
    }

    @Test("one snapshot a day, never two; the newest kept, the rest removed; keep 0 writes none", arguments: Backend.available)
    func daily(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.people.add(PersonDetails(name: "Maren Holt"), as: t.account)
            let folder = Self.folder()
            defer { try? FileManager.default.removeItem(at: folder) }
            let ext = backend == .sqlite ? "sqlite" : "json"
            for day in 1...5 {
                let written = try await t.store.backups.daily(in: folder, keep: 3, today: CalendarDay(year: 2026, month: 11, day: day), as: t.account)
                #expect(written?.lastPathComponent == "rapport-2026-11-0\(day).\(ext)")
            }
            let again = try await t.store.backups.daily(in: folder, keep: 3, today: CalendarDay(year: 2026, month: 11, day: 5), as: t.account)
            #expect(again == nil)
            let files = try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
            #expect(files == (3...5).map { "rapport-2026-11-0\($0).\(ext)" })
            let mode = try FileManager.default.attributesOfItem(atPath: folder.appendingPathComponent(files[0]).path)[.posixPermissions] as? Int
            #expect(mode == 0o600)
            let document = try await BackupRepository.document(in: folder.appendingPathComponent(files[2]), account: t.account)
            #expect(document.tables["people"]?.first?["name"] == .string("Maren Holt"))
            let off = Self.folder()
            #expect(try await t.store.backups.daily(in: off, keep: 0, today: CalendarDay(year: 2026, month: 11, day: 6), as: t.account) == nil)
            #expect(!FileManager.default.fileExists(atPath: off.path))
        }
    }

    @Test("restoring over a circle replaces it whole, in one transaction; a damaged export leaves it as it was", arguments: Backend.available)
    func replacing(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.people.add(PersonDetails(name: "Maren Holt"), as: t.account)
            let saved = try await t.store.exports.export(includeSecrets: true, as: t.account)
            _ = try await t.people.add(PersonDetails(name: "Jon Berg"), as: t.account)
            var damaged = saved
            damaged.tables["person_emails"] = [["id": .int(1), "person_id": .int(999_999), "value": .string("x@y.example"), "label": .null, "position": .int(0)]]
            await #expect(throws: RapportError.self) { try await t.store.exports.restore(damaged, merge: false, replacing: true, as: t.account) }
            #expect(try await t.people.all(as: t.account).map(\.name).sorted() == ["Jon Berg", "Maren Holt"])
            _ = try await t.store.exports.restore(saved, merge: false, replacing: true, as: t.account)
            #expect(try await t.people.all(as: t.account).map(\.name) == ["Maren Holt"])
            #expect(try await t.people.search("maren", as: t.account).count == 1, "the search index is rebuilt")
        }
    }
}
