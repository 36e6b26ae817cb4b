import Foundation
import RapportCore
import SQLKit

/// An attempt as just recorded, with what it set off: the conversation of `talked`, the follow-up of
/// `rescheduled`, the phone marked wrong, the pause after no-shows in a row.
public struct RecordedAttempt: Sendable, Encodable, Equatable {
    public var attempt: Attempt
    public var conversation: Conversation?
    public var followUp: FollowUp?
    public var phoneMarkedBad: String?
    public var pausedUntil: CalendarDay?
}

/// Filters for listing attempts.
public struct AttemptFilter: Sendable, Equatable {
    public var person: PersonID?
    public var campaign: String?
    public var since: Date?
    public var until: Date?
    public var limit: Int

    public init(person: PersonID? = nil, campaign: String? = nil, since: Date? = nil, until: Date? = nil, limit: Int = 500) {
        self.person = person
        self.campaign = campaign
        self.since = since
        self.until = until
        self.limit = limit
    }
}

/// Call attempts and their outcomes.
public struct AttemptRepository: Sendable {
    let store: Store

    /// Records an attempt on `person` and everything its outcome sets off, in one transaction; `zone` is the
    /// user's, for the day a pause ends.
    public func record(_ details: AttemptDetails, person: PersonID, zone: TimeZone, as owner: AccountID) async throws -> RecordedAttempt {
        let checked = try AttemptRules.validate(details, now: store.now())
        let now = store.stamp()
        let settings = try await store.settings.get(as: owner)
        return try await store.transaction { db in
            guard let target = try await PersonRows.load([person.rawValue], owner: owner, on: db).first else {
                throw RapportError.notFound(.person, "#\(person)")
            }
            let campaignID = try await checked.campaign.asyncMap { try await CampaignRows.id(named: $0, owner: owner, on: db) }
            var phone = checked.phone?.trimmed.nilIfEmpty
            if let given = phone {
                let digits = PhoneNumber.key(given)
                guard let match = target.details.phones.first(where: { PhoneNumber.key($0.value) == digits }) else {
                    let known = target.details.phones.map(\.value).joined(separator: ", ")
                    throw RapportError.invalid("phone", "\(given) is not one of \(target.name)'s numbers (\(known.isEmpty ? "none" : known)); leave it out to use their first good number")
                }
                phone = match.value
            } else {
                phone = target.callablePhone?.value ?? target.details.phones.first?.value
            }
            var phoneMarkedBad: String?
            var pausedUntil: CalendarDay?
            var conversationID: Int64?
            var followUpID: Int64?
            switch checked.outcome {
            case .talked:
                var call = ConversationDetails(kind: .call, at: checked.at)
                call.people = [target.id]
                call.notes = checked.note ?? ""
                let valid = try ConversationRules.validate(call, now: store.now())
                conversationID = try await ConversationRepository.insert(valid, owner: owner, now: now, on: db)
            case .rescheduled:
                if let when = checked.reschedule {
                    followUpID = try await ConversationRows.insertFollowUp(
                        "Call \(target.name) (rescheduled)", person: target.id, conversation: nil, due: when,
                        owner: owner, now: now, on: db)
                }
            case .wrongNumber:
                if let phone {
                    try await PersonRows.flagContact(target.id.rawValue, kind: "phone", value: phone,
                                                     reason: "wrong number", owner: owner, now: now, on: db)
                    phoneMarkedBad = phone
                }
            default:
                break
            }
            let id = try await db.insert(into: "attempts")
                .columns("owner_id", "person_id", "campaign_id", "outcome", "occurred_at", "note", "phone", "conversation_id", "followup_id", "created_at")
                .values(owner.rawValue, target.id.rawValue, campaignID, checked.outcome.rawValue, Timestamp.string(checked.at),
                        checked.note, phone, conversationID, followUpID, Timestamp.string(now))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            guard let id else { throw RapportError.storage("the database did not return the new attempt's id") }
            if checked.outcome == .noShow, let days = settings.noShowPauseDays {
                let latest = try await db.select().columns("outcome", "occurred_at").from("attempts")
                    .where("person_id", .equal, target.id.rawValue)
                    .orderBy("occurred_at", .descending).orderBy("id", .descending).limit(3).all()
                let outcomes = try latest.map { row in
                    (AttemptOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .noAnswer,
                     Timestamp.date(try row.decode(column: "occurred_at", as: String.self)) ?? now)
                }
                if let until = AttemptRules.pause(after: outcomes, days: days, zone: zone) {
                    try await db.update("people").set("paused_until", to: until.description)
                        .where("id", .equal, target.id.rawValue).run()
                    pausedUntil = until
                }
            }
            let attempt = try await Self.load(owner: owner, on: db) { $0.where(SQLColumn("id", table: "attempts"), .equal, SQLBind(id)) }[0]
            return RecordedAttempt(
                attempt: attempt,
                conversation: try await conversationID.asyncMap { try await ConversationRepository.one($0, owner, db) },
                followUp: try await followUpID.asyncMap { try await ConversationRows.followUp($0, owner: owner, on: db) },
                phoneMarkedBad: phoneMarkedBad, pausedUntil: pausedUntil)
        }
    }

