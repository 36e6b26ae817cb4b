import Foundation
import RapportCore
import SQLKit

/// One conversation of a bulk write, with the feedback heard in it (the store ties each piece to the conversation
/// and dates it by it).
public struct BulkConversation: Sendable {
    public var details: ConversationDetails
    public var feedback: [FeedbackDetails]

    public init(details: ConversationDetails, feedback: [FeedbackDetails] = []) {
        self.details = details
        self.feedback = feedback
    }
}

/// Many rows at once, through the same row writers as single writes: each row is checked by the same rules, keyed,
/// indexed for search and seen by the same triggers (`people.last_contact_at`, the theme links' time and person), so
/// a circle written in bulk is the circle the single writes would make. One transaction per call, under the circle's
/// lock; companies, personas and themes are looked up once per call. `rapport demo generate` writes through it.
public struct BulkRepository: Sendable {
    let store: Store

    /// Adds `people` (each checked by ``PersonRules``) in one transaction and returns their ids, in order. Personas they
    /// name must exist.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` for the first person that breaks a rule (nothing is written then).
    public func addPeople(_ people: [PersonDetails], as owner: AccountID) async throws -> [PersonID] {
        let timeZones = store.timeZones, today = store.now(), now = store.stamp()
        let checked = try people.map { try PersonRules.validate($0, timeZones: timeZones, today: today).details }
        let dialect = store.dialect
        return try await store.transaction { db in
            try await dialect.lockCircle(of: owner, on: db)
            var personas: [String: Int64] = [:], companies: [String: Int64] = [:]
            var ids: [PersonID] = []
            for d in checked {
                var personaIDs: [Int64] = []
                for name in d.personas {
                    if let id = personas[name.matchingKey] { personaIDs.append(id); continue }
                    let id = try await PersonRows.personaIDs([name], owner: owner, on: db)
                    personas[name.matchingKey] = id.first
                    personaIDs += id
                }
                var companyID: Int64?
                if let company = d.company {
                    if let id = companies[company.matchingKey] { companyID = id } else {
                        companyID = try await PersonRows.companyID(company, owner: owner, now: now, on: db)
                        companies[company.matchingKey] = companyID
                    }
                }
                ids.append(PersonID(try await PersonRows.insert(d, personaIDs: personaIDs, companyID: .some(companyID), owner: owner, now: now, on: db)))
            }
            return ids
        }
    }

