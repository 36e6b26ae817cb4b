import Foundation
import RapportCore
@testable import RapportStore
import SQLKit
import Testing

/// Each migration's CHECK lists are literal text, frozen when the step shipped; this keeps them equal to the
/// enums the code writes, so a new case is never refused by the database (add a migration that widens the CHECK).
@Suite("Schema CHECK lists")
struct CheckListTests {
    static let expected: [String: [String]] = [
        "people.stage": Stage.allCases.map(\.rawValue),
        "people.source": Source.allCases.map(\.rawValue),
        "people.preferred_channel": Channel.allCases.map(\.rawValue),
        "conversations.kind": ConversationKind.allCases.map(\.rawValue),
        "conversations.direction": Direction.allCases.map(\.rawValue),
        "conversations.met": ObjectiveMet.allCases.map(\.rawValue),
        "campaigns.state": CampaignState.allCases.map(\.rawValue),
        "attempts.outcome": AttemptOutcome.allCases.map(\.rawValue),
        "campaign_recipients.status": RecipientStatus.allCases.map(\.rawValue),
        "feedback.kind": FeedbackKind.allCases.map(\.rawValue),
        "feature_requests.status": FeatureRequestStatus.allCases.map(\.rawValue),
        "hypotheses.status": HypothesisStatus.allCases.map(\.rawValue),
        "goals.metric": GoalMetric.allCases.map(\.rawValue),
    ]

    @Test("each live CHECK list equals its enum's cases", arguments: Backend.available)
    func liveLists(_ backend: Backend) async throws {
        let t = try await backend.open()
        defer { Task { await t.close() } }
        let definitions: [(table: String, text: String)] = try await t.store.withSession { db in
            switch t.store.dialect {
            case .sqlite:
                return try await db.raw("SELECT name, sql FROM sqlite_master WHERE type = 'table'").all().map {
                    (try $0.decode(column: "name", as: String.self), try $0.decode(column: "sql", as: String?.self) ?? "")
                }
            case .postgres:
                return try await db.raw("""
                    SELECT rel.relname AS name, pg_get_constraintdef(con.oid) AS sql FROM pg_constraint con
                    JOIN pg_class rel ON rel.oid = con.conrelid JOIN pg_namespace ns ON ns.oid = rel.relnamespace
                    WHERE con.contype = 'c' AND ns.nspname = current_schema()
                    """).all().map { (try $0.decode(column: "name", as: String.self), try $0.decode(column: "sql", as: String.self)) }
            }
        }
        var found: [String: [String]] = [:]
        for (table, text) in definitions {
            for (key, _) in Self.expected where key.hasPrefix(table + ".") {
                let column = String(key.dropFirst(table.count + 1))
                // SQLite keeps the text as written (`stage IN ('a', 'b')`); PostgreSQL rewrites it
                // (`stage = ANY (ARRAY['a'::text, 'b'::text])`): read the quoted values after the column either way.
                guard let start = text.range(of: "(\(column) IN (") ?? text.range(of: "((\(column) = ANY") ?? text.range(of: "(\(column) = ANY")
                        ?? text.range(of: "\(column) IN (") else { continue }
                let rest = text[start.upperBound...]
                let end = rest.firstIndex(of: ")") ?? rest.endIndex
                found[key] = rest[..<end].matches(of: /'([^']*)'/).map { String($0.output.1) }
            }
        }
        for (key, cases) in Self.expected {
            #expect(found[key] == cases, "\(key): the database has \(found[key] ?? []), the code \(cases)")
        }
    }
}
