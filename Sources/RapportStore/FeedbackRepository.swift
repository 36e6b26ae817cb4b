import Foundation
import RapportCore
import SQLKit

/// Feedback: what was heard, from whom, tagged with themes; one transaction per intent.
public struct FeedbackRepository: Sendable {
    let store: Store

    /// Adds feedback; second-hand by default when its conversation is second-hand; heard when the conversation was.
    public func add(_ details: FeedbackDetails, as owner: AccountID) async throws -> Feedback {
        let d = try FeedbackRules.validate(details)
        let now = store.stamp()
        return try await store.transaction { db in
            let id = try await FeedbackRows.insert(d, owner: owner, now: now, on: db)
            return try await FeedbackRows.one(id, owner: owner, on: db)
        }
    }

    /// Changes feedback in one transaction: reads it, lets `change` edit it, checks and writes.
    public func update(_ id: FeedbackID, as owner: AccountID, _ change: @escaping @Sendable (inout FeedbackDetails) throws -> Void) async throws -> Feedback {
        let now = store.stamp()
        return try await store.transaction { db in
            var details = try await FeedbackRows.one(id.rawValue, owner: owner, on: db).details
            try change(&details)
            let d = try FeedbackRules.validate(details)
            try await FeedbackRows.checkLinks(d, owner: owner, on: db)
            let at = try await FeedbackRows.heardAt(d.conversation, owner: owner, on: db) ?? now
            try await db.update("feedback").set("person_id", to: d.person.rawValue).set("conversation_id", to: d.conversation?.rawValue)
                .set("kind", to: d.kind.rawValue).set("text", to: d.text).set("quote", to: d.quote).set("area", to: d.area)
                .set("severity", to: d.severity.map(Int64.init)).set("secondhand", to: d.secondhand ?? false)
                .set("occurred_at", to: Timestamp.string(at)).set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            try await FeedbackRows.writeThemes(id.rawValue, d.themes, replacing: true, owner: owner, now: now, on: db)
            try await FeedbackRows.index(id.rawValue, d, owner: owner, on: db)
            return try await FeedbackRows.one(id.rawValue, owner: owner, on: db)
        }
    }

    /// Tags many pieces of feedback with `themes` at once (the inbox's bulk tagging); existing tags stay.
    public func tag(_ ids: [FeedbackID], themes: [String], as owner: AccountID) async throws -> [Feedback] {
        let errors = FieldErrors()
        let names = Themes.clean(themes, errors: errors)
        if names.isEmpty { errors.append("theme", "name a theme to tag with, e.g. slow exports") }
        if ids.isEmpty { errors.append("feedback", "choose the feedback to tag") }
        try errors.throwIfAny()
        let now = store.stamp()
        return try await store.transaction { db in
            var out: [Feedback] = []
            for id in ids {
                let current = try await FeedbackRows.one(id.rawValue, owner: owner, on: db)
                try await FeedbackRows.writeThemes(id.rawValue, current.themes + names, replacing: true, owner: owner, now: now, on: db)
                try await FeedbackRows.index(id.rawValue, current.details, themes: current.themes + names, owner: owner, on: db)
                out.append(try await FeedbackRows.one(id.rawValue, owner: owner, on: db))
            }
            return out
        }
    }

    public func get(_ id: FeedbackID, as owner: AccountID) async throws -> Feedback {
        try await store.withSession { db in try await FeedbackRows.one(id.rawValue, owner: owner, on: db) }
    }

