import Foundation
import RapportCore
import SQLKit

/// What to list from the question bank.
public struct QuestionFilter: Sendable, Equatable {
    public var tag: String?
    public var includeRetired: Bool

    public init(tag: String? = nil, includeRetired: Bool = false) {
        self.tag = tag
        self.includeRetired = includeRetired
    }
}

/// The question bank: add, change, retire, list, with how each question has done.
public struct QuestionRepository: Sendable {
    let store: Store

    /// Adds a question; the same text (in any letter case) twice is refused with the id it already has.
    public func add(_ details: QuestionDetails, as owner: AccountID) async throws -> Question {
        let d = try QuestionRules.validate(details)
        let now = store.stamp()
        return try await store.transaction { db in
            try await QuestionRows.checkTextFree(d.text, except: nil, owner: owner, on: db)
            let id = try await QuestionRows.insert(d, owner: owner, now: now, on: db)
            return try await QuestionRows.one(id, owner: owner, on: db)
        }
    }

    /// Changes a question's text or tags in one transaction. Answers already given keep the question as asked.
    public func update(
        _ id: QuestionID, as owner: AccountID, _ change: @escaping @Sendable (inout QuestionDetails) throws -> Void
    ) async throws -> Question {
        let now = store.stamp()
        return try await store.transaction { db in
            var details = try await QuestionRows.one(id.rawValue, owner: owner, on: db).details
            try change(&details)
            let d = try QuestionRules.validate(details)
            try await QuestionRows.checkTextFree(d.text, except: id.rawValue, owner: owner, on: db)
            try await db.update("questions").set("text", to: d.text).set("text_key", to: QuestionRows.key(d.text))
                .set("tags", to: try QuestionRows.json(d.tags)).set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            return try await QuestionRows.one(id.rawValue, owner: owner, on: db)
        }
    }

    /// Retires a question (or brings it back): retired questions stay in guides and answers but are not offered.
    public func setRetired(_ id: QuestionID, _ retired: Bool, as owner: AccountID) async throws -> Question {
        let now = store.stamp()
        return try await store.transaction { db in
            _ = try await QuestionRows.one(id.rawValue, owner: owner, on: db)
            try await db.update("questions").set("retired", to: retired).set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            return try await QuestionRows.one(id.rawValue, owner: owner, on: db)
        }
    }

    /// The question `ref` names: an id (`12`, `#12`), or a question's text, added to the bank when it is new.
    public func ensure(_ ref: String, as owner: AccountID) async throws -> Question {
        let trimmed = ref.trimmed
        if trimmed.idNumber != nil { return try await find(trimmed, as: owner) }
        let d = try QuestionRules.validate(QuestionDetails(text: trimmed))
        let now = store.stamp()
        return try await store.transaction { db in
            if let id = try await db.select().column("id").from("questions").where("owner_id", .equal, owner.rawValue)
                .where("text_key", .equal, QuestionRows.key(d.text)).first(decodingColumn: "id", as: Int64.self) {
                return try await QuestionRows.one(id, owner: owner, on: db)
            }
            return try await QuestionRows.one(try await QuestionRows.insert(d, owner: owner, now: now, on: db), owner: owner, on: db)
        }
    }

    public func get(_ id: QuestionID, as owner: AccountID) async throws -> Question {
        try await store.withSession { db in try await QuestionRows.one(id.rawValue, owner: owner, on: db) }
    }

    /// The question with id `ref` (`12`, `#12`).
    public func find(_ ref: String, as owner: AccountID) async throws -> Question {
        guard let number = ref.idNumber else {
            throw RapportError.invalid("question", "\"\(ref.trimmed)\" is not a question id; see the ids with `rapport questions list`")
        }
        return try await get(QuestionID(number), as: owner)
    }

    /// The bank in the order questions were added, with usage.
    public func list(_ filter: QuestionFilter = QuestionFilter(), as owner: AccountID) async throws -> [Question] {
        try await store.withSession { db in
            var query = db.select().column(SQLLiteral.all).from("questions").where("owner_id", .equal, owner.rawValue)
            if !filter.includeRetired { query = query.where("retired", .equal, false) }
            let all = try await QuestionRows.rows(query.orderBy("id"), owner: owner, on: db)
            guard let tag = filter.tag?.trimmed.lowercased(), !tag.isEmpty else { return all }
            return all.filter { $0.tags.contains(tag) }
        }
    }
}

