import Foundation
import RapportCore
import SQLKit

/// Interview guides: an objective and bank questions in order; sheets filled for a person; answers for a conversation.
public struct GuideRepository: Sendable {
    let store: Store

    /// Adds a guide; its questions must be in the bank and not retired, its personas must exist.
    public func add(_ details: GuideDetails, as owner: AccountID) async throws -> Guide {
        let d = try GuideRules.validate(details)
        let now = store.stamp()
        return try await store.transaction { db in
            try await GuideRows.checkNameFree(d.name, except: nil, owner: owner, on: db)
            try await GuideRows.checkQuestions(d.questions, allowedRetired: [], owner: owner, on: db)
            let stamp = Timestamp.string(now)
            let id = try await db.insert(into: "guides")
                .columns("owner_id", "name", "name_key", "objective", "created_at", "updated_at")
                .values(owner.rawValue, d.name, d.name.matchingKey, d.objective, stamp, stamp)
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            guard let id else { throw RapportError.storage("the database did not return the new guide's id") }
            try await GuideRows.writeChildren(id, d, owner: owner, on: db)
            return try await GuideRows.one(id, owner: owner, on: db)
        }
    }

    /// Changes a guide in one transaction: reads it as stored, makes `patch`, checks and writes.
    public func update(_ ref: String, with patch: GuidePatch, as owner: AccountID) async throws -> Guide {
        let now = store.stamp()
        return try await store.transaction { db in
            let id = try await GuideRows.id(named: ref, owner: owner, on: db)
            let before = try await GuideRows.one(id, owner: owner, on: db)
            let d = try GuideRules.validate(try patch.applied(to: before.details))
            try await GuideRows.checkNameFree(d.name, except: id, owner: owner, on: db)
            // A question retired after it went into the guide may stay; a retired one may not be added.
            try await GuideRows.checkQuestions(d.questions, allowedRetired: Set(before.questions.map(\.id)), owner: owner, on: db)
            try await db.update("guides").set("name", to: d.name).set("name_key", to: d.name.matchingKey)
                .set("objective", to: d.objective).set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id).where("owner_id", .equal, owner.rawValue).run()
            try await GuideRows.writeChildren(id, d, owner: owner, on: db)
            return try await GuideRows.one(id, owner: owner, on: db)
        }
    }

    /// The guide named `ref` (any letter case) or with that id.
    public func get(_ ref: String, as owner: AccountID) async throws -> Guide {
        try await store.withSession { db in
            try await GuideRows.one(try await GuideRows.id(named: ref, owner: owner, on: db), owner: owner, on: db)
        }
    }

    /// Every guide, by name.
    public func list(as owner: AccountID) async throws -> [Guide] {
        try await store.withSession { db in
            let ids = try await db.select().column("id").from("guides").where("owner_id", .equal, owner.rawValue)
                .orderBy("name_key").all(decodingColumn: "id", as: Int64.self)
            var out: [Guide] = []
            for id in ids { out.append(try await GuideRows.one(id, owner: owner, on: db)) }
            return out
        }
    }

    /// Deletes a guide; conversations that ran it keep their answers.
    public func delete(_ ref: String, as owner: AccountID) async throws -> Guide {
        try await store.transaction { db in
            let id = try await GuideRows.id(named: ref, owner: owner, on: db)
            let guide = try await GuideRows.one(id, owner: owner, on: db)
            try await db.delete(from: "guides").where("id", .equal, id).where("owner_id", .equal, owner.rawValue).run()
            return guide
        }
    }

    /// The guide made ready for `person` (or for nobody in particular): filled questions, small talk, last conversation.
    public func sheet(_ ref: String, for person: PersonID?, as owner: AccountID) async throws -> GuideSheet {
        let guide = try await get(ref, as: owner)
        let clock = try await store.clock(as: owner)
        guard let person else {
            return GuideSheet.build(guide, for: nil, last: nil, product: clock.settings.value("product"), now: clock.now, zone: clock.zone)
        }
        let found = try await store.people.get(person, as: owner)
        let last = try await store.conversations.list(ConversationFilter(person: person, limit: 1), as: owner).first
        return GuideSheet.build(guide, for: found, last: last, product: clock.settings.value("product"), now: clock.now, zone: clock.zone)
    }

    /// Answers typed by position for `guide`, with the questions filled as asked of `person`.
    public func answers(_ typed: [(Int, String)], guide ref: String, person: PersonID?, as owner: AccountID) async throws -> (Guide, [ConversationAnswer]) {
        let guide = try await get(ref, as: owner)
        let product = try await store.settings.get(as: owner).value("product")
        let found = try await person.asyncMap { try await store.people.get($0, as: owner) }
        return (guide, try GuideRun.answers(typed, guide: guide, person: found, product: product))
    }
}

