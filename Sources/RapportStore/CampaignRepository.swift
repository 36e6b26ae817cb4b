import Foundation
import RapportCore
import SQLKit

/// A campaign with how its emails stand.
public struct CampaignOverview: Sendable, Encodable, Equatable {
    public var campaign: Campaign
    /// Recipients by status (`queued`, `sent`, `replied-yes`, ...), every status present.
    public var statuses: [String: Int]
    public var recipients: Int
    /// The latest batch's week.
    public var lastWeek: ISOWeek?

    private enum Keys: String, CodingKey { case statuses, recipients, lastWeek }

    public func encode(to encoder: any Encoder) throws {
        try campaign.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(statuses, forKey: .statuses)
        try c.encode(recipients, forKey: .recipients)
        try c.encode(lastWeek, forKey: .lastWeek)
    }
}

/// A recipient's status after `campaigns mark`, with what it set off.
public struct MarkedRecipient: Sendable, Encodable, Equatable {
    public var recipient: CampaignRecipient
    /// Set when `opted-out` marked the person do-not-contact.
    public var doNotContact: String?
    /// Set when `bounced` marked the email bad.
    public var emailMarkedBad: String?
}

/// Email campaigns, their weekly batches and their recipients.
public struct CampaignRepository: Sendable {
    let store: Store

    /// Adds a campaign after checking it (unknown placeholders and personas are refused, with the fix).
    public func add(_ details: CampaignDetails, as owner: AccountID) async throws -> Campaign {
        let settings = try await store.settings.get(as: owner)
        let d = try CampaignRules.validate(details, defaultProduct: settings.value("product"), defaultSender: settings.value("sender.name"))
        let now = Timestamp.string(store.stamp())
        return try await store.transaction { db in
            _ = try await PersonRows.personaIDs(d.personas, owner: owner, on: db)
            try await Self.checkNameFree(d.name, except: nil, owner: owner, on: db)
            var columns = try Self.columns(d)
            columns += [("owner_id", owner.rawValue), ("state", CampaignState.active.rawValue), ("created_at", now), ("updated_at", now)]
            let id = try await db.insert(into: "campaigns").columns(columns.map(\.0)).values(columns.map(\.1))
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            guard let id else { throw RapportError.storage("the database did not return the new campaign's id") }
            return try await CampaignRows.load(owner: owner, id: id, on: db)
        }
    }

    /// Changes a campaign in one transaction: reads it as stored, makes `patch`, checks and writes.
    public func update(_ ref: String, with patch: CampaignPatch, as owner: AccountID) async throws -> Campaign {
        let settings = try await store.settings.get(as: owner)
        let now = Timestamp.string(store.stamp())
        return try await store.transaction { db in
            let id = try await CampaignRows.id(named: ref, owner: owner, on: db)
            let stored = try await CampaignRows.load(owner: owner, id: id, on: db).details
            var update = db.update("campaigns").set("updated_at", to: now)
            let details = patch.applied(to: stored)
            if details != stored {
                let d = try CampaignRules.validate(details, defaultProduct: settings.value("product"), defaultSender: settings.value("sender.name"))
                _ = try await PersonRows.personaIDs(d.personas, owner: owner, on: db)
                try await Self.checkNameFree(d.name, except: id, owner: owner, on: db)
                for (column, value) in try Self.columns(d) { update = update.set(SQLIdentifier(column), to: SQLBind(value)) }
            }
            if let state = patch.state { update = update.set("state", to: state.rawValue) }
            try await update.where("id", .equal, id).run()
            return try await CampaignRows.load(owner: owner, id: id, on: db)
        }
    }

    /// Pauses a campaign (no new batches) or resumes it.
    public func setState(_ ref: String, _ state: CampaignState, as owner: AccountID) async throws -> Campaign {
        var patch = CampaignPatch()
        patch.state = state
        return try await update(ref, with: patch, as: owner)
    }