/// Reads and writes the rows behind ``Question``, inside the caller's session or transaction.
enum QuestionRows {
    static func key(_ text: String) -> String { text.matchingKey }

    static func json(_ tags: [String]) throws -> String {
        String(decoding: try JSONEncoder().encode(tags), as: UTF8.self)
    }

    /// Adds the articles' starter questions the account does not have yet.
    static func seedStarters(owner: AccountID, now: Date, on db: any SQLDatabase) async throws {
        let stamp = Timestamp.truncate(now)
        for starter in StarterQuestions.all {
            let d = try QuestionRules.validate(starter)
            let exists = try await db.select().column("id").from("questions")
                .where("owner_id", .equal, owner.rawValue).where("text_key", .equal, key(d.text)).first() != nil
            if !exists { _ = try await insert(d, owner: owner, now: stamp, on: db) }
        }
    }

    static func insert(_ d: QuestionDetails, owner: AccountID, now: Date, on db: any SQLDatabase) async throws -> Int64 {
        let stamp = Timestamp.string(now)
        let id = try await db.insert(into: "questions")
            .columns("owner_id", "text", "text_key", "tags", "retired", "created_at", "updated_at")
            .values(owner.rawValue, d.text, key(d.text), try json(d.tags), false, stamp, stamp)
            .returning("id").first(decodingColumn: "id", as: Int64.self)
        guard let id else { throw RapportError.storage("the database did not return the new question's id") }
        return id
    }

    static func checkTextFree(_ text: String, except: Int64?, owner: AccountID, on db: any SQLDatabase) async throws {
        var query = db.select().column("id").from("questions")
            .where("owner_id", .equal, owner.rawValue).where("text_key", .equal, key(text))
        if let except { query = query.where("id", .notEqual, except) }
        if let id = try await query.first(decodingColumn: "id", as: Int64.self) {
            throw RapportError.conflict(field: "text", message: "that question is already in the bank as #\(id); use it, or change it with `rapport questions edit \(id)`")
        }
    }

    static func one(_ id: Int64, owner: AccountID, on db: any SQLDatabase) async throws -> Question {
        let query = db.select().column(SQLLiteral.all).from("questions")
            .where("owner_id", .equal, owner.rawValue).where("id", .equal, id)
        guard let found = try await rows(query, owner: owner, on: db).first else {
            throw RapportError.notFound(.question, "#\(id)")
        }
        return found
    }

    /// The questions `query` selects, with their usage.
    static func rows(_ query: SQLSelectBuilder, owner: AccountID, on db: any SQLDatabase) async throws -> [Question] {
        let rows = try await query.all()
        let ids = try rows.map { try $0.decode(column: "id", as: Int64.self) }
        let usage = try await self.usage(ids, owner: owner, on: db)
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            return Question(
                id: QuestionID(id), text: try row.decode(column: "text", as: String.self),
                tags: try row.jsonStrings("tags"),
                retired: try row.decode(column: "retired", as: Bool.self), usage: usage[id] ?? QuestionUsage(),
                createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
                updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast)
        }
    }

    /// How often each question was answered, and how often at length.
    static func usage(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Int64: QuestionUsage] {
        guard !ids.isEmpty else { return [:] }
        let long = SQLFunction("SUM", args: SQLRaw("CASE WHEN length(answer) > \(QuestionUsage.longAnswer) THEN 1 ELSE 0 END"))
        let rows = try await db.select()
            .column("question_id")
            .column(SQLFunction("COUNT", args: SQLLiteral.all), as: "asked")
            .column(long, as: "long_answers")
            .from("conversation_answers")
            .where("owner_id", .equal, owner.rawValue)
            .where("question_id", .in, ids)
            .groupBy("question_id")
            .all()
        var out: [Int64: QuestionUsage] = [:]
        for row in rows {
            out[try row.decode(column: "question_id", as: Int64.self)] = QuestionUsage(
                asked: Int(try row.decode(column: "asked", as: Int64.self)),
                longAnswers: Int(try row.value("long_answers", as: Int64.self) ?? 0))
        }
        return out
    }
}
