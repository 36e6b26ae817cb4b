import Foundation
import RapportCore
import SQLKit

/// Reads and writes the rows behind a ``Conversation`` and a ``FollowUp``, inside the caller's session.
enum ConversationRows {
    /// Conversations by id, in the order of `ids`, owned by `owner` only.
    static func load(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Conversation] {
        try await PersonRows.inChunks(ids, key: \.id.rawValue) { try await loadChunk($0, owner: owner, on: db) }
    }

    private static func loadChunk(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Conversation] {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.select()
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("conversations")))
            .column(SQLColumn("name", table: "companies"), as: "company_name")
            .column(SQLColumn("name", table: "guides"), as: "guide_name")
            .from("conversations")
            .join("companies", method: SQLJoinMethod.left, on: SQLColumn("company_id", table: "conversations"), .equal, SQLColumn("id", table: "companies"))
            .join("guides", method: SQLJoinMethod.left, on: SQLColumn("guide_id", table: "conversations"), .equal, SQLColumn("id", table: "guides"))
            .where(Owned.by("conversations", owner))
            .where(SQLColumn("id", table: "conversations"), .in, SQLBind.group(ids))
            .all()
        let links = try await db.select()
            .column(SQLColumn("conversation_id", table: "conversation_people"))
            .column(SQLColumn("person_id", table: "conversation_people"))
            .column(SQLColumn("name", table: "people"))
            .from("conversation_people")
            .join("people", on: SQLColumn("id", table: "people"), .equal, SQLColumn("person_id", table: "conversation_people"))
            .where(Owned.by("conversation_people", owner))
            .where(SQLColumn("conversation_id", table: "conversation_people"), .in, SQLBind.group(ids))
            .orderBy(SQLColumn("position", table: "conversation_people"))
            .all()
        let answerRows = try await db.select().columns("conversation_id", "position", "question_id", "question", "answer")
            .from("conversation_answers").where(Owned.by("conversation_answers", owner))
            .where("conversation_id", .in, ids).orderBy("position").all()
        var answers: [Int64: [ConversationAnswer]] = [:]
        for row in answerRows {
            answers[try row.decode(column: "conversation_id", as: Int64.self), default: []].append(ConversationAnswer(
                position: Int(try row.decode(column: "position", as: Int64.self)),
                questionId: try row.value("question_id", as: Int64.self).map(QuestionID.init),
                question: try row.decode(column: "question", as: String.self), answer: try row.decode(column: "answer", as: String.self)))
        }
        var people: [Int64: [PersonSummary]] = [:]
        for link in links {
            people[try link.decode(column: "conversation_id", as: Int64.self), default: []].append(PersonSummary(
                id: PersonID(try link.decode(column: "person_id", as: Int64.self)), name: try link.decode(column: "name", as: String.self)))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            let at = Timestamp.date(try row.decode(column: "occurred_at", as: String.self)) ?? .distantPast
            var d = ConversationDetails(kind: ConversationKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .call, at: at)
            d.durationMinutes = try row.value("duration_minutes", as: Int64.self).map { Int($0) }
            let summaries = people[id] ?? []
            d.people = summaries.map(\.id)
            d.unnamed = try row.value("unnamed", as: String.self)
            d.company = try row.value("company_name", as: String.self)
            d.direction = Direction(rawValue: try row.decode(column: "direction", as: String.self)) ?? .outbound
            d.objective = try row.value("objective", as: String.self)
            d.met = try row.value("met", as: String.self).flatMap(ObjectiveMet.init(rawValue:))
            d.notes = try row.decode(column: "notes", as: String.self)
            d.via = try row.value("via", as: String.self)
            d.answers = answers[id] ?? []
            let guideID = try row.value("guide_id", as: Int64.self)
            d.guide = guideID.map(GuideID.init)
            let guide = try guideID.map { GuideSummary(id: GuideID($0), name: try row.value("guide_name", as: String.self) ?? "#\($0)") }
            return Conversation(
                id: ConversationID(id), details: d, people: summaries, guide: guide,
                createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
                updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast)
        }
    }

    /// Fails unless every id names a person of `owner`.
    static func checkPeople(_ ids: [PersonID], owner: AccountID, on db: any SQLDatabase) async throws {
        guard !ids.isEmpty else { return }
        let found = Set(try await db.select().column("id").from("people")
            .where("owner_id", .equal, owner.rawValue).where("id", .in, ids.map(\.rawValue))
            .all(decodingColumn: "id", as: Int64.self))
        let missing = ids.filter { !found.contains($0.rawValue) }
        if !missing.isEmpty {
            throw RapportError.invalid("people", "no person " + missing.map { "#\($0)" }.joined(separator: ", ") + "; name people by id, email or part of the name")
        }
    }

    /// Fails unless `guide` is one of `owner`'s guides.
    static func checkGuide(_ guide: GuideID?, owner: AccountID, on db: any SQLDatabase) async throws {
        guard let guide else { return }
        if try await db.select().column("id").from("guides").where("owner_id", .equal, owner.rawValue)
            .where("id", .equal, guide.rawValue).first() == nil {
            throw RapportError.invalid("guide", "no guide #\(guide); see them with `rapport guides list`")
        }
    }

    /// The columns of `conversations` for `details`.
    static func columns(_ d: ConversationDetails, companyID: Int64?) -> [(String, any Encodable & Sendable)] {
        [("kind", d.kind.rawValue), ("occurred_at", Timestamp.string(d.at)), ("duration_minutes", d.durationMinutes.map(Int64.init)),
         ("company_id", companyID), ("direction", d.direction.rawValue), ("objective", d.objective), ("met", d.met?.rawValue),
         ("notes", d.notes), ("via", d.via), ("unnamed", d.unnamed), ("guide_id", d.guide?.rawValue)]
    }

    /// The company to file a conversation under: the one named, else the first person's.
    static func companyID(_ d: ConversationDetails, owner: AccountID, now: Date, on db: any SQLDatabase) async throws -> Int64? {
        if let name = d.company { return try await PersonRows.companyID(name, owner: owner, now: now, on: db) }
        guard let first = d.people.first else { return nil }
        return try await db.select().column("company_id").from("people")
            .where("owner_id", .equal, owner.rawValue).where("id", .equal, first.rawValue)
            .first(decodingColumn: "company_id", as: Int64?.self) ?? nil
    }

    /// Replaces the people of a conversation and its search document.
    static func writeChildren(_ id: Int64, _ d: ConversationDetails, owner: AccountID, on db: any SQLDatabase) async throws {
        try await db.delete(from: "conversation_people").where("conversation_id", .equal, id).run()
        for (position, person) in d.people.enumerated() {
            try await db.insert(into: "conversation_people")
                .columns("owner_id", "conversation_id", "person_id", "position", "occurred_at", "direction", "kind")
                .values(owner.rawValue, id, person.rawValue, Int64(position), Timestamp.string(d.at), d.direction.rawValue, d.kind.rawValue)
                .run()
        }
        try await db.delete(from: "conversation_answers").where("conversation_id", .equal, id).run()
        for a in d.answers {
            try await db.insert(into: "conversation_answers")
                .columns("owner_id", "conversation_id", "position", "question_id", "question", "answer")
                .values(owner.rawValue, id, Int64(a.position), a.questionId?.rawValue, a.question, a.answer).run()
        }
        try await index(id, d, owner: owner, on: db)
    }

    /// A conversation's search document: the objective as heading; kind, reporter, the unnamed person and company as
    /// extra; notes and answers as body.
    static func index(_ id: Int64, _ d: ConversationDetails, owner: AccountID, on db: any SQLDatabase) async throws {
        let doc = document(d)
        try await SearchIndex.replace(kind: .conversation, id: id, owner: owner, heading: doc.heading, extra: doc.extra, body: doc.body, on: db)
    }

    /// The text of a conversation's search document.
    static func document(_ d: ConversationDetails) -> SearchDocument {
        let extra = ([d.kind.label, d.via, d.unnamed, d.company].compactMap { $0 }).joined(separator: " ")
        // Answers are notes too: searching finds what was said in reply to a guide's questions.
        let body = ([d.notes] + d.answers.map { "\($0.question) \($0.answer)" }).joined(separator: "\n")
        return SearchDocument(heading: d.objective ?? "", extra: extra, body: body)
    }

    // MARK: Follow-ups

    static func loadFollowUps(
        owner: AccountID, on db: any SQLDatabase, _ refine: (SQLSelectBuilder) -> SQLSelectBuilder
    ) async throws -> [FollowUp] {
        let query = db.select()
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("followups")))
            .column(SQLColumn("name", table: "people"), as: "person_name")
            .from("followups")
            .join("people", on: SQLColumn("id", table: "people"), .equal, SQLColumn("person_id", table: "followups"))
            .where(SQLColumn("owner_id", table: "followups"), .equal, SQLBind(owner.rawValue))
        return try await refine(query).all().map { row in
            FollowUp(
                id: FollowUpID(try row.decode(column: "id", as: Int64.self)),
                text: try row.decode(column: "text", as: String.self),
                person: PersonSummary(id: PersonID(try row.decode(column: "person_id", as: Int64.self)), name: try row.decode(column: "person_name", as: String.self)),
                conversation: try row.value("conversation_id", as: Int64.self).map(ConversationID.init),
                dueDay: try row.value("due_day", as: String.self).flatMap(CalendarDay.init(iso:)),
                dueAt: try row.value("due_at", as: String.self).flatMap(Timestamp.date),
                doneAt: try row.value("done_at", as: String.self).flatMap(Timestamp.date),
                snoozes: Int(try row.decode(column: "snoozes", as: Int64.self)),
                createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast)
        }
    }

    static func followUp(_ id: Int64, owner: AccountID, on db: any SQLDatabase) async throws -> FollowUp {
        guard let found = try await loadFollowUps(owner: owner, on: db, { $0.where(SQLColumn("id", table: "followups"), .equal, SQLBind(id)) }).first else {
            throw RapportError.notFound(.followUp, "#\(id)")
        }
        return found
    }

    static func insertFollowUp(
        _ text: String, person: PersonID, conversation: Int64?, due: TypedMoment?, owner: AccountID, now: Date,
        on db: any SQLDatabase
    ) async throws -> Int64 {
        let id = try await db.insert(into: "followups")
            .columns("owner_id", "person_id", "conversation_id", "text", "due_day", "due_at", "done_at", "snoozes", "created_at", "updated_at")
            .values(owner.rawValue, person.rawValue, conversation, text, due.map(\.day.description),
                    due.flatMap { $0.hasTime ? Timestamp.string($0.date) : nil }, String?.none, Int64(0),
                    Timestamp.string(now), Timestamp.string(now))
            .returning("id").first(decodingColumn: "id", as: Int64.self)
        guard let id else { throw RapportError.storage("the database did not return the new follow-up's id") }
        return id
    }
}
