import Foundation
import Logging
import RapportCore
import SQLKit

/// The schema, as an ordered list of named steps. A step that has shipped is never edited: add a new one.
enum Migrations {
    struct Step: Sendable {
        let name: String
        let apply: @Sendable (any SQLDatabase, Dialect) async throws -> Void
    }

    static let steps: [Step] = [
        Step(name: "0001-people-and-personas", apply: peopleAndPersonas),
        Step(name: "0002-conversations-followups-settings", apply: conversationsAndFollowUps),
        Step(name: "0003-attempts-campaigns", apply: attemptsAndCampaigns),
        Step(name: "0004-questions-guides-answers", apply: questionsAndGuides),
        Step(name: "0005-feedback-themes-requests-hypotheses", apply: feedbackAndLearning),
        Step(name: "0006-goals", apply: goals),
        Step(name: "0007-company-industry-shareable", apply: companyDetails),
        Step(name: "0008-text-identity", apply: textIdentity),
        Step(name: "0009-birthday", apply: birthday),
        Step(name: "0010-search-words-as-written", apply: searchWordsAsWritten),
        Step(name: "0011-search-rowids", apply: searchRowids),
        Step(name: "0012-people-last-contact", apply: peopleLastContact),
        Step(name: "0013-search-per-kind", apply: searchPerKind),
        Step(name: "0014-conversations-week-index", apply: conversationsWeekIndex),
        Step(name: "0015-feedback-themes-time-person", apply: feedbackThemesTimePerson),
        Step(name: "0016-theme-figures-kept", apply: ThemeFigureTables.create),
    ]

