import Foundation
import RapportCore
import RapportStore

/// The databases the contract runs on: SQLite always, PostgreSQL when `RAPPORT_TEST_POSTGRES_URL` is set.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [Backend] {
        ProcessInfo.processInfo.environment["RAPPORT_TEST_POSTGRES_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }

    var testDescription: String { rawValue }

    /// A fresh store and a fresh account. Each test owns its account, so tests on a shared PostgreSQL database
    /// never see each other's rows: the owner scoping under test keeps them apart.
    func open(now: @escaping @Sendable () -> Date = { fixedNow }) async throws -> TestStore {
        let location: DatabaseLocation
        var folder: URL?
        switch self {
        case .sqlite:
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-test-\(UUID().uuidString)")
            folder = dir
            location = .sqlite(path: dir.appendingPathComponent("nested/rapport.sqlite").path)
        case .postgres:
            location = .postgres(url: ProcessInfo.processInfo.environment["RAPPORT_TEST_POSTGRES_URL"] ?? "")
        }
        let store = try await Store.open(location, now: now)
        do {
            let account = try await store.createAccount(named: "test-\(UUID().uuidString)")
            return TestStore(store: store, account: account, folder: folder)
        } catch {
            await store.close()
            throw error
        }
    }
}

import Testing

/// 2026-11-23 (a Monday) 09:00 UTC.
let fixedNow = Date(timeIntervalSince1970: 1_795_392_000 + 9 * 3600)

struct TestStore {
    let store: Store
    let account: AccountID
    let folder: URL?

    var people: PeopleRepository { store.people }
    var personas: PersonaRepository { store.personas }

    func close() async {
        await store.close()
        if let folder { try? FileManager.default.removeItem(at: folder) }
    }

    /// Runs `body` with a fresh store and always closes it.
    static func with(_ backend: Backend, _ body: (TestStore) async throws -> Void) async throws {
        let t = try await backend.open()
        do {
            try await body(t)
        } catch {
            // PostgreSQL's errors print only a generic line; the detail (state, message, query) says what failed.
            if !(error is RapportError) { Issue.record("\(String(reflecting: error).prefix(2_000))") }
            await t.close()
            throw error
        }
        await t.close()
    }
}

func details(_ name: String, _ configure: (inout PersonDetails) -> Void = { _ in }) -> PersonDetails {
    var d = PersonDetails(name: name)
    configure(&d)
    return d
}

func failure(_ body: () async throws -> Void) async -> RapportError? {
    do {
        try await body()
        return nil
    } catch let error as RapportError {
        return error
    } catch {
        return .storage("unexpected: \(error)")
    }
}