    /// The campaign named `ref` (any letter case) or with that id.
    public func get(_ ref: String, as owner: AccountID) async throws -> Campaign {
        try await store.withSession { db in
            try await CampaignRows.load(owner: owner, id: try await CampaignRows.id(named: ref, owner: owner, on: db), on: db)
        }
    }

    /// Every campaign, active first, then by name, with its recipients' statuses.
    public func list(as owner: AccountID) async throws -> [CampaignOverview] {
        try await store.withSession { db in
            let ids = try await db.select().column("id").from("campaigns").where("owner_id", .equal, owner.rawValue)
                .orderBy("state").orderBy("name_key").all(decodingColumn: "id", as: Int64.self)
            let counts = try await db.select().columns("campaign_id", "status")
                .column(SQLFunction("count", args: SQLLiteral.all), as: "n")
                .column(SQLFunction("max", args: SQLColumn("week")), as: "last_week")
                .from("campaign_recipients").where("owner_id", .equal, owner.rawValue)
                .groupBy("campaign_id").groupBy("status").all()
            var byCampaign: [Int64: (statuses: [String: Int], last: String?)] = [:]
            for row in counts {
                let id = try row.decode(column: "campaign_id", as: Int64.self)
                var entry = byCampaign[id] ?? ([:], nil)
                entry.statuses[try row.decode(column: "status", as: String.self)] = Int(try row.decode(column: "n", as: Int64.self))
                let week = try row.value("last_week", as: String.self)
                if let week, week > (entry.last ?? "") { entry.last = week }
                byCampaign[id] = entry
            }
            var out: [CampaignOverview] = []
            for id in ids {
                let campaign = try await CampaignRows.load(owner: owner, id: id, on: db)
                let entry = byCampaign[id] ?? ([:], nil)
                var statuses: [String: Int] = [:]
                for status in RecipientStatus.allCases { statuses[status.rawValue] = entry.statuses[status.rawValue] ?? 0 }
                out.append(CampaignOverview(campaign: campaign, statuses: statuses, recipients: entry.statuses.values.reduce(0, +),
                                            lastWeek: entry.last.flatMap(ISOWeek.init(text:))))
            }
            return out
        }
    }

    /// Deletes a campaign and its recipients; attempts logged with it stay, without the campaign.
    public func delete(_ ref: String, as owner: AccountID) async throws {
        try await store.transaction { db in
            let id = try await CampaignRows.id(named: ref, owner: owner, on: db)
            try await db.delete(from: "campaigns").where("id", .equal, id).run()
        }
    }