    /// Applies every step not yet recorded, each in its own transaction.
    /// Refuses, before applying anything, a database that holds a migration this build does not know.
    ///
    /// A database that holds exactly this build's steps is read once (one `SELECT`, no transaction, no write lock)
    /// and left alone: every command opens the database, and most only read.
    static func run(on db: any SQLDatabase, dialect: Dialect, logger: Logger, location: String = "the database") async throws {
        if try await isCurrent(db) { return }
        try await db.execute(sql: SQLRaw(dialect.beginTransaction)) { _ in }
        do {
            // Under the lock, so two processes opening a new database at once do not both create the table.
            if let lock = dialect.migrationLock { try await db.execute(sql: SQLRaw(lock)) { _ in } }
            try await db.create(table: "rapport_migrations").ifNotExists()
                .column("name", type: .text, .primaryKey(autoIncrement: false))
                .column("applied_at", type: .text, .notNull)
                .run()
            try await DatabaseIdentity.checkMigrations(db, location: location)
            try await db.execute(sql: SQLRaw("COMMIT")) { _ in }
        } catch {
            try? await db.execute(sql: SQLRaw("ROLLBACK")) { _ in }
            throw error
        }
        for step in steps {
            try await db.execute(sql: SQLRaw(dialect.beginTransaction)) { _ in }
            do {
                if let lock = dialect.migrationLock { try await db.execute(sql: SQLRaw(lock)) { _ in } }
                let done = try await db.select().column("name").from("rapport_migrations")
                    .where("name", .equal, step.name).first() != nil
                if !done {
                    logger.info("applying migration", metadata: ["migration": "\(step.name)"])
                    try await step.apply(db, dialect)
                    try await db.insert(into: "rapport_migrations").columns("name", "applied_at")
                        .values(step.name, Timestamp.string(Date())).run()
                }
                try await db.raw("COMMIT").run()
            } catch {
                try? await db.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Whether the database records exactly this build's steps. False when it has no migration table yet (a new
    /// database: the read fails, and ``run(on:dialect:logger:location:)`` creates it), or lacks a step, or holds one
    /// this build does not know (refused under the lock by the full path).
    static func isCurrent(_ db: any SQLDatabase) async throws -> Bool {
        let applied: [String]
        do {
            applied = try await db.select().column("name").from("rapport_migrations").all()
                .map { try $0.decode(column: "name", as: String.self) }
        } catch {
            return false
        }
        return applied.count == steps.count && Set(applied) == Set(steps.map(\.name))
    }

    /// BOOLEAN: a real type on PostgreSQL, 0/1 integers on SQLite.
    static let boolean = SQLDataType.custom(SQLRaw("BOOLEAN"))

    static func id(_ db: any SQLDatabase, _ table: String) -> SQLCreateTableBuilder {
        db.create(table: table).column("id", type: .bigint, .primaryKey(autoIncrement: true))
    }

    static func owner() -> [SQLColumnConstraintAlgorithm] {
        [.notNull, .references("accounts", "id", onDelete: .cascade)]
    }

    static func check(_ condition: String) -> SQLColumnConstraintAlgorithm {
        .check(SQLRaw(condition))
    }

    /// A CHECK that `column` holds one of `values`. Each migration names its values as literal text, as they were
    /// when it shipped: a Swift enum gaining a case never changes an old step (a new step widens the CHECK), and
    /// `CheckListTests` compares each live list with its enum's cases.
    static func oneOf(_ column: String, _ values: [String], nullable: Bool = false) -> SQLColumnConstraintAlgorithm {
        let list = values.map { "'\($0)'" }.joined(separator: ", ")
        return check(nullable ? "\(column) IS NULL OR \(column) IN (\(list))" : "\(column) IN (\(list))")
    }

    @Sendable
    static func peopleAndPersonas(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await id(db, "accounts")
            .column("name", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .run()
        try await id(db, "companies")
            .column("owner_id", type: .bigint, owner())
            .column("name", type: .text, .notNull)
            .column("name_key", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .unique("owner_id", "name_key")
            .run()
        try await id(db, "people")
            .column("owner_id", type: .bigint, owner())
            .column("name", type: .text, .notNull, check("length(name) > 0"))
            .column("company_id", type: .bigint, .references("companies", "id", onDelete: .setNull))
            .column("title", type: .text)
            .column("since", type: .text)
            .column("previous_companies", type: .text, .notNull)
            .column("city", type: .text)
            .column("country", type: .text, check("country IS NULL OR length(country) = 2"))
            .column("time_zone", type: .text)
            .column("stage", type: .text, .notNull, oneOf("stage", ["customer", "prospect", "former", "partner", "other"]))
            .column("source", type: .text, oneOf("source", ["they-contacted-me", "support", "sales-intro", "event", "referral", "outreach"], nullable: true))
            .column("warmth", type: .bigint, .notNull, check("warmth BETWEEN 1 AND 5"))
            .column("off_the_record", type: boolean, .notNull)
            .column("advocate", type: boolean, .notNull)
            .column("preferred_channel", type: .text, oneOf("preferred_channel", ["email", "phone", "video", "chat", "in-person"], nullable: true))
            .column("cadence_days", type: .bigint, check("cadence_days IS NULL OR cadence_days > 0"))
            .column("notes", type: .text, .notNull)
            .column("links", type: .text, .notNull)
            .column("fields", type: .text, .notNull)
            .column("dnc_reason", type: .text)
            .column("dnc_since", type: .text)
            .column("archived", type: boolean, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(index: "people_owner_name").on("people").column("owner_id").column("name").run()
        for (table, key) in [("person_emails", "value_key"), ("person_phones", "digits")] {
            try await id(db, table)
                .column("owner_id", type: .bigint, owner())
                .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
                .column("value", type: .text, .notNull)
                .column(key, type: .text, .notNull)
                .column("label", type: .text, .notNull)
                .column("position", type: .bigint, .notNull)
                .run()
            try await db.create(index: "\(table)_person").on(table).column("person_id").run()
        }
        // An email belongs to one person of an account: adding it twice is a duplicate to merge.
        try await db.create(index: "person_emails_unique").unique().on("person_emails").column("owner_id").column("value_key").run()
        try await db.create(index: "person_phones_digits").on("person_phones").column("owner_id").column("digits").run()
        for table in ["personas", "tags"] {
            var builder = id(db, table)
                .column("owner_id", type: .bigint, owner())
                .column("name", type: .text, .notNull)
                .column("name_key", type: .text, .notNull)
            if table == "personas" {
                builder = builder
                    .column("description", type: .text, .notNull)
                    .column("goals", type: .text, .notNull)
                    .column("pains", type: .text, .notNull)
                    .column("created_at", type: .text, .notNull)
                    .column("updated_at", type: .text, .notNull)
            }
            try await builder.unique("owner_id", "name_key").run()
        }
        for (table, column, parent) in [("person_personas", "persona_id", "personas"), ("person_tags", "tag_id", "tags")] {
            try await db.create(table: table)
                .column("owner_id", type: .bigint, owner())
                .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
                .column(column, type: .bigint, .notNull, .references(parent, "id", onDelete: .cascade))
                .column("position", type: .bigint, .notNull)
                .primaryKey("person_id", column)
                .run()
            try await db.create(index: "\(table)_\(column)").on(table).column(column).run()
        }
        for statement in dialect.createSearchIndex {
            try await db.execute(sql: SQLRaw(statement)) { _ in }
        }
    }

    @Sendable
    static func conversationsAndFollowUps(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.alter(table: "people").column("snoozed_until", type: .text).run()
        try await id(db, "conversations")
            .column("owner_id", type: .bigint, owner())
            .column("kind", type: .text, .notNull, oneOf("kind", ["call", "video", "visit", "email", "chat", "in-person", "event", "secondhand"]))
            .column("occurred_at", type: .text, .notNull)
            .column("duration_minutes", type: .bigint, check("duration_minutes IS NULL OR duration_minutes BETWEEN 1 AND 1440"))
            .column("company_id", type: .bigint, .references("companies", "id", onDelete: .setNull))
            .column("direction", type: .text, .notNull, oneOf("direction", ["inbound", "outbound"]))
            .column("objective", type: .text)
            .column("met", type: .text, oneOf("met", ["yes", "partly", "no"], nullable: true))
            .column("notes", type: .text, .notNull)
            .column("via", type: .text)
            .column("unnamed", type: .text)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(index: "conversations_owner_time").on("conversations").column("owner_id").column("occurred_at").run()
        try await db.create(index: "conversations_company").on("conversations").column("company_id").run()
        try await db.create(table: "conversation_people")
            .column("owner_id", type: .bigint, owner())
            .column("conversation_id", type: .bigint, .notNull, .references("conversations", "id", onDelete: .cascade))
            .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
            .column("position", type: .bigint, .notNull)
            // Copies of the conversation's time, direction and kind, rewritten with every write of the conversation,
            // so contact history (last contact, answered, ...) is one index scan instead of a join over every row.
            .column("occurred_at", type: .text, .notNull)
            .column("direction", type: .text, .notNull)
            .column("kind", type: .text, .notNull)
            .primaryKey("conversation_id", "person_id")
            .run()
        try await db.create(index: "conversation_people_person").on("conversation_people").column("person_id").run()
        try await db.create(index: "conversation_people_history").on("conversation_people")
            .column("owner_id").column("person_id").column("occurred_at").column("direction").column("kind").run()
        try await id(db, "followups")
            .column("owner_id", type: .bigint, owner())
            .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
            .column("conversation_id", type: .bigint, .references("conversations", "id", onDelete: .setNull))
            .column("text", type: .text, .notNull, check("length(text) > 0"))
            .column("due_day", type: .text)
            .column("due_at", type: .text)
            .column("done_at", type: .text)
            .column("snoozes", type: .bigint, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(index: "followups_owner_due").on("followups").column("owner_id").column("done_at").column("due_day").run()
        try await db.create(index: "followups_person").on("followups").column("person_id").run()
        try await db.create(index: "followups_conversation").on("followups").column("conversation_id").run()
        try await db.create(table: "settings")
            .column("owner_id", type: .bigint, owner())
            .column("key", type: .text, .notNull)
            .column("value", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .primaryKey("owner_id", "key")
            .run()
    }

    @Sendable
    static func attemptsAndCampaigns(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.alter(table: "people").column("business_hours", type: .text).run()
        try await db.alter(table: "people").column("paused_until", type: .text).run()
        // Phones and emails Rapport learned are bad (a wrong number, a bounce), by person and normalised value, so
        // the mark survives edits of the person's list.
        try await db.create(table: "contact_flags")
            .column("owner_id", type: .bigint, owner())
            .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
            .column("kind", type: .text, .notNull, check("kind IN ('phone', 'email')"))
            .column("value_key", type: .text, .notNull)
            .column("reason", type: .text, .notNull)
            .column("since", type: .text, .notNull)
            .primaryKey("person_id", "kind", "value_key")
            .run()
        try await id(db, "campaigns")
            .column("owner_id", type: .bigint, owner())
            .column("name", type: .text, .notNull, check("length(name) > 0"))
            .column("name_key", type: .text, .notNull)
            .column("ask", type: .text, .notNull)
            .column("subject", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("personas", type: .text, .notNull)
            .column("tags", type: .text, .notNull)
            .column("stages", type: .text, .notNull)
            .column("weekly", type: .bigint, .notNull, check("weekly BETWEEN 1 AND 200"))
            .column("cooldown_days", type: .bigint, .notNull, check("cooldown_days BETWEEN 0 AND 365"))
            .column("product", type: .text)
            .column("sender", type: .text)
            .column("state", type: .text, .notNull, oneOf("state", ["active", "paused"]))
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .unique("owner_id", "name_key")
            .run()
        try await id(db, "attempts")
            .column("owner_id", type: .bigint, owner())
            .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
            .column("campaign_id", type: .bigint, .references("campaigns", "id", onDelete: .setNull))
            .column("outcome", type: .text, .notNull, oneOf("outcome", ["no-answer", "voicemail", "wrong-number", "declined", "rescheduled", "no-show", "talked"]))
            .column("occurred_at", type: .text, .notNull)
            .column("note", type: .text)
            .column("phone", type: .text)
            .column("conversation_id", type: .bigint, .references("conversations", "id", onDelete: .setNull))
            .column("followup_id", type: .bigint, .references("followups", "id", onDelete: .setNull))
            .column("created_at", type: .text, .notNull)
            .run()
        try await db.create(index: "attempts_owner_time").on("attempts").column("owner_id").column("occurred_at").run()
        try await db.create(index: "attempts_person").on("attempts").column("person_id").column("occurred_at").run()
        try await db.create(index: "attempts_campaign").on("attempts").column("campaign_id").run()
        try await db.create(table: "campaign_recipients")
            .column("owner_id", type: .bigint, owner())
            .column("campaign_id", type: .bigint, .notNull, .references("campaigns", "id", onDelete: .cascade))
            .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
            .column("week", type: .text, .notNull)
            .column("position", type: .bigint, .notNull)
            .column("email", type: .text, .notNull)
            .column("subject", type: .text, .notNull)
            .column("body", type: .text, .notNull)
            .column("status", type: .text, .notNull, oneOf("status", ["queued", "sent", "replied-yes", "replied-no", "no-reply", "bounced", "opted-out", "scheduled", "talked"]))
            .column("status_at", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .primaryKey("campaign_id", "person_id")
            .run()
        try await db.create(index: "campaign_recipients_week").on("campaign_recipients").column("owner_id").column("week").run()
        try await db.create(index: "campaign_recipients_person").on("campaign_recipients").column("person_id").column("created_at").run()
    }

    @Sendable
    static func questionsAndGuides(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await id(db, "questions")
            .column("owner_id", type: .bigint, owner())
            .column("text", type: .text, .notNull, check("length(text) > 0"))
            .column("text_key", type: .text, .notNull)
            .column("tags", type: .text, .notNull)
            .column("retired", type: boolean, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .unique("owner_id", "text_key")
            .run()
        try await id(db, "guides")
            .column("owner_id", type: .bigint, owner())
            .column("name", type: .text, .notNull, check("length(name) > 0"))
            .column("name_key", type: .text, .notNull)
            .column("objective", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .unique("owner_id", "name_key")
            .run()
        try await db.create(table: "guide_questions")
            .column("owner_id", type: .bigint, owner())
            .column("guide_id", type: .bigint, .notNull, .references("guides", "id", onDelete: .cascade))
            .column("question_id", type: .bigint, .notNull, .references("questions", "id", onDelete: .cascade))
            .column("position", type: .bigint, .notNull, check("position > 0"))
            .primaryKey("guide_id", "question_id")
            .run()
        try await db.create(index: "guide_questions_question").on("guide_questions").column("question_id").run()
        try await db.create(table: "guide_personas")
            .column("owner_id", type: .bigint, owner())
            .column("guide_id", type: .bigint, .notNull, .references("guides", "id", onDelete: .cascade))
            .column("persona_id", type: .bigint, .notNull, .references("personas", "id", onDelete: .cascade))
            .column("position", type: .bigint, .notNull)
            .primaryKey("guide_id", "persona_id")
            .run()
        try await db.create(index: "guide_personas_persona").on("guide_personas").column("persona_id").run()
        try await db.alter(table: "conversations")
            .column("guide_id", type: .bigint, .references("guides", "id", onDelete: .setNull)).run()
        // The question as it was asked (placeholders filled) is kept, so editing the bank never rewrites history.
        try await db.create(table: "conversation_answers")
            .column("owner_id", type: .bigint, owner())
            .column("conversation_id", type: .bigint, .notNull, .references("conversations", "id", onDelete: .cascade))
            .column("position", type: .bigint, .notNull, check("position > 0"))
            .column("question_id", type: .bigint, .references("questions", "id", onDelete: .setNull))
            .column("question", type: .text, .notNull)
            .column("answer", type: .text, .notNull)
            .primaryKey("conversation_id", "position")
            .run()
        try await db.create(index: "conversation_answers_question").on("conversation_answers").column("question_id").run()
        // Accounts made before this step get the starter questions new accounts get.
        let now = Date()
        for account in try await db.select().column("id").from("accounts").all(decodingColumn: "id", as: Int64.self) {
            try await QuestionRows.seedStarters(owner: AccountID(account), now: now, on: db)
        }
    }

    @Sendable
    static func feedbackAndLearning(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await id(db, "feedback")
            .column("owner_id", type: .bigint, owner())
            .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
            .column("conversation_id", type: .bigint, .references("conversations", "id", onDelete: .setNull))
            .column("kind", type: .text, .notNull, oneOf("kind", ["pain", "need", "request", "praise", "bug", "usage", "workaround", "churn-risk"]))
            .column("text", type: .text, .notNull, check("length(text) > 0"))
            .column("quote", type: boolean, .notNull)
            .column("area", type: .text)
            .column("severity", type: .bigint, check("severity IS NULL OR severity BETWEEN 1 AND 5"))
            .column("secondhand", type: boolean, .notNull)
            .column("occurred_at", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(index: "feedback_owner_time").on("feedback").column("owner_id").column("occurred_at").run()
        try await db.create(index: "feedback_person").on("feedback").column("person_id").run()
        try await db.create(index: "feedback_conversation").on("feedback").column("conversation_id").run()
        try await id(db, "themes")
            .column("owner_id", type: .bigint, owner())
            .column("name", type: .text, .notNull, check("length(name) > 0"))
            .column("name_key", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .unique("owner_id", "name_key")
            .run()
        try await db.create(table: "feedback_themes")
            .column("owner_id", type: .bigint, owner())
            .column("feedback_id", type: .bigint, .notNull, .references("feedback", "id", onDelete: .cascade))
            .column("theme_id", type: .bigint, .notNull, .references("themes", "id", onDelete: .cascade))
            .column("position", type: .bigint, .notNull)
            .primaryKey("feedback_id", "theme_id")
            .run()
        try await db.create(index: "feedback_themes_theme").on("feedback_themes").column("theme_id").run()
        try await id(db, "feature_requests")
            .column("owner_id", type: .bigint, owner())
            .column("title", type: .text, .notNull, check("length(title) > 0"))
            .column("title_key", type: .text, .notNull)
            .column("problem", type: .text)
            .column("area", type: .text)
            .column("impact", type: .bigint, check("impact IS NULL OR impact BETWEEN 1 AND 5"))
            .column("effort", type: .bigint, check("effort IS NULL OR effort BETWEEN 1 AND 5"))
            .column("status", type: .text, .notNull, oneOf("status", ["new", "considering", "planned", "shipped", "declined"]))
            .column("status_at", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .unique("owner_id", "title_key")
            .run()
        try await db.create(table: "request_feedback")
            .column("owner_id", type: .bigint, owner())
            .column("request_id", type: .bigint, .notNull, .references("feature_requests", "id", onDelete: .cascade))
            .column("feedback_id", type: .bigint, .notNull, .references("feedback", "id", onDelete: .cascade))
            .column("linked_at", type: .text, .notNull)
            .primaryKey("request_id", "feedback_id")
            .run()
        try await db.create(index: "request_feedback_feedback").on("request_feedback").column("feedback_id").run()
        // Who was told a request shipped, so `requests notify` tells each person once.
        try await db.create(table: "request_notices")
            .column("owner_id", type: .bigint, owner())
            .column("request_id", type: .bigint, .notNull, .references("feature_requests", "id", onDelete: .cascade))
            .column("person_id", type: .bigint, .notNull, .references("people", "id", onDelete: .cascade))
            .column("notified_at", type: .text, .notNull)
            .primaryKey("request_id", "person_id")
            .run()
        try await id(db, "hypotheses")
            .column("owner_id", type: .bigint, owner())
            .column("text", type: .text, .notNull, check("length(text) > 0"))
            .column("area", type: .text)
            .column("status", type: .text, .notNull, oneOf("status", ["untested", "testing", "validated", "invalidated"]))
            .column("status_at", type: .text, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(table: "hypothesis_personas")
            .column("owner_id", type: .bigint, owner())
            .column("hypothesis_id", type: .bigint, .notNull, .references("hypotheses", "id", onDelete: .cascade))
            .column("persona_id", type: .bigint, .notNull, .references("personas", "id", onDelete: .cascade))
            .column("position", type: .bigint, .notNull)
            .primaryKey("hypothesis_id", "persona_id")
            .run()
        try await id(db, "hypothesis_evidence")
            .column("owner_id", type: .bigint, owner())
            .column("hypothesis_id", type: .bigint, .notNull, .references("hypotheses", "id", onDelete: .cascade))
            .column("feedback_id", type: .bigint, .references("feedback", "id", onDelete: .cascade))
            .column("conversation_id", type: .bigint, .references("conversations", "id", onDelete: .cascade))
            .column("supports", type: boolean, .notNull)
            .column("note", type: .text)
            .column("created_at", type: .text, .notNull)
            .check(SQLRaw("feedback_id IS NOT NULL OR conversation_id IS NOT NULL"), named: "hypothesis_evidence_source")
            .run()
        try await db.create(index: "hypothesis_evidence_hypothesis").on("hypothesis_evidence").column("hypothesis_id").run()
    }

    @Sendable
    static func goals(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await id(db, "goals")
            .column("owner_id", type: .bigint, owner())
            .column("title", type: .text, .notNull, check("length(title) > 0"))
            .column("metric", type: .text, .notNull, oneOf("metric", ["conversations", "people", "outreach", "personas-covered"]))
            .column("target", type: .bigint, .notNull, check("target > 0"))
            .column("from_day", type: .text, .notNull)
            .column("to_day", type: .text, .notNull, check("to_day >= from_day"))
            .column("kinds", type: .text, .notNull)
            .column("personas", type: .text, .notNull)
            .column("serves", type: .text)
            .column("archived", type: boolean, .notNull)
            .column("created_at", type: .text, .notNull)
            .column("updated_at", type: .text, .notNull)
            .run()
        try await db.create(index: "goals_owner").on("goals").column("owner_id").column("archived").run()
    }

    /// What reports may say of a company: its industry ("a logistics customer"), or its name when marked shareable.
    @Sendable
    static func companyDetails(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.alter(table: "companies").column("industry", type: .text).run()
        try await db.alter(table: "companies").column("shareable", type: boolean, .notNull, .default(false)).run()
    }

    /// A matching key for people's names (``TextIdentity/key(_:)``), looked up by owner, and a place to record which
    /// version of the text identity the stored keys and search index were made with (``TextKeys``).
    ///
    /// Literal SQL, the same on both databases: this step never changes once shipped.
    @Sendable
    static func textIdentity(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        for statement in [
            "ALTER TABLE people ADD COLUMN name_key TEXT NOT NULL DEFAULT ''",
            "CREATE INDEX people_owner_name_key ON people (owner_id, name_key)",
            "CREATE TABLE rapport_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
        ] {
            try await db.execute(sql: SQLRaw(statement)) { _ in }
        }
    }

    /// A person's birthday: `1985-04-15`, or `--04-15` without the year (``Birthday``). Literal SQL.
    @Sendable
    static func birthday(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        try await db.execute(sql: SQLRaw("ALTER TABLE people ADD COLUMN birthday TEXT")) { _ in }
    }

    /// SQLite's full-text index splits only at spaces, as PostgreSQL's `simple` parser does with the words Rapport
    /// writes (``SearchText``): `unicode61` also split at the vowel signs of Indic scripts, so the two databases
    /// found different people. The index is empty afterwards and ``TextKeys`` fills it again. Literal SQL.
    @Sendable
    static func searchWordsAsWritten(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        guard dialect == .sqlite else { return }
        for statement in [
            "DROP TABLE search_documents",
            """
            CREATE VIRTUAL TABLE search_documents USING fts5(
                kind UNINDEXED, ref_id UNINDEXED, owner_id UNINDEXED, heading, extra, body, tokenize = 'ascii')
            """,
            // So the keys and the index are made again after the migrations.
            "DELETE FROM rapport_meta WHERE key = 'text-identity'",
        ] {
            try await db.execute(sql: SQLRaw(statement)) { _ in }
        }
    }

    /// SQLite's search documents take their rowid from what they index (id × 4 + a code per kind, until 0013), so a
    /// write replaces its document without reading the whole index. The documents written before are removed and
    /// ``TextKeys`` writes them again. Literal SQL.
    @Sendable
    static func searchRowids(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        guard dialect == .sqlite else { return }
        for statement in ["DELETE FROM search_documents", "DELETE FROM rapport_meta WHERE key = 'text-identity'"] {
            try await db.execute(sql: SQLRaw(statement)) { _ in }
        }
    }

    /// Conversations indexed by owner, time and kind, so counting them per week and kind (``WeekCounts``: the streak,
    /// the dashboard's chart) reads only the index. It replaces `conversations_owner_time`, a prefix of it. Literal SQL.
    @Sendable
    static func conversationsWeekIndex(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        for statement in [
            "CREATE INDEX conversations_owner_time_kind ON conversations (owner_id, occurred_at, kind)",
            "DROP INDEX conversations_owner_time",
        ] {
            try await db.execute(sql: SQLRaw(statement)) { _ in }
        }
    }

    /// Each theme link carries its feedback's time and person (`feedback_themes.occurred_at`, `person_id`), kept by
    /// the database itself: a trigger fills them when a link is written, another follows the feedback when its time or
    /// person changes (an edit, a merge of people), whatever code path writes it. Theme figures (mentions, people,
    /// first and last heard, trends, personas, companies) then read the `feedback_themes_figures` index instead of
    /// joining every piece of feedback. Literal SQL.
    @Sendable
    static func feedbackThemesTimePerson(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        var statements = [
            "ALTER TABLE feedback_themes ADD COLUMN occurred_at TEXT",
            "ALTER TABLE feedback_themes ADD COLUMN person_id BIGINT",
            """
            UPDATE feedback_themes SET occurred_at = (SELECT f.occurred_at FROM feedback f WHERE f.id = feedback_themes.feedback_id),
                person_id = (SELECT f.person_id FROM feedback f WHERE f.id = feedback_themes.feedback_id)
            """,
            "CREATE INDEX feedback_themes_figures ON feedback_themes (owner_id, theme_id, occurred_at, person_id)",
        ]
        switch dialect {
        case .sqlite:
            statements += [
                """
                CREATE TRIGGER feedback_themes_fill AFTER INSERT ON feedback_themes BEGIN
                    UPDATE feedback_themes SET occurred_at = (SELECT f.occurred_at FROM feedback f WHERE f.id = NEW.feedback_id),
                        person_id = (SELECT f.person_id FROM feedback f WHERE f.id = NEW.feedback_id)
                    WHERE feedback_id = NEW.feedback_id AND theme_id = NEW.theme_id;
                END
                """,
                """
                CREATE TRIGGER feedback_themes_follow AFTER UPDATE OF occurred_at, person_id ON feedback BEGIN
                    UPDATE feedback_themes SET occurred_at = NEW.occurred_at, person_id = NEW.person_id WHERE feedback_id = NEW.id;
                END
                """,
            ]
        case .postgres:
            statements += [
                """
                CREATE FUNCTION rapport_feedback_themes_fill() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    SELECT f.occurred_at, f.person_id INTO NEW.occurred_at, NEW.person_id FROM feedback f WHERE f.id = NEW.feedback_id;
                    RETURN NEW;
                END $$
                """,
                """
                CREATE TRIGGER feedback_themes_fill BEFORE INSERT OR UPDATE OF feedback_id ON feedback_themes
                FOR EACH ROW EXECUTE FUNCTION rapport_feedback_themes_fill()
                """,
                """
                CREATE FUNCTION rapport_feedback_themes_follow() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    UPDATE feedback_themes SET occurred_at = NEW.occurred_at, person_id = NEW.person_id WHERE feedback_id = NEW.id;
                    RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER feedback_themes_follow AFTER UPDATE OF occurred_at, person_id ON feedback
                FOR EACH ROW EXECUTE FUNCTION rapport_feedback_themes_follow()
                """,
            ]
        }
        for statement in statements {
            try await db.execute(sql: SQLRaw(statement)) { _ in }
        }
    }

    /// Each person's latest direct conversation (`people.last_contact_at`, second-hand reports left out), kept by the
    /// database itself: triggers on `conversation_people` rewrite it on every insert, update and delete of a link,
    /// whatever code path writes it (a log, an edit, a merge, an import, a restore). `due` and `plan` then find who is
    /// due from the people table alone, without grouping every conversation. Literal SQL.
    @Sendable
    static func peopleLastContact(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        let latest = { (person: String) in
            "(SELECT MAX(occurred_at) FROM conversation_people WHERE person_id = \(person) AND kind <> 'secondhand')"
        }
        var statements = [
            "ALTER TABLE people ADD COLUMN last_contact_at TEXT",
            "UPDATE people SET last_contact_at = \(latest("people.id"))",
        ]
        switch dialect {
        case .sqlite:
            statements += [
                """
                CREATE TRIGGER people_last_contact_insert AFTER INSERT ON conversation_people
                WHEN NEW.kind <> 'secondhand' BEGIN
                    UPDATE people SET last_contact_at = NEW.occurred_at
                    WHERE id = NEW.person_id AND (last_contact_at IS NULL OR last_contact_at < NEW.occurred_at);
                END
                """,
                """
                CREATE TRIGGER people_last_contact_delete AFTER DELETE ON conversation_people
                WHEN OLD.kind <> 'secondhand' BEGIN
                    UPDATE people SET last_contact_at = \(latest("OLD.person_id")) WHERE id = OLD.person_id;
                END
                """,
                """
                CREATE TRIGGER people_last_contact_update AFTER UPDATE OF person_id, occurred_at, kind ON conversation_people
                BEGIN
                    UPDATE people SET last_contact_at = \(latest("people.id")) WHERE id IN (OLD.person_id, NEW.person_id);
                END
                """,
            ]
        case .postgres:
            statements += [
                """
                CREATE FUNCTION rapport_people_last_contact() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                    IF TG_OP <> 'INSERT' THEN
                        UPDATE people SET last_contact_at = \(latest("OLD.person_id")) WHERE id = OLD.person_id;
                    END IF;
                    IF TG_OP <> 'DELETE' THEN
                        UPDATE people SET last_contact_at = \(latest("NEW.person_id")) WHERE id = NEW.person_id;
                    END IF;
                    RETURN NULL;
                END $$
                """,
                """
                CREATE TRIGGER people_last_contact AFTER INSERT OR DELETE OR UPDATE OF person_id, occurred_at, kind
                ON conversation_people FOR EACH ROW EXECUTE FUNCTION rapport_people_last_contact()
                """,
            ]
        }
        for statement in statements {
            try await db.execute(sql: SQLRaw(statement)) { _ in }
        }
    }

    /// One full-text table per kind, keyed by the indexed row's id (``SearchKind``): a write touches one document by
    /// its key and a search of people reads people only (the one table made `people search team` work through every
    /// conversation and piece of feedback that says "team"). The documents are made again by ``TextKeys`` on open.
    /// Literal SQL.
    @Sendable
    static func searchPerKind(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        var statements = ["DROP TABLE search_documents"]
        for (table, source) in [("search_people", "people"), ("search_conversations", "conversations"), ("search_feedback", "feedback")] {
            switch dialect {
            case .sqlite:
                statements.append("CREATE VIRTUAL TABLE \(table) USING fts5(owner_id UNINDEXED, heading, extra, body, tokenize = 'ascii')")
            case .postgres:
                statements += [
                    """
                    CREATE TABLE \(table) (
                        id BIGINT PRIMARY KEY REFERENCES \(source)(id) ON DELETE CASCADE,
                        owner_id BIGINT NOT NULL REFERENCES accounts(id) ON DELETE CASCADE,
                        heading TEXT NOT NULL,
                        extra TEXT NOT NULL,
                        body TEXT NOT NULL,
                        document tsvector GENERATED ALWAYS AS (
                            setweight(to_tsvector('simple', heading), 'A') ||
                            setweight(to_tsvector('simple', extra), 'B') ||
                            setweight(to_tsvector('simple', body), 'C')) STORED)
                    """,
                    "CREATE INDEX \(table)_document ON \(table) USING GIN (document)",
                    "CREATE INDEX \(table)_owner ON \(table) (owner_id)",
                ]
            }
        }
        statements.append("DELETE FROM rapport_meta WHERE key = 'text-identity'")
        for statement in statements {
            try await db.execute(sql: SQLRaw(statement)) { _ in }
        }
    }
}
