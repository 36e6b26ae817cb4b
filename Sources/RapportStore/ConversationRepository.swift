import Foundation
import RapportCore
import SQLKit

/// A follow-up to create along with a conversation.
public struct NewFollowUp: Sendable, Equatable {
    public var text: String
    public var due: TypedMoment?

    public init(text: String, due: TypedMoment? = nil) {
        self.text = text
        self.due = due
    }
}

/// A conversation with its follow-ups (as just logged, or as shown); JSON is the conversation's own object with
/// `followUps` beside its keys.
public struct LoggedConversation: Sendable, Encodable, Equatable {
    public var conversation: Conversation
    public var followUps: [FollowUp]
    /// The feedback heard in it.
    public var feedback: [Feedback]

    public init(conversation: Conversation, followUps: [FollowUp], feedback: [Feedback] = []) {
        self.conversation = conversation
        self.followUps = followUps
        self.feedback = feedback
    }

    private enum Keys: String, CodingKey { case followUps, feedback }

    public func encode(to encoder: any Encoder) throws {
        try conversation.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(followUps, forKey: .followUps)
        try c.encode(feedback, forKey: .feedback)
    }
}

/// Feedback to add along with a conversation: from its first person, heard in it.
public struct NewFeedback: Sendable, Equatable {
    public var kind: FeedbackKind
    public var text: String
    public var quote: Bool
    public var themes: [String]

    public init(kind: FeedbackKind, text: String, quote: Bool = false, themes: [String] = []) {
        self.kind = kind
        self.text = text
        self.quote = quote
        self.themes = themes
    }
}

/// A conversation found by full-text search, with where the words matched and a line around them.
public struct ConversationSearchHit: Sendable, Codable, Equatable {
    public var conversation: Conversation
    public var matchedIn: [String]
    public var excerpt: String?
}

/// Conversations: log, change, find, list, search, delete; one transaction per intent.
public struct ConversationRepository: Sendable {
    let store: Store

    /// Logs a conversation and its follow-ups in one transaction; nothing is written when anything is wrong.
    public func log(_ details: ConversationDetails, followUps: [NewFollowUp] = [], feedback: [NewFeedback] = [],
                    as owner: AccountID) async throws -> LoggedConversation {
        let checked = try ConversationRules.validate(details, now: store.now())
        let texts = try followUps.map { try FollowUp.validText($0.text) }
        if !followUps.isEmpty && checked.people.isEmpty {
            throw RapportError.invalid("followUp", "a follow-up belongs to a person; name the person the conversation was with")
        }
        if !feedback.isEmpty && checked.people.isEmpty {
            throw RapportError.invalid("feedback", "feedback belongs to a person; name the person the conversation was with")
        }
        let heard = try feedback.map { f -> FeedbackDetails in
            var d = FeedbackDetails(text: f.text, person: checked.people.first ?? PersonID(0), kind: f.kind)
            d.quote = f.quote
            d.themes = f.themes
            return try FeedbackRules.validate(d)
        }
        let now = store.stamp()
        return try await store.transaction { db in
            let id = try await Self.insert(checked, owner: owner, now: now, on: db)
            var made: [FollowUp] = []
            for (text, followUp) in zip(texts, followUps) {
                let fid = try await ConversationRows.insertFollowUp(
                    text, person: checked.people[0], conversation: id, due: followUp.due, owner: owner, now: now, on: db)
                made.append(try await ConversationRows.followUp(fid, owner: owner, on: db))
            }
            var feedbackIDs: [Int64] = []
            for var f in heard {
                f.conversation = ConversationID(id)
                feedbackIDs.append(try await FeedbackRows.insert(f, owner: owner, now: now, on: db))
            }
            return LoggedConversation(conversation: try await Self.one(id, owner, db), followUps: made,
                                      feedback: try await FeedbackRows.load(feedbackIDs, owner: owner, on: db))
        }
    }

    /// Changes a conversation in one transaction: reads it as stored, makes `patch`, checks and writes.
    public func update(_ id: ConversationID, with patch: ConversationPatch, as owner: AccountID) async throws -> Conversation {
        try await change(id, as: owner) { patch.applied(to: $0) }
    }