    /// Feedback matching `filter`, newest first: `filter.limit` pieces after passing over `filter.offset` (0 to
    /// ``Paging/maxOffset``; more is refused, naming `offset`).
    public func list(_ filter: FeedbackFilter, as owner: AccountID) async throws -> [Feedback] {
        try Paging.check(offset: filter.offset)
        return try await store.withSession { db in
            var query = db.select().column("id").from("feedback").where("owner_id", .equal, owner.rawValue)
            if let kind = filter.kind { query = query.where("kind", .equal, kind.rawValue) }
            if let person = filter.person { query = query.where("person_id", .equal, person.rawValue) }
            if let conversation = filter.conversation { query = query.where("conversation_id", .equal, conversation.rawValue) }
            if let since = filter.since { query = query.where("occurred_at", .greaterThanOrEqual, Timestamp.string(since)) }
            if let until = filter.until { query = query.where("occurred_at", .lessThan, Timestamp.string(until)) }
            if filter.quotesOnly { query = query.where("quote", .equal, true) }
            // Theme, persona and company are matched by their stored keys in subqueries: no id list is bound, however
            // many pieces of feedback match, and the limit is the database's unless an area (kept without a key) is asked.
            let key = { (text: String) in SQLBind(text.trimmed.matchingKey) }
            if let theme = filter.theme {
                query = query.where(SQLQueryString("id IN (SELECT ft.feedback_id FROM feedback_themes ft JOIN themes t ON t.id = ft.theme_id WHERE t.owner_id = \(bind: owner.rawValue) AND t.name_key = \(key(theme)))"))
            }
            if let persona = filter.persona {
                query = query.where(SQLQueryString("person_id IN (SELECT pp.person_id FROM person_personas pp JOIN personas pe ON pe.id = pp.persona_id WHERE pe.owner_id = \(bind: owner.rawValue) AND pe.name_key = \(key(persona)))"))
            }
            if let company = filter.company {
                query = query.where(SQLQueryString("person_id IN (SELECT p.id FROM people p JOIN companies co ON co.id = p.company_id WHERE co.owner_id = \(bind: owner.rawValue) AND co.name_key = \(key(company)))"))
            }
            query = query.orderBy("occurred_at", .descending).orderBy("id", .descending)
            if filter.area == nil {
                query = query.limit(max(0, filter.limit)).offset(filter.offset)
                return try await FeedbackRows.load(try await query.all(decodingColumn: "id", as: Int64.self), owner: owner, on: db)
            }
            let ids = try await query.all(decodingColumn: "id", as: Int64.self)
            let found = try await FeedbackRows.load(ids, owner: owner, on: db).filter(filter.matches)
            return Array(found.dropFirst(filter.offset).prefix(max(0, filter.limit)))
        }
    }

    public func delete(_ id: FeedbackID, as owner: AccountID) async throws {
        try await store.transaction { db in
            _ = try await FeedbackRows.one(id.rawValue, owner: owner, on: db)
            try await SearchIndex.remove(kind: .feedback, id: id.rawValue, on: db)
            try await db.delete(from: "feedback").where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
        }
    }

    /// Full-text search over feedback text, themes and areas, best first: `limit` after passing over `offset` (0 to
    /// ``Paging/maxOffset``).
    public func search(_ text: String, as owner: AccountID, limit: Int = 50, offset: Int = 0) async throws -> [Feedback] {
        let words = try SearchIndex.query(text)
        let dialect = store.dialect
        return try await store.withSession { db in
            let ids = try await dialect.search(words, kind: .feedback, owner: owner, limit: limit, offset: offset, on: db)
            return try await FeedbackRows.load(ids, owner: owner, on: db)
        }
    }
}

/// Reads and writes the rows behind ``Feedback``, inside the caller's session or transaction.
enum FeedbackRows {
    static func insert(_ d: FeedbackDetails, owner: AccountID, now: Date, on db: any SQLDatabase) async throws -> Int64 {
        try await checkLinks(d, owner: owner, on: db)
        var secondhand = d.secondhand ?? false
        if d.secondhand == nil, let conversation = d.conversation {
            secondhand = try await db.select().column("kind").from("conversations").where("id", .equal, conversation.rawValue)
                .first(decodingColumn: "kind", as: String.self) == ConversationKind.secondhand.rawValue
        }
        let at = try await heardAt(d.conversation, owner: owner, on: db) ?? now
        let stamp = Timestamp.string(now)
        let id = try await db.insert(into: "feedback")
            .columns("owner_id", "person_id", "conversation_id", "kind", "text", "quote", "area", "severity", "secondhand",
                     "occurred_at", "created_at", "updated_at")
            .values(owner.rawValue, d.person.rawValue, d.conversation?.rawValue, d.kind.rawValue, d.text, d.quote, d.area,
                    d.severity.map(Int64.init), secondhand, Timestamp.string(at), stamp, stamp)
            .returning("id").first(decodingColumn: "id", as: Int64.self)
        guard let id else { throw RapportError.storage("the database did not return the new feedback's id") }
        try await writeThemes(id, d.themes, replacing: false, owner: owner, now: now, on: db)
        try await index(id, d, owner: owner, on: db)
        return id
    }