/// Reads and writes the rows behind ``Guide``, inside the caller's session or transaction.
enum GuideRows {
    /// The id of the guide named `ref` (any letter case), or with that id (`12`, `#12`).
    static func id(named ref: String, owner: AccountID, on db: any SQLDatabase) async throws -> Int64 {
        try await NamedRows.id(ref, table: "guides", owner: owner, on: db) { name, closest in
            if let closest { return RapportError.invalid("guide", "no guide is named \"\(name)\"; did you mean \"\(closest)\"?") }
            return RapportError.invalid("guide", "no guide is named \"\(name)\"; see them with `rapport guides list`, or add it with `rapport guides add \"\(name)\" --objective TEXT`")
        }
    }

    static func checkNameFree(_ name: String, except: Int64?, owner: AccountID, on db: any SQLDatabase) async throws {
        if let stored = try await NamedRows.taken(name, table: "guides", except: except, owner: owner, on: db) {
            throw RapportError.conflict(field: "name", message: "a guide named \"\(stored.name)\" already exists; choose another name, or change it with `rapport guides edit \"\(stored.name)\"`")
        }
    }

    /// Fails unless every question is in the account's bank and, unless allowed, not retired.
    static func checkQuestions(_ ids: [QuestionID], allowedRetired: Set<QuestionID>, owner: AccountID, on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let rows = try await db.select().columns("id", "retired").from("questions")
            .where("owner_id", .equal, owner.rawValue).where("id", .in, ids.map(\.rawValue)).all()
        var retired: [Int64: Bool] = [:]
        for row in rows { retired[try row.decode(column: "id", as: Int64.self)] = try row.decode(column: "retired", as: Bool.self) }
        let errors = FieldErrors()
        for id in ids {
            switch retired[id.rawValue] {
            case nil: errors.append("question", "no question #\(id) in the bank; see the ids with `rapport questions list`")
            case true? where !allowedRetired.contains(id):
                errors.append("question", "question #\(id) is retired; bring it back with `rapport questions retire \(id) --undo`, or pick another")
            default: break
            }
        }
        try errors.throwIfAny()
    }

    static func writeChildren(_ id: Int64, _ d: GuideDetails, owner: AccountID, on db: any SQLDatabase) async throws {
        let personas = try await PersonRows.personaIDs(d.personas, owner: owner, on: db)
        try await db.delete(from: "guide_questions").where("guide_id", .equal, id).run()
        try await db.delete(from: "guide_personas").where("guide_id", .equal, id).run()
        for (index, question) in d.questions.enumerated() {
            try await db.insert(into: "guide_questions").columns("owner_id", "guide_id", "question_id", "position")
                .values(owner.rawValue, id, question.rawValue, Int64(index + 1)).run()
        }
        for (index, persona) in personas.enumerated() {
            try await db.insert(into: "guide_personas").columns("owner_id", "guide_id", "persona_id", "position")
                .values(owner.rawValue, id, persona, Int64(index)).run()
        }
    }

    static func one(_ id: Int64, owner: AccountID, on db: any SQLDatabase) async throws -> Guide {
        guard let row = try await db.select().column(SQLLiteral.all).from("guides")
            .where("owner_id", .equal, owner.rawValue).where("id", .equal, id).first() else {
            throw RapportError.notFound(.guide, "#\(id)")
        }
        let order = try await db.select().columns("question_id", "position").from("guide_questions")
            .where("guide_id", .equal, id).orderBy("position").all()
        let questionIDs = try order.map { try $0.decode(column: "question_id", as: Int64.self) }
        let query = db.select().column(SQLLiteral.all).from("questions")
            .where("owner_id", .equal, owner.rawValue).where("id", .in, questionIDs.isEmpty ? [-1] : questionIDs)
        let byID = Dictionary(firstOf: try await QuestionRows.rows(query, owner: owner, on: db).map { ($0.id.rawValue, $0) })
        let questions = questionIDs.compactMap { byID[$0] }.enumerated().map { GuideQuestion(position: $0.offset + 1, question: $0.element) }
        let personas = try await db.select().column(SQLColumn("name", table: "personas")).from("guide_personas")
            .join("personas", on: SQLColumn("id", table: "personas"), .equal, SQLColumn("persona_id", table: "guide_personas"))
            .where(SQLColumn("guide_id", table: "guide_personas"), .equal, SQLBind(id))
            .orderBy(SQLColumn("position", table: "guide_personas"))
            .all(decodingColumn: "name", as: String.self)
        return Guide(
            id: GuideID(id), name: try row.decode(column: "name", as: String.self),
            objective: try row.decode(column: "objective", as: String.self), personas: personas, questions: questions,
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
            updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast)
    }
}
