import Foundation
import RapportCore
import SQLKit

/// Follow-ups: what the PM owes each person, with due days.
public struct FollowUpRepository: Sendable {
    let store: Store

    /// Adds a follow-up for `person`, optionally tied to one of their conversations.
    public func add(
        _ text: String, person: PersonID, conversation: ConversationID? = nil, due: TypedMoment?, as owner: AccountID
    ) async throws -> FollowUp {
        let text = try FollowUp.validText(text)
        let now = store.stamp()
        return try await store.transaction { db in
            _ = try await PeopleRepository.one(person.rawValue, owner, db)
            if let conversation {
                let found = try await ConversationRepository.one(conversation.rawValue, owner, db)
                guard found.details.people.contains(person) else {
                    throw RapportError.invalid("conversation", "conversation #\(conversation) was not with this person; pick one of theirs or leave it out")
                }
            }
            let id = try await ConversationRows.insertFollowUp(text, person: person, conversation: conversation?.rawValue, due: due, owner: owner, now: now, on: db)
            return try await ConversationRows.followUp(id, owner: owner, on: db)
        }
    }

    public func get(_ id: FollowUpID, as owner: AccountID) async throws -> FollowUp {
        try await store.withSession { db in try await ConversationRows.followUp(id.rawValue, owner: owner, on: db) }
    }

    /// Follow-ups in `state`, optionally of one person, from one conversation, or of the people at a company (named
    /// as stored), by due day (undated last).
    public func list(
        _ state: FollowUpState, person: PersonID? = nil, conversation: ConversationID? = nil, company: String? = nil,
        as owner: AccountID
    ) async throws -> [FollowUp] {
        try await store.withSession { db in
            try await ConversationRows.loadFollowUps(owner: owner, on: db) { query in
                var q = query
                switch state {
                case .open: q = q.where(SQLColumn("done_at", table: "followups"), .is, SQLLiteral.null)
                case .done: q = q.where(SQLColumn("done_at", table: "followups"), .isNot, SQLLiteral.null)
                case .all: break
                }
                if let person { q = q.where(SQLColumn("person_id", table: "followups"), .equal, SQLBind(person.rawValue)) }
                if let conversation { q = q.where(SQLColumn("conversation_id", table: "followups"), .equal, SQLBind(conversation.rawValue)) }
                if let company {
                    q = q.join("companies", on: SQLColumn("id", table: "companies"), .equal, SQLColumn("company_id", table: "people"))
                        .where(SQLColumn("name_key", table: "companies"), .equal, SQLBind(company.matchingKey))
                }
                return q.orderBy(SQLRaw("CASE WHEN followups.due_day IS NULL THEN 1 ELSE 0 END"))
                    .orderBy(SQLColumn("due_day", table: "followups"))
                    .orderBy(SQLColumn("due_at", table: "followups"))
                    .orderBy(SQLColumn("id", table: "followups"))
            }
        }
    }

    /// Marks a follow-up done (or open again when `done` is false).
    public func setDone(_ id: FollowUpID, _ done: Bool = true, as owner: AccountID) async throws -> FollowUp {
        let now = store.stamp()
        return try await store.transaction { db in
            _ = try await ConversationRows.followUp(id.rawValue, owner: owner, on: db)
            try await db.update("followups").set("done_at", to: done ? Timestamp.string(now) : nil)
                .set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            return try await ConversationRows.followUp(id.rawValue, owner: owner, on: db)
        }
    }

    /// Moves an open follow-up to a later day.
    public func snooze(_ id: FollowUpID, until: TypedMoment, today: CalendarDay, as owner: AccountID) async throws -> FollowUp {
        guard until.day > today else {
            throw RapportError.invalid("until", "snooze to a day after today (\(today)), e.g. --until monday or --until \"in 3 days\"")
        }
        let now = store.stamp()
        return try await store.transaction { db in
            let current = try await ConversationRows.followUp(id.rawValue, owner: owner, on: db)
            guard current.isOpen else {
                throw RapportError.conflict(field: "followUp", message: "follow-up #\(id) is done; reopen it before snoozing it")
            }
            try await db.update("followups").set("due_day", to: until.day.description)
                .set("due_at", to: until.hasTime ? Timestamp.string(until.date) : nil)
                .set("snoozes", to: Int64(current.snoozes + 1))
                .set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            return try await ConversationRows.followUp(id.rawValue, owner: owner, on: db)
        }
    }

    /// Changes the text or due day of a follow-up (`due` `.some(nil)` clears it).
    public func edit(_ id: FollowUpID, text: String?, due: TypedMoment??, as owner: AccountID) async throws -> FollowUp {
        let text = try text.map(FollowUp.validText)
        let now = store.stamp()
        return try await store.transaction { db in
            _ = try await ConversationRows.followUp(id.rawValue, owner: owner, on: db)
            var update = db.update("followups").set("updated_at", to: Timestamp.string(now))
            if let text { update = update.set("text", to: text) }
            if let due {
                update = update.set("due_day", to: due?.day.description)
                    .set("due_at", to: due.flatMap { $0.hasTime ? Timestamp.string($0.date) : nil })
            }
            try await update.where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            return try await ConversationRows.followUp(id.rawValue, owner: owner, on: db)
        }
    }

    public func delete(_ id: FollowUpID, as owner: AccountID) async throws {
        try await store.transaction { db in
            _ = try await ConversationRows.followUp(id.rawValue, owner: owner, on: db)
            try await db.delete(from: "followups").where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
        }
    }
}