    /// Logs `conversations` with their feedback (each checked by ``ConversationRules`` and ``FeedbackRules``) in one
    /// transaction; returns how many pieces of feedback were written.
    ///
    /// Rows go in many to a statement, with ids reserved first (SQLite: after the largest, under the write lock;
    /// PostgreSQL: from the table's sequence), so the rows are the ones ``ConversationRepository/log(_:followUps:feedback:as:)``
    /// writes: the same columns, people, answers, search documents, theme links (with their feedback's time and
    /// person) and keys; the triggers fill `people.last_contact_at`, and the theme figures are added grouped
    /// (``ThemeFigureTables/addingLinks(of:feedback:mentions:on:_:)``).
    ///
    /// - Throws: ``RapportError/invalid(_:)`` for the first conversation or piece of feedback that breaks a rule, or names
    ///   someone who is not in the circle (nothing is written then).
    public func logConversations(_ conversations: [BulkConversation], as owner: AccountID) async throws -> Int {
        let now = store.stamp(), clock = store.now()
        let checked = try conversations.map { c in
            (try ConversationRules.validate(c.details, now: clock), try c.feedback.map(FeedbackRules.validate))
        }
        guard !checked.isEmpty else { return 0 }
        let dialect = store.dialect
        let stamp = Timestamp.string(now)
        return try await store.transaction { db in
            try await dialect.lockCircle(of: owner, on: db)
            // Everyone named, with their company (a conversation is filed under its first person's unless named).
            let named = Array(Set(checked.flatMap { $0.0.people.map(\.rawValue) + $0.1.map(\.person.rawValue) }))
            var companyOf: [Int64: Int64?] = [:]
            for chunk in named.chunked(by: 500) {
                for row in try await db.select().columns("id", "company_id").from("people")
                    .where("owner_id", .equal, owner.rawValue).where("id", .in, Array(chunk)).all() {
                    companyOf[try row.decode(column: "id", as: Int64.self)] = try row.value("company_id", as: Int64.self)
                }
            }
            if let missing = named.first(where: { companyOf[$0] == nil }) {
                throw RapportError.invalid("people", "no person #\(missing) in your circle; name people who are in it")
            }
            var companies: [String: Int64] = [:], themes: [String: Int64] = [:]
            let conversationIDs = try await Self.reserve(checked.count, in: "conversations", dialect: dialect, on: db)
            let feedbackIDs = try await Self.reserve(checked.map(\.1.count).reduce(0, +), in: "feedback", dialect: dialect, on: db)
            var rows: [[any Encodable & Sendable]] = [], links: [[any Encodable & Sendable]] = [], answers: [[any Encodable & Sendable]] = []
            var heard: [[any Encodable & Sendable]] = [], tagged: [[any Encodable & Sendable]] = []
            var mentions: [Int64: Int] = [:]  // links written per theme
            var documents: [(id: Int64, document: SearchDocument)] = [], feedbackDocuments: [(id: Int64, document: SearchDocument)] = []
            var nextFeedback = feedbackIDs.makeIterator()
            var columns: [String] = []
            for ((d, feedback), id) in zip(checked, conversationIDs) {
                try await ConversationRows.checkGuide(d.guide, owner: owner, on: db)
                var companyID: Int64?
                if let name = d.company {
                    if let known = companies[name.matchingKey] { companyID = known } else {
                        companyID = try await PersonRows.companyID(name, owner: owner, now: now, on: db)
                        companies[name.matchingKey] = companyID
                    }
                } else if let first = d.people.first {
                    companyID = companyOf[first.rawValue] ?? nil
                }
                let values = ConversationRows.columns(d, companyID: companyID)
                    + [("id", id), ("owner_id", owner.rawValue), ("created_at", stamp), ("updated_at", stamp)]
                columns = values.map(\.0)
                rows.append(values.map(\.1))
                for (position, person) in d.people.enumerated() {
                    links.append([owner.rawValue, id, person.rawValue, Int64(position), Timestamp.string(d.at), d.direction.rawValue, d.kind.rawValue])
                }
                for a in d.answers {
                    answers.append([owner.rawValue, id, Int64(a.position), a.questionId?.rawValue, a.question, a.answer])
                }
                documents.append((id, ConversationRows.document(d)))
                for f in feedback {
                    guard let fid = nextFeedback.next() else { break }
                    // As FeedbackRows.insert: dated by the conversation, second-hand when it is, unless said.
                    let secondhand = f.secondhand ?? (d.kind == .secondhand)
                    heard.append([owner.rawValue, f.person.rawValue, id, f.kind.rawValue, f.text, f.quote, f.area, f.severity.map(Int64.init),
                                  secondhand, Timestamp.string(d.at), stamp, stamp, fid])
                    var seen = Set<Int64>()
                    for (position, name) in f.themes.enumerated() {
                        let theme: Int64
                        if let known = themes[Themes.key(name)] { theme = known } else {
                            theme = try await FeedbackRows.themeID(name, owner: owner, now: now, on: db)
                            themes[Themes.key(name)] = theme
                        }
                        guard seen.insert(theme).inserted else { continue }
                        tagged.append([owner.rawValue, fid, theme, Int64(position), Timestamp.string(d.at), f.person.rawValue])
                        mentions[theme, default: 0] += 1
                    }
                    feedbackDocuments.append((fid, FeedbackRows.document(f)))
                }
            }
            try await Self.insert("conversations", columns, rows, on: db)
            try await Self.insert("conversation_people", ["owner_id", "conversation_id", "person_id", "position", "occurred_at", "direction", "kind"], links, on: db)
            try await Self.insert("conversation_answers", ["owner_id", "conversation_id", "position", "question_id", "question", "answer"], answers, on: db)
            try await SearchIndex.insertMany(kind: .conversation, documents, owner: owner, on: db)
            try await Self.insert("feedback", ["owner_id", "person_id", "conversation_id", "kind", "text", "quote", "area", "severity", "secondhand",
                                               "occurred_at", "created_at", "updated_at", "id"], heard, on: db)
            try await ThemeFigureTables.addingLinks(of: owner, feedback: feedbackIDs, mentions: mentions, on: db) {
                try await Self.insert("feedback_themes", ["owner_id", "feedback_id", "theme_id", "position", "occurred_at", "person_id"], tagged, on: db)
            }
            try await SearchIndex.insertMany(kind: .feedback, feedbackDocuments, owner: owner, on: db)
            return heard.count
        }
    }

    /// `count` new ids for `table`: after the largest on SQLite (the transaction holds the write lock), from the
    /// column's sequence on PostgreSQL (safe beside other writers).
    static func reserve(_ count: Int, in table: String, dialect: Dialect, on db: any SQLDatabase) async throws -> [Int64] {
        guard count > 0 else { return [] }
        switch dialect {
        case .sqlite:
            let largest = try await db.select().column(SQLFunction("coalesce", args: SQLFunction("max", args: SQLColumn("id")), SQLLiteral.numeric("0")), as: "largest")
                .from(table).first(decodingColumn: "largest", as: Int64.self) ?? 0
            return (1...Int64(count)).map { largest + $0 }
        case .postgres:
            let sql: SQLQueryString = "SELECT nextval(pg_get_serial_sequence(\(bind: table), 'id')) AS id FROM generate_series(1, \(bind: Int64(count)))"
            return try await db.raw(sql).all(decodingColumn: "id", as: Int64.self).sorted()
        }
    }

    /// Rows into `table`, as many to a statement as stay well under either database's limit on bound values.
    static func insert(_ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]], on db: any SQLDatabase) async throws {
        guard !rows.isEmpty, !columns.isEmpty else { return }
        for chunk in rows.chunked(by: max(1, 20_000 / columns.count)) {
            var insert = db.insert(into: table).columns(columns)
            for row in chunk { insert = insert.values(row) }
            try await insert.run()
        }
    }
}