    /// The week's batch: the one made before for that week, or a new one picked by ``BatchPicker`` (stored unless
    /// `dryRun`). Each email is rendered for its person.
    public func batch(_ ref: String, week: ISOWeek, dryRun: Bool, as owner: AccountID) async throws -> CampaignBatch {
        let settings = try await store.settings.get(as: owner)
        let now = store.stamp()
        return try await store.transaction { db in
            let id = try await CampaignRows.id(named: ref, owner: owner, on: db)
            let campaign = try await CampaignRows.load(owner: owner, id: id, on: db)
            let existing = try await CampaignRows.recipients(owner: owner, on: db) {
                $0.where(SQLColumn("campaign_id", table: "campaign_recipients"), .equal, SQLBind(id))
                    .where(SQLColumn("week", table: "campaign_recipients"), .equal, SQLBind(week.description))
            }
            if !existing.isEmpty {
                return CampaignBatch(campaign: campaign.name, week: week, existing: true, dryRun: dryRun, recipients: existing, skipped: [:])
            }
            if campaign.state == .paused && !dryRun {
                throw RapportError.conflict(field: "campaign", message: "\(campaign.name) is paused; resume it with `rapport campaigns resume \"\(campaign.name)\"`, or preview with --dry-run")
            }
            // Only a new batch needs everyone and their history, read on this transaction's connection.
            let ids = try await db.select().column("id").from("people")
                .where("owner_id", .equal, owner.rawValue).where("archived", .equal, false)
                .all(decodingColumn: "id", as: Int64.self)
            let people = try await PersonRows.load(ids, owner: owner, on: db)
            let histories = try await ConversationRepository.histories(nil, owner: owner, on: db)
            // Every campaign email so far counts as a touch (queued ones too: they are about to go out).
            var lastEmail: [Int64: Date] = [:]
            for row in try await db.select().column("person_id").column(SQLFunction("max", args: SQLColumn("created_at")), as: "last")
                .from("campaign_recipients").where("owner_id", .equal, owner.rawValue).groupBy("person_id").all() {
                if let at = try row.value("last", as: String.self).flatMap(Timestamp.date) {
                    lastEmail[try row.decode(column: "person_id", as: Int64.self)] = at
                }
            }
            var otherBatch: [Int64: String] = [:]
            for row in try await db.select().column(SQLColumn("person_id", table: "campaign_recipients")).column(SQLColumn("name", table: "campaigns"))
                .from("campaign_recipients")
                .join("campaigns", on: SQLColumn("id", table: "campaigns"), .equal, SQLColumn("campaign_id", table: "campaign_recipients"))
                .where(SQLColumn("owner_id", table: "campaign_recipients"), .equal, SQLBind(owner.rawValue))
                .where(SQLColumn("week", table: "campaign_recipients"), .equal, SQLBind(week.description))
                .where(SQLColumn("campaign_id", table: "campaign_recipients"), .notEqual, SQLBind(id))
                .where(SQLColumn("state", table: "campaigns"), .equal, SQLBind(CampaignState.active.rawValue)).all() {
                otherBatch[try row.decode(column: "person_id", as: Int64.self)] = try row.decode(column: "name", as: String.self)
            }
            let already = Set(try await db.select().column("person_id").from("campaign_recipients")
                .where("campaign_id", .equal, id).all(decodingColumn: "person_id", as: Int64.self))
            let candidates = people.map { person in
                let h = histories[person.id] ?? .none
                let touches = [h.lastContact, h.lastAsked, lastEmail[person.id.rawValue]].compactMap { $0 }
                return BatchCandidate(person: person, lastTouch: touches.max(), inOtherBatch: otherBatch[person.id.rawValue],
                                      alreadyInCampaign: already.contains(person.id.rawValue))
            }
            let (picked, skipped) = BatchPicker.pick(candidates, campaign: campaign.details, now: now)
            var recipients: [CampaignRecipient] = []
            for (position, person) in picked.enumerated() {
                let values = MessageTemplate.values(for: person, campaign: campaign.details, product: settings.value("product"),
                                                    sender: settings.value("sender.name"))
                let recipient = CampaignRecipient(
                    person: person.summary, company: person.details.company, email: person.mailableEmail?.value ?? "",
                    week: week, status: .queued, statusAt: now,
                    subject: MessageTemplate.render(campaign.details.subject, values: values),
                    body: MessageTemplate.render(campaign.details.body, values: values))
                recipients.append(recipient)
                if !dryRun {
                    try await db.insert(into: "campaign_recipients")
                        .columns("owner_id", "campaign_id", "person_id", "week", "position", "email", "subject", "body", "status", "status_at", "created_at")
                        .values(owner.rawValue, id, person.id.rawValue, week.description, Int64(position), recipient.email,
                                recipient.subject, recipient.body, RecipientStatus.queued.rawValue, Timestamp.string(now), Timestamp.string(now))
                        .run()
                }
            }
            return CampaignBatch(campaign: campaign.name, week: week, existing: false, dryRun: dryRun, recipients: recipients, skipped: skipped)
        }
    }

