import RapportCore
import SQLKit

extension SearchIndex {
    /// Writes the whole index again from what it indexes (people, conversations, feedback), with the documents every
    /// write makes. Runs inside the caller's transaction.
    static func rebuild(on db: any SQLDatabase) async throws {
        for kind in SearchKind.allCases { try await db.delete(from: kind.table).run() }
        try await each("people", on: db) { ids, owner in
            for p in try await PersonRows.load(ids, owner: owner, on: db) { try await PersonRows.index(p.id.rawValue, p.details, owner: owner, on: db) }
        }
        try await each("conversations", on: db) { ids, owner in
            for c in try await ConversationRows.load(ids, owner: owner, on: db) {
                try await ConversationRows.index(c.id.rawValue, c.details, owner: owner, on: db)
            }
        }
        try await each("feedback", on: db) { ids, owner in
            for f in try await FeedbackRows.load(ids, owner: owner, on: db) { try await FeedbackRows.index(f.id.rawValue, f.details, owner: owner, on: db) }
        }
    }

    /// Calls `body` with the ids of `table`, a chunk at a time, one owner at a time.
    private static func each(
        _ table: String, on db: any SQLDatabase, _ body: ([Int64], AccountID) async throws -> Void
    ) async throws {
        let rows = try await db.select().columns("id", "owner_id").from(table).orderBy("owner_id").orderBy("id").all()
        var byOwner: [(Int64, [Int64])] = []
        for row in rows {
            let owner = try row.decode(column: "owner_id", as: Int64.self)
            let id = try row.decode(column: "id", as: Int64.self)
            if byOwner.last?.0 == owner { byOwner[byOwner.count - 1].1.append(id) } else { byOwner.append((owner, [id])) }
        }
        for (owner, ids) in byOwner {
            var start = 0
            while start < ids.count {
                try await body(Array(ids[start..<min(start + PersonRows.chunk, ids.count)]), AccountID(owner))
                start += PersonRows.chunk
            }
        }
    }
}