    /// Attempts, newest first.
    public func list(_ filter: AttemptFilter = AttemptFilter(), as owner: AccountID) async throws -> [Attempt] {
        try await store.withSession { db in
            var campaignID: Int64?
            if let name = filter.campaign { campaignID = try await CampaignRows.id(named: name, owner: owner, on: db) }
            return try await Self.load(owner: owner, on: db) { query in
                var q = query
                if let person = filter.person { q = q.where(SQLColumn("person_id", table: "attempts"), .equal, SQLBind(person.rawValue)) }
                if let campaignID { q = q.where(SQLColumn("campaign_id", table: "attempts"), .equal, SQLBind(campaignID)) }
                if let since = filter.since { q = q.where(SQLColumn("occurred_at", table: "attempts"), .greaterThanOrEqual, SQLBind(Timestamp.string(since))) }
                if let until = filter.until { q = q.where(SQLColumn("occurred_at", table: "attempts"), .lessThan, SQLBind(Timestamp.string(until))) }
                return q.orderBy(SQLOrderBy(expression: SQLColumn("occurred_at", table: "attempts"), direction: SQLDirection.descending))
                    .orderBy(SQLOrderBy(expression: SQLColumn("id", table: "attempts"), direction: SQLDirection.descending)).limit(max(1, filter.limit))
            }
        }
    }

    /// Deletes an attempt; what it set off (a conversation, a follow-up, a bad-number mark) stays.
    public func delete(_ id: AttemptID, as owner: AccountID) async throws {
        try await store.transaction { db in
            let found = try await db.select().column("id").from("attempts")
                .where("owner_id", .equal, owner.rawValue).where("id", .equal, id.rawValue).first()
            guard found != nil else { throw RapportError.notFound(.attempt, "#\(id)") }
            try await db.delete(from: "attempts").where("id", .equal, id.rawValue).run()
        }
    }

    static func load(owner: AccountID, on db: any SQLDatabase, _ refine: (SQLSelectBuilder) -> SQLSelectBuilder) async throws -> [Attempt] {
        let query = db.select()
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("attempts")))
            .column(SQLColumn("name", table: "people"), as: "person_name")
            .column(SQLColumn("name", table: "campaigns"), as: "campaign_name")
            .from("attempts")
            .join("people", on: SQLColumn("id", table: "people"), .equal, SQLColumn("person_id", table: "attempts"))
            .join("campaigns", method: SQLJoinMethod.left, on: SQLColumn("id", table: "campaigns"), .equal, SQLColumn("campaign_id", table: "attempts"))
            .where(SQLColumn("owner_id", table: "attempts"), .equal, SQLBind(owner.rawValue))
        return try await refine(query).all().map { row in
            Attempt(
                id: AttemptID(try row.decode(column: "id", as: Int64.self)),
                person: PersonSummary(id: PersonID(try row.decode(column: "person_id", as: Int64.self)),
                                      name: try row.decode(column: "person_name", as: String.self)),
                outcome: AttemptOutcome(rawValue: try row.decode(column: "outcome", as: String.self)) ?? .noAnswer,
                at: Timestamp.date(try row.decode(column: "occurred_at", as: String.self)) ?? .distantPast,
                note: try row.value("note", as: String.self),
                campaign: try row.value("campaign_name", as: String.self),
                phone: try row.value("phone", as: String.self),
                conversation: try row.value("conversation_id", as: Int64.self).map(ConversationID.init),
                followUp: try row.value("followup_id", as: Int64.self).map(FollowUpID.init),
                createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast)
        }
    }
}