    /// Fails unless the person and conversation are the account's.
    static func checkLinks(_ d: FeedbackDetails, owner: AccountID, on db: any SQLDatabase) async throws {
        try await ConversationRows.checkPeople([d.person], owner: owner, on: db)
        if let conversation = d.conversation, try await heardAt(conversation, owner: owner, on: db) == nil {
            throw RapportError.invalid("conversation", "no conversation #\(conversation); see them with `rapport conversations list`")
        }
    }

    /// When conversation `id` happened, or nil without one (or when it is not the account's).
    static func heardAt(_ id: ConversationID?, owner: AccountID, on db: any SQLDatabase) async throws -> Date? {
        guard let id else { return nil }
        return try await db.select().column("occurred_at").from("conversations")
            .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue)
            .first(decodingColumn: "occurred_at", as: String.self).flatMap(Timestamp.date)
    }

    /// The theme's id, made when it is new.
    static func themeID(_ name: String, owner: AccountID, now: Date, on db: any SQLDatabase) async throws -> Int64 {
        let key = Themes.key(name)
        func existing() async throws -> Int64? {
            try await db.select().column("id").from("themes").where("owner_id", .equal, owner.rawValue)
                .where("name_key", .equal, key).first(decodingColumn: "id", as: Int64.self)
        }
        if let id = try await existing() { return id }
        // Another writer of the account may make the same theme at the same moment: its row wins, and is read.
        if let id = try await db.insert(into: "themes").columns("owner_id", "name", "name_key", "created_at")
            .values(owner.rawValue, name.trimmed, key, Timestamp.string(now))
            .ignoringConflicts(with: ["owner_id", "name_key"])
            .returning("id").first(decodingColumn: "id", as: Int64.self) {
            return id
        }
        guard let id = try await existing() else { throw RapportError.storage("the database did not return the new theme's id") }
        return id
    }

    static func writeThemes(_ id: Int64, _ names: [String], replacing: Bool, owner: AccountID, now: Date, on db: any SQLDatabase) async throws {
        if replacing { try await db.delete(from: "feedback_themes").where("feedback_id", .equal, id).run() }
        var seen = Set<Int64>()
        for (position, name) in names.enumerated() {
            let theme = try await themeID(name, owner: owner, now: now, on: db)
            guard seen.insert(theme).inserted else { continue }
            // With the feedback's time and person, which the theme figures are kept by (migrations 0015 and 0016).
            try await db.raw("""
                INSERT INTO feedback_themes (owner_id, feedback_id, theme_id, position, occurred_at, person_id)
                SELECT \(bind: owner.rawValue), id, \(bind: theme), \(bind: Int64(position)), occurred_at, person_id FROM feedback WHERE id = \(bind: id)
                """).run()
        }
    }

    static func index(_ id: Int64, _ d: FeedbackDetails, themes: [String]? = nil, owner: AccountID, on db: any SQLDatabase) async throws {
        let doc = document(d, themes: themes)
        try await SearchIndex.replace(kind: .feedback, id: id, owner: owner, heading: doc.heading, extra: doc.extra, body: doc.body, on: db)
    }

    /// The text of a piece of feedback's search document: its themes, area and kind as extra, its words as body.
    static func document(_ d: FeedbackDetails, themes: [String]? = nil) -> SearchDocument {
        SearchDocument(heading: "", extra: ((themes ?? d.themes) + [d.area, d.kind.label].compactMap { $0 }).joined(separator: " "), body: d.text)
    }

    static func one(_ id: Int64, owner: AccountID, on db: any SQLDatabase) async throws -> Feedback {
        guard let found = try await load([id], owner: owner, on: db).first else { throw RapportError.notFound(.feedback, "#\(id)") }
        return found
    }

    /// Feedback by id, in the order of `ids`, owned by `owner` only.
    static func load(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Feedback] {
        try await PersonRows.inChunks(ids, key: \.id.rawValue) { try await loadChunk($0, owner: owner, on: db) }
    }

    private static func loadChunk(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Feedback] {
        guard !ids.isEmpty else { return [] }
        let rows = try await db.select()
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("feedback")))
            .column(SQLColumn("name", table: "people"), as: "person_name")
            .column(SQLColumn("name", table: "companies"), as: "company_name")
            .from("feedback")
            .join("people", on: SQLColumn("id", table: "people"), .equal, SQLColumn("person_id", table: "feedback"))
            .join("companies", method: SQLJoinMethod.left, on: SQLColumn("id", table: "companies"), .equal, SQLColumn("company_id", table: "people"))
            .where(Owned.by("feedback", owner))
            .where(SQLColumn("id", table: "feedback"), .in, SQLBind.group(ids))
            .all()
        let themeRows = try await db.select().column(SQLColumn("feedback_id", table: "feedback_themes")).column(SQLColumn("name", table: "themes"))
            .from("feedback_themes")
            .join("themes", on: SQLColumn("id", table: "themes"), .equal, SQLColumn("theme_id", table: "feedback_themes"))
            .where(SQLColumn("feedback_id", table: "feedback_themes"), .in, SQLBind.group(ids))
            .orderBy(SQLColumn("position", table: "feedback_themes"))
            .all()
        var themes: [Int64: [String]] = [:]
        for row in themeRows { themes[try row.decode(column: "feedback_id", as: Int64.self), default: []].append(try row.decode(column: "name", as: String.self)) }
        let personIDs = Array(Set(try rows.map { try $0.decode(column: "person_id", as: Int64.self) }))
        let personaRows = personIDs.isEmpty ? [] : try await db.select()
            .column(SQLColumn("person_id", table: "person_personas")).column(SQLColumn("name", table: "personas"))
            .from("person_personas")
            .join("personas", on: SQLColumn("id", table: "personas"), .equal, SQLColumn("persona_id", table: "person_personas"))
            .where(SQLColumn("person_id", table: "person_personas"), .in, SQLBind.group(personIDs))
            .orderBy(SQLColumn("position", table: "person_personas"))
            .all()
        var personas: [Int64: [String]] = [:]
        for row in personaRows { personas[try row.decode(column: "person_id", as: Int64.self), default: []].append(try row.decode(column: "name", as: String.self)) }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            let person = try row.decode(column: "person_id", as: Int64.self)
            return Feedback(
                id: FeedbackID(id), text: try row.decode(column: "text", as: String.self),
                kind: FeedbackKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .usage,
                quote: try row.decode(column: "quote", as: Bool.self), themes: themes[id] ?? [],
                area: try row.value("area", as: String.self), severity: try row.value("severity", as: Int64.self).map { Int($0) },
                secondhand: try row.decode(column: "secondhand", as: Bool.self),
                person: PersonSummary(id: PersonID(person), name: try row.decode(column: "person_name", as: String.self)),
                company: try row.value("company_name", as: String.self), personas: personas[person] ?? [],
                conversation: try row.value("conversation_id", as: Int64.self).map(ConversationID.init),
                at: Timestamp.date(try row.decode(column: "occurred_at", as: String.self)) ?? .distantPast,
                createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
                updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast)
        }
    }
}