    /// The campaign's recipients, of one week or all, by week then position.
    public func recipients(_ ref: String, week: ISOWeek? = nil, as owner: AccountID) async throws -> [CampaignRecipient] {
        try await store.withSession { db in
            let id = try await CampaignRows.id(named: ref, owner: owner, on: db)
            return try await CampaignRows.recipients(owner: owner, on: db) { query in
                var q = query.where(SQLColumn("campaign_id", table: "campaign_recipients"), .equal, SQLBind(id))
                if let week { q = q.where(SQLColumn("week", table: "campaign_recipients"), .equal, SQLBind(week.description)) }
                return q
            }
        }
    }

    /// Sets the status of these people's emails in the campaign. `opted-out` marks them do-not-contact ("opted out
    /// of NAME"); `bounced` marks the address bad. One transaction: an unknown person changes nothing.
    public func mark(_ ref: String, people: [PersonID], status: RecipientStatus, as owner: AccountID) async throws -> [MarkedRecipient] {
        guard status != .queued else {
            throw RapportError.invalid("status", "queued is set by the batch; give one of " + RecipientStatus.markable.map(\.rawValue).joined(separator: ", "))
        }
        let now = store.stamp()
        return try await store.transaction { db in
            let id = try await CampaignRows.id(named: ref, owner: owner, on: db)
            let campaign = try await CampaignRows.load(owner: owner, id: id, on: db)
            var out: [MarkedRecipient] = []
            for person in people {
                let found = try await CampaignRows.recipients(owner: owner, on: db) {
                    $0.where(SQLColumn("campaign_id", table: "campaign_recipients"), .equal, SQLBind(id))
                        .where(SQLColumn("person_id", table: "campaign_recipients"), .equal, SQLBind(person.rawValue))
                }
                guard var recipient = found.first else {
                    let name = try await PersonRows.load([person.rawValue], owner: owner, on: db).first?.name ?? "#\(person)"
                    throw RapportError.invalid("person", "\(name) is in no batch of \(campaign.name); see who is with `rapport campaigns show \"\(campaign.name)\"`")
                }
                try await db.update("campaign_recipients").set("status", to: status.rawValue).set("status_at", to: Timestamp.string(now))
                    .where("campaign_id", .equal, id).where("person_id", .equal, person.rawValue).run()
                recipient.status = status
                recipient.statusAt = now
                var marked = MarkedRecipient(recipient: recipient, doNotContact: nil, emailMarkedBad: nil)
                if status == .optedOut {
                    let reason = "opted out of \(campaign.name)"
                    try await db.update("people").set("dnc_reason", to: reason).set("dnc_since", to: Timestamp.string(now))
                        .set("updated_at", to: Timestamp.string(now))
                        .where("id", .equal, person.rawValue).where("owner_id", .equal, owner.rawValue).where(SQLColumn("dnc_reason"), .is, SQLLiteral.null).run()
                    marked.doNotContact = reason
                }
                if status == .bounced {
                    try await PersonRows.flagContact(person.rawValue, kind: "email", value: recipient.email,
                                                     reason: "bounced (\(campaign.name))", owner: owner, now: now, on: db)
                    marked.emailMarkedBad = recipient.email
                }
                out.append(marked)
            }
            return out
        }
    }

    static func checkNameFree(_ name: String, except: Int64?, owner: AccountID, on db: any SQLDatabase) async throws {
        if let stored = try await NamedRows.taken(name, table: "campaigns", except: except, owner: owner, on: db) {
            throw RapportError.conflict(field: "name", message: "a campaign named \"\(stored.name)\" already exists; choose another name, or change it with `rapport campaigns edit \"\(stored.name)\"`")
        }
    }

    static func columns(_ d: CampaignDetails) throws -> [(String, any Encodable & Sendable)] {
        let encoder = JSONEncoder()
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        return [
            ("name", d.name), ("name_key", d.name.matchingKey), ("ask", d.ask), ("subject", d.subject), ("body", d.body),
            ("personas", try json(d.personas)), ("tags", try json(d.tags)), ("stages", try json(d.stages.map(\.rawValue))),
            ("weekly", Int64(d.weekly)), ("cooldown_days", Int64(d.cooldownDays)), ("product", d.product), ("sender", d.sender),
        ]
    }
}