    /// Reads the conversation as stored, lets `transform` make the new details, checks and writes: the one write
    /// path of an edit and of answers.
    private func change(
        _ id: ConversationID, as owner: AccountID, _ transform: @escaping @Sendable (ConversationDetails) -> ConversationDetails
    ) async throws -> Conversation {
        let now = store.stamp(), clock = store.now()
        return try await store.transaction { db in
            let before = try await Self.one(id.rawValue, owner, db).details
            let details = transform(before)
            let checked = try ConversationRules.validate(details, now: clock)
            try await ConversationRows.checkPeople(checked.people, owner: owner, on: db)
            try await ConversationRows.checkGuide(checked.guide, owner: owner, on: db)
            // The company follows the first person unless one was named; an unchanged name keeps its row.
            var filed = checked
            if checked.company == before.company && checked.people.first != before.people.first { filed.company = nil }
            let companyID = try await ConversationRows.companyID(filed, owner: owner, now: now, on: db)
            var update = db.update("conversations")
            for (column, value) in ConversationRows.columns(filed, companyID: companyID) {
                update = update.set(SQLIdentifier(column), to: SQLBind(value))
            }
            try await update.set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            try await ConversationRows.writeChildren(id.rawValue, filed, owner: owner, on: db)
            // Follow-ups stay with the people of the conversation they came from.
            if let first = filed.people.first {
                try await db.update("followups").set("person_id", to: first.rawValue)
                    .where("conversation_id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue)
                    .where("person_id", .notIn, filed.people.map(\.rawValue)).run()
            }
            return try await Self.one(id.rawValue, owner, db)
        }
    }

    /// Runs a guide during conversation `id`: each typed answer (by position in the guide) replaces the stored one and
    /// a blank one removes it; other answers stay. Switching to another guide, or `replacingAll`, starts over.
    public func answer(
        _ id: ConversationID, guide ref: String, typed: [(Int, String)], replacingAll: Bool = false, as owner: AccountID
    ) async throws -> Conversation {
        let current = try await get(id, as: owner)
        let (guide, given) = try await store.guides.answers(typed, guide: ref, person: current.details.people.first, as: owner)
        let startOver = replacingAll || current.details.guide != guide.id
        let answers = startOver ? given : Self.merge(current.details.answers, with: given, touched: Set(typed.map(\.0)), guide: guide)
        return try await change(id, as: owner) { d in
            var d = d
            d.guide = guide.id
            d.answers = answers
            return d
        }
    }

    /// Stored answers with new ones over them. The guide may have been reordered since: a stored answer moves to its
    /// question's place now, and one whose question left the guide goes after the guide's questions.
    static func merge(_ stored: [ConversationAnswer], with given: [ConversationAnswer], touched: Set<Int>, guide: Guide) -> [ConversationAnswer] {
        var byPosition: [Int: ConversationAnswer] = [:]
        var orphans: [ConversationAnswer] = []
        for var answer in stored {
            if let id = answer.questionId, let now = guide.questions.first(where: { $0.id == id }) {
                answer.position = now.position
                byPosition[now.position] = answer
            } else {
                orphans.append(answer)
            }
        }
        for position in touched { byPosition[position] = nil }
        for answer in given { byPosition[answer.position] = answer }
        var next = max(guide.questions.count, byPosition.keys.max() ?? 0)
        for var orphan in orphans {
            next += 1
            orphan.position = next
            byPosition[next] = orphan
        }
        return byPosition.values.sorted { $0.position < $1.position }
    }

    public func get(_ id: ConversationID, as owner: AccountID) async throws -> Conversation {
        try await store.withSession { db in try await Self.one(id.rawValue, owner, db) }
    }

    /// Conversations matching `filter`, newest first: `filter.limit` of them after passing over `filter.offset`
    /// (0 to ``Paging/maxOffset``; more is refused, naming `offset`).
    public func list(_ filter: ConversationFilter, as owner: AccountID) async throws -> [Conversation] {
        try Paging.check(offset: filter.offset)
        return try await store.withSession { db in
            var query = db.select().column(SQLColumn("id", table: "conversations")).from("conversations")
            if let person = filter.person {
                // The person's links first (an index seek), then those conversations by key: a subquery or a join
                // lets the planner walk every conversation of the account in time order instead.
                let theirs = try await db.select().column("conversation_id").from("conversation_people")
                    .where("owner_id", .equal, owner.rawValue).where("person_id", .equal, person.rawValue)
                    .all(decodingColumn: "conversation_id", as: Int64.self)
                if theirs.isEmpty { return [] }
                query = query.where(SQLColumn("id", table: "conversations"), .in, SQLBind.group(theirs))
                    .where(Owned.by("conversations", owner))
            } else {
                query = query.where(SQLColumn("owner_id", table: "conversations"), .equal, SQLBind(owner.rawValue))
            }
            if let company = filter.company {
                query = query.join("companies", on: SQLColumn("id", table: "companies"), .equal, SQLColumn("company_id", table: "conversations"))
                    .where(SQLColumn("name_key", table: "companies"), .equal, SQLBind(company.matchingKey))
            }
            if let kind = filter.kind { query = query.where(SQLColumn("kind", table: "conversations"), .equal, SQLBind(kind.rawValue)) }
            if let since = filter.since { query = query.where(SQLColumn("occurred_at", table: "conversations"), .greaterThanOrEqual, SQLBind(Timestamp.string(since))) }
            if let until = filter.until { query = query.where(SQLColumn("occurred_at", table: "conversations"), .lessThan, SQLBind(Timestamp.string(until))) }
            let ids = try await query
                .orderBy(SQLColumn("occurred_at", table: "conversations"), SQLDirection.descending)
                .orderBy(SQLColumn("id", table: "conversations"), SQLDirection.descending)
                .limit(max(0, filter.limit)).offset(filter.offset)
                .all(decodingColumn: "id", as: Int64.self)
            return try await ConversationRows.load(ids, owner: owner, on: db)
        }
    }

    /// Deletes a conversation. Its people stay; its follow-ups stay with them, no longer tied to it.
    public func delete(_ id: ConversationID, as owner: AccountID) async throws {
        try await store.transaction { db in
            _ = try await Self.one(id.rawValue, owner, db)
            try await SearchIndex.remove(kind: .conversation, id: id.rawValue, on: db)
            try await db.update("followups").set("conversation_id", to: Int64?.none)
                .where("conversation_id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            try await db.delete(from: "conversations").where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
        }
    }

    /// Full-text search over objectives, notes and who reported them, best match first (or, with `order`
    /// ``SearchOrder/newest``, the most recently logged first): `limit` after passing over `offset` (0 to
    /// ``Paging/maxOffset``).
    public func search(_ text: String, as owner: AccountID, limit: Int = 50, offset: Int = 0,
                       order: SearchOrder = .relevance) async throws -> [ConversationSearchHit] {
        let words = try SearchIndex.query(text)
        let dialect = store.dialect
        let found = try await store.withSession { db in
            let ids = try await dialect.search(words, kind: .conversation, owner: owner, limit: limit, offset: offset, order: order, on: db)
            return try await ConversationRows.load(ids, owner: owner, on: db)
        }
        return found.map { conversation in
            let d = conversation.details
            var matched: [String] = []
            var excerpt: String?
            let answers = d.answers.map { "\($0.question) \($0.answer)" }.joined(separator: "\n")
            // The fields of the conversation's search document (``ConversationRows/index``), each checked alike.
            for (label, text) in [("objective", d.objective ?? ""), ("notes", d.notes), ("answers", answers), ("via", d.via ?? ""),
                                  ("unnamed", d.unnamed ?? ""), ("company", d.company ?? ""), ("kind", d.kind.label)] {
                if let line = TextExcerpt.around(words, in: text) {
                    matched.append(label)
                    if excerpt == nil && ["objective", "notes", "answers"].contains(label) { excerpt = line }
                }
            }
            return ConversationSearchHit(conversation: conversation, matchedIn: matched, excerpt: excerpt)
        }
    }

    /// Contact history per person from their conversations (second-hand reports are not a touch), for `due`, `pick`
    /// and the person page; `people` nil means everyone of `owner`.
    public func histories(for people: [PersonID]? = nil, as owner: AccountID) async throws -> [PersonID: ContactHistory] {
        try await store.withSession { db in try await Self.histories(people, owner: owner, on: db) }
    }

    static func histories(_ people: [PersonID]?, owner: AccountID, on db: any SQLDatabase) async throws -> [PersonID: ContactHistory] {
        if let people, people.isEmpty { return [:] }
        var out: [PersonID: ContactHistory] = [:]
        let chunks: [[Int64]?] = people.map { ids in
            stride(from: 0, to: ids.count, by: PersonRows.chunk).map { Array(ids[$0..<min($0 + PersonRows.chunk, ids.count)].map(\.rawValue)) }
        } ?? [nil]
        for chunk in chunks {
            // From the copies of time, direction and kind kept on each link (see migration 0002): no join needed.
            var query = db.select()
                .column(SQLColumn("person_id", table: "conversation_people"))
                .column(SQLFunction("max", args: SQLColumn("occurred_at", table: "conversation_people")), as: "last_contact")
                .column(SQLFunction("max", args: SQLRaw("CASE WHEN conversation_people.direction = 'outbound' THEN conversation_people.occurred_at END")), as: "last_asked")
                .column(SQLFunction("count", args: SQLLiteral.all), as: "conversations")
                .column(SQLFunction("sum", args: SQLRaw("CASE WHEN conversation_people.direction = 'outbound' THEN 1 ELSE 0 END")), as: "answered")
                .column(SQLFunction("sum", args: SQLRaw("CASE WHEN conversation_people.direction = 'inbound' THEN 1 ELSE 0 END")), as: "inbound")
                .from("conversation_people")
                .where(SQLColumn("owner_id", table: "conversation_people"), .equal, SQLBind(owner.rawValue))
                .where(SQLColumn("kind", table: "conversation_people"), .notEqual, SQLBind(ConversationKind.secondhand.rawValue))
            if let chunk { query = query.where(SQLColumn("person_id", table: "conversation_people"), .in, SQLBind.group(chunk)) }
            for row in try await query.groupBy(SQLColumn("person_id", table: "conversation_people")).all() {
                let id = PersonID(try row.decode(column: "person_id", as: Int64.self))
                out[id] = ContactHistory(
                    lastContact: try row.value("last_contact", as: String.self).flatMap(Timestamp.date),
                    lastAsked: try row.value("last_asked", as: String.self).flatMap(Timestamp.date),
                    conversations: Int(try row.decode(column: "conversations", as: Int64.self)),
                    answered: Int(try row.value("answered", as: Int64.self) ?? 0),
                    inbound: Int(try row.value("inbound", as: Int64.self) ?? 0))
            }
        }
        // A call attempt or a campaign email is asking too, answered or not.
        for (table, column) in [("attempts", "occurred_at"), ("campaign_recipients", "created_at")] {
            for chunk in chunks {
                var query = db.select().column("person_id")
                    .column(SQLFunction("max", args: SQLColumn(column)), as: "last_asked")
                    .from(table)
                    .where("owner_id", .equal, owner.rawValue)
                if table == "campaign_recipients" { query = query.where("status", .notEqual, RecipientStatus.queued.rawValue) }
                if let chunk { query = query.where("person_id", .in, chunk) }
                for row in try await query.groupBy("person_id").all() {
                    let id = PersonID(try row.decode(column: "person_id", as: Int64.self))
                    guard let asked = try row.value("last_asked", as: String.self).flatMap(Timestamp.date) else { continue }
                    var history = out[id] ?? .none
                    history.lastAsked = max(history.lastAsked ?? asked, asked)
                    out[id] = history
                }
            }
        }
        return out
    }

    /// Writes a checked conversation inside the caller's transaction and returns its id.
    static func insert(_ checked: ConversationDetails, owner: AccountID, now: Date, on db: any SQLDatabase) async throws -> Int64 {
        try await ConversationRows.checkPeople(checked.people, owner: owner, on: db)
        try await ConversationRows.checkGuide(checked.guide, owner: owner, on: db)
        let companyID = try await ConversationRows.companyID(checked, owner: owner, now: now, on: db)
        var columns = ConversationRows.columns(checked, companyID: companyID)
        columns += [("owner_id", owner.rawValue), ("created_at", Timestamp.string(now)), ("updated_at", Timestamp.string(now))]
        let id = try await db.insert(into: "conversations").columns(columns.map(\.0)).values(columns.map(\.1))
            .returning("id").first(decodingColumn: "id", as: Int64.self)
        guard let id else { throw RapportError.storage("the database did not return the new conversation's id") }
        try await ConversationRows.writeChildren(id, checked, owner: owner, on: db)
        return id
    }

    static func one(_ id: Int64, _ owner: AccountID, _ db: any SQLDatabase) async throws -> Conversation {
        guard let found = try await ConversationRows.load([id], owner: owner, on: db).first else {
            throw RapportError.notFound(.conversation, "#\(id)")
        }
        return found
    }
}