/// Reads the rows behind campaigns and their recipients, inside the caller's session or transaction.
enum CampaignRows {
    /// The id of the campaign named `ref` (any letter case), or with that id (`12`, `#12`).
    static func id(named ref: String, owner: AccountID, on db: any SQLDatabase) async throws -> Int64 {
        try await NamedRows.id(ref, table: "campaigns", owner: owner, on: db) { name, closest in
            closest.map { RapportError.invalid("campaign", "no campaign is named \"\(name)\"; did you mean \"\($0)\"?") }
                ?? .notFound(.campaign, name)
        }
    }

    static func load(owner: AccountID, id: Int64, on db: any SQLDatabase) async throws -> Campaign {
        guard let row = try await db.select().column(SQLLiteral.all).from("campaigns")
            .where("owner_id", .equal, owner.rawValue).where("id", .equal, id).first() else {
            throw RapportError.notFound(.campaign, "#\(id)")
        }
        var d = CampaignDetails(name: try row.decode(column: "name", as: String.self), ask: try row.decode(column: "ask", as: String.self),
                                subject: try row.decode(column: "subject", as: String.self), body: try row.decode(column: "body", as: String.self))
        d.personas = try row.jsonStrings("personas")
        d.tags = try row.jsonStrings("tags")
        d.stages = try row.jsonStrings("stages").compactMap(Stage.init(rawValue:))
        d.weekly = Int(try row.decode(column: "weekly", as: Int64.self))
        d.cooldownDays = Int(try row.decode(column: "cooldown_days", as: Int64.self))
        d.product = try row.value("product", as: String.self)
        d.sender = try row.value("sender", as: String.self)
        return Campaign(
            id: CampaignID(id), details: d,
            state: CampaignState(rawValue: try row.decode(column: "state", as: String.self)) ?? .active,
            createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
            updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast)
    }

    static func recipients(
        owner: AccountID, on db: any SQLDatabase, _ refine: (SQLSelectBuilder) -> SQLSelectBuilder
    ) async throws -> [CampaignRecipient] {
        let query = db.select()
            .column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("campaign_recipients")))
            .column(SQLColumn("name", table: "people"), as: "person_name")
            .column(SQLColumn("name", table: "companies"), as: "company_name")
            .from("campaign_recipients")
            .join("people", on: SQLColumn("id", table: "people"), .equal, SQLColumn("person_id", table: "campaign_recipients"))
            .join("companies", method: SQLJoinMethod.left, on: SQLColumn("id", table: "companies"), .equal, SQLColumn("company_id", table: "people"))
            .where(SQLColumn("owner_id", table: "campaign_recipients"), .equal, SQLBind(owner.rawValue))
        let rows = try await refine(query)
            .orderBy(SQLColumn("week", table: "campaign_recipients")).orderBy(SQLColumn("position", table: "campaign_recipients"))
            .all()
        return try rows.map { row in
            CampaignRecipient(
                person: PersonSummary(id: PersonID(try row.decode(column: "person_id", as: Int64.self)),
                                      name: try row.decode(column: "person_name", as: String.self)),
                company: try row.value("company_name", as: String.self),
                email: try row.decode(column: "email", as: String.self),
                week: ISOWeek(text: try row.decode(column: "week", as: String.self)) ?? ISOWeek(year: 1970, week: 1),
                status: RecipientStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .queued,
                statusAt: Timestamp.date(try row.decode(column: "status_at", as: String.self)) ?? .distantPast,
                subject: try row.decode(column: "subject", as: String.self),
                body: try row.decode(column: "body", as: String.self))
        }
    }
}
