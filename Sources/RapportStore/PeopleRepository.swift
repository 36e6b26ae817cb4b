import Foundation
import RapportCore
import SQLKit

/// A person as just written, with what Rapport inferred for the user (to be shown, not hidden).
public struct SavedPerson: Sendable, Equatable {
    public var person: Person
    public var notices: [String]
}

/// People: add, change, find, list, search, merge, archive and do-not-contact, one transaction per intent.
public struct PeopleRepository: Sendable {
    let store: Store

    /// Adds a person after checking every field; nothing is written when any field is wrong.
    ///
    /// - Throws: ``RapportError/duplicate(_:)`` when someone already stored has the same name (by matching key), one
    ///   of the emails or one of the phones (``PhoneNumber/key(_:)``), unless `allowDuplicate`; an email stays one
    ///   person's even then (it is what mail is matched by).
    public func add(_ details: PersonDetails, allowDuplicate: Bool = false, as owner: AccountID) async throws -> SavedPerson {
        let checked = try PersonRules.validate(details, timeZones: store.timeZones, today: store.now())
        let now = store.stamp()
        let dialect = store.dialect
        let person = try await store.transaction { db in
            try await dialect.lockCircle(of: owner, on: db)
            let d = checked.details
            let personaIDs = try await PersonRows.personaIDs(d.personas, owner: owner, on: db)
            if let match = try await PersonRows.duplicate(of: d, owner: owner, on: db),
               !allowDuplicate || match.basis.contains(.email) {
                throw RapportError.duplicate(match)
            }
            let id = try await PersonRows.insert(d, personaIDs: personaIDs, owner: owner, now: now, on: db)
            return try await Self.one(id, owner, db)
        }
        return SavedPerson(person: person, notices: checked.notices)
    }

    /// Changes a person in one transaction: reads them as stored, makes `patch`, checks and writes. Fields the patch
    /// does not name keep what they had, whatever changed them since the caller last read the person.
    public func update(_ id: PersonID, with patch: PersonPatch, as owner: AccountID) async throws -> SavedPerson {
        let timeZones = store.timeZones, today = store.now(), now = store.stamp()
        let reason = try patch.doNotContact.map { change in try change.value.map(DoNotContact.checkedReason) }
        let dialect = store.dialect
        return try await store.transaction { db in
            try await dialect.lockCircle(of: owner, on: db)
            let stored = try await Self.one(id.rawValue, owner, db)
            var notices: [String] = []
            let details = patch.applied(to: stored.details)
            if details != stored.details {
                let checked = try PersonRules.validate(details, timeZones: timeZones, today: today)
                try await Self.write(id.rawValue, checked.details, owner: owner, now: now, on: db)
                notices = checked.notices
            }
            var update = db.update("people").set("updated_at", to: Timestamp.string(now))
            if let archived = patch.archived { update = update.set("archived", to: archived) }
            if let reason {
                update = update.set("dnc_reason", to: reason)
                    .set("dnc_since", to: reason == nil ? nil : Timestamp.string(stored.doNotContact?.since ?? now))
            }
            try await update.where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            return SavedPerson(person: try await Self.one(id.rawValue, owner, db), notices: notices)
        }
    }

    /// Pairs of people who are likely one person: the same name (by matching key) or the same phone
    /// (``PhoneNumber/key(_:)``), older first in each pair, pairs by the older's id. Emails never repeat: each
    /// belongs to one person.
    public func duplicates(as owner: AccountID) async throws -> [DuplicatePair] {
        try await store.withSession { db in
            var bases: [[Int64]: Set<DuplicateBasis>] = [:]
            for (table, key, person, basis) in [("people", "name_key", "id", DuplicateBasis.name), ("person_phones", "digits", "person_id", .phone)] {
                func column(_ name: String, _ alias: String) -> SQLColumn { SQLColumn(name, table: alias) }
                let same = SQLBinaryExpression(
                    SQLBinaryExpression(column("owner_id", "b"), .equal, column("owner_id", "a")), .and,
                    SQLBinaryExpression(
                        SQLBinaryExpression(column(key, "b"), .equal, column(key, "a")), .and,
                        SQLBinaryExpression(column(person, "b"), .greaterThan, column(person, "a"))))
                let rows = try await db.select()
                    .column(column(person, "a"), as: "first").column(column(person, "b"), as: "second")
                    .from(SQLAlias(SQLIdentifier(table), as: SQLIdentifier("a")))
                    .join(SQLAlias(SQLIdentifier(table), as: SQLIdentifier("b")), method: SQLJoinMethod.inner, on: same)
                    .where(column("owner_id", "a"), .equal, SQLBind(owner.rawValue))
                    .where(column(key, "a"), .notEqual, SQLBind(""))
                    .all()
                for row in rows {
                    let pair = [try row.decode(column: "first", as: Int64.self), try row.decode(column: "second", as: Int64.self)]
                    bases[pair, default: []].insert(basis)
                }
            }
            let ids = Array(Set(bases.keys.flatMap { $0 })).sorted()
            let people = Dictionary(firstOf: try await PersonRows.load(ids, owner: owner, on: db).map { ($0.id.rawValue, $0) })
            return bases.keys.sorted { ($0[0], $0[1]) < ($1[0], $1[1]) }.compactMap { pair in
                guard let first = people[pair[0]], let second = people[pair[1]] else { return nil }
                return DuplicatePair(first: first, second: second, basis: DuplicateBasis.allCases.filter { bases[pair]?.contains($0) == true })
            }
        }
    }

    /// The person with this id.
    public func get(_ id: PersonID, as owner: AccountID) async throws -> Person {
        try await store.withSession { db in try await Self.one(id.rawValue, owner, db) }
    }

    /// The people with these ids (archived too), in the order given; ids of deleted people or of another account are
    /// left out. Read a chunk of ids to a statement.
    public func get(_ ids: [PersonID], as owner: AccountID) async throws -> [Person] {
        try await store.withSession { db in try await PersonRows.load(ids.map(\.rawValue), owner: owner, on: db) }
    }

    /// People by id with only what a report describes them by (name, title, company, stage, personas; see
    /// `PersonRows.loadDescribed`), in the order of `ids`; unknown ids and other accounts' people are left out. Not
    /// public: every other field holds its default, so these are no records to list, export or call.
    func described(_ ids: [PersonID], as owner: AccountID) async throws -> [Person] {
        try await store.withSession { db in try await PersonRows.loadDescribed(ids.map(\.rawValue), owner: owner, on: db) }
    }

    /// The matching key of everyone's name (``TextIdentity/key(_:)``, archived people too), as stored when the name
    /// was written (`people.name_key`): what the report's scrubber hides. One column, nothing folded.
    public func nameKeys(as owner: AccountID) async throws -> [String] {
        try await store.withSession { db in
            try await db.select().column("name_key").from("people").where("owner_id", .equal, owner.rawValue)
                .all(decodingColumn: "name_key", as: String.self)
        }
    }

    /// The person a user means by `ref`: an id, an email, or a unique part of their name.
    public func resolve(_ ref: String, as owner: AccountID) async throws -> Person {
        let reference = try PersonReference(parsing: ref)
        let dialect = store.dialect
        return try await store.withSession { db in
            switch reference {
            case .id(let id):
                guard let person = try await PersonRows.load([id.rawValue], owner: owner, on: db).first else {
                    throw RapportError.notFound(.person, ref)
                }
                return person
            case .email(let email):
                guard let id = try await db.select().column("person_id").from("person_emails")
                    .where("owner_id", .equal, owner.rawValue).where("value_key", .equal, email)
                    .first(decodingColumn: "person_id", as: Int64.self) else {
                    throw RapportError.notFound(.person, ref)
                }
                return try await Self.one(id, owner, db)
            case .name(let fragment):
                // The whole name first (any number of others may contain it), then a part of one.
                let key = fragment.matchingKey
                let exact = try await db.select().column("id").from("people")
                    .where("owner_id", .equal, owner.rawValue).where("name_key", .equal, key)
                    .orderBy("id").limit(25).all(decodingColumn: "id", as: Int64.self)
                let ids = exact.isEmpty ? try await db.select().column("id").from("people")
                    .where("owner_id", .equal, owner.rawValue)
                    .where(dialect.contains(SQLColumn("name_key"), key))
                    .orderBy("id").limit(25)
                    .all(decodingColumn: "id", as: Int64.self) : exact
                return try PersonReference.choose(fragment, among: try await PersonRows.load(ids, owner: owner, on: db))
            }
        }
    }

    /// The people `refs` name, in order; every reference that fails is reported at once, under `people`.
    public func resolveAll(_ refs: [String], as owner: AccountID) async throws -> [PersonID] {
        let errors = FieldErrors()
        var ids: [PersonID] = []
        for ref in refs {
            do { ids.append(try await resolve(ref, as: owner).id) } catch let error as RapportError {
                errors.append("people", error.message)
            }
        }
        try errors.throwIfAny()
        return ids
    }

    /// People matching `filter`, by name: `filter.limit` of them after passing over `filter.offset` (0 to
    /// ``Paging/maxOffset``; more is refused, naming `offset`).
    public func list(_ filter: PersonFilter, as owner: AccountID) async throws -> [Person] {
        try Paging.check(offset: filter.offset)
        if let persona = filter.persona { _ = try await store.personas.find(persona, as: owner) }
        return try await store.withSession { db in
            var query = db.select().column(SQLColumn("id", table: "people")).from("people")
                .where(SQLColumn("owner_id", table: "people"), .equal, SQLBind(owner.rawValue))
                .where(SQLColumn("archived", table: "people"), .equal, SQLBind(filter.archived))
            if let persona = filter.persona {
                query = query
                    .join("person_personas", on: SQLColumn("person_id", table: "person_personas"), .equal, SQLColumn("id", table: "people"))
                    .join("personas", on: SQLColumn("id", table: "personas"), .equal, SQLColumn("persona_id", table: "person_personas"))
                    .where(SQLColumn("name_key", table: "personas"), .equal, SQLBind(persona.matchingKey))
            }
            if let tag = filter.tag {
                query = query
                    .join("person_tags", on: SQLColumn("person_id", table: "person_tags"), .equal, SQLColumn("id", table: "people"))
                    .join("tags", on: SQLColumn("id", table: "tags"), .equal, SQLColumn("tag_id", table: "person_tags"))
                    .where(SQLColumn("name_key", table: "tags"), .equal, SQLBind(tag.matchingKey))
            }
            if let company = filter.company {
                query = query
                    .join("companies", on: SQLColumn("id", table: "companies"), .equal, SQLColumn("company_id", table: "people"))
                    .where(SQLColumn("name_key", table: "companies"), .equal, SQLBind(company.matchingKey))
            }
            if let stage = filter.stage { query = query.where(SQLColumn("stage", table: "people"), .equal, SQLBind(stage.rawValue)) }
            if let advocate = filter.advocate { query = query.where(SQLColumn("advocate", table: "people"), .equal, SQLBind(advocate)) }
            if let off = filter.offTheRecord { query = query.where(SQLColumn("off_the_record", table: "people"), .equal, SQLBind(off)) }
            let ids = try await query
                .orderBy(SQLColumn("name_key", table: "people")).orderBy(SQLColumn("id", table: "people"))
                .limit(max(0, filter.limit)).offset(filter.offset)
                .all(decodingColumn: "id", as: Int64.self)
            return try await PersonRows.load(ids, owner: owner, on: db)
        }
    }

    /// Everyone of the account, archived too, by name; only those of `personas` (any of them) when given.
    public func all(personas: [String] = [], as owner: AccountID) async throws -> [Person] {
        return try await store.withSession { db in
            let wanted = personas.isEmpty ? nil : try await PersonRows.personaIDs(personas, owner: owner, on: db)
            var query = db.select().column(SQLColumn("id", table: "people")).from("people")
                .where(SQLColumn("owner_id", table: "people"), .equal, SQLBind(owner.rawValue))
            if let wanted {
                query = query.where(SQLColumn("id", table: "people"), .in, SQLSubquery.select { $0
                    .column("person_id").from("person_personas").where("persona_id", .in, wanted) })
            }
            let ids = try await query.orderBy(SQLColumn("name_key", table: "people")).orderBy(SQLColumn("id", table: "people"))
                .all(decodingColumn: "id", as: Int64.self)
            return try await PersonRows.load(ids, owner: owner, on: db)
        }
    }

    /// Active people snoozed until a day on or after `today`, with that day.
    public func snoozes(from today: CalendarDay, as owner: AccountID) async throws -> [(PersonSummary, CalendarDay)] {
        let rows = try await store.withSession { db in
            try await db.select().columns("id", "name", "snoozed_until").from("people")
                .where("owner_id", .equal, owner.rawValue).where("archived", .equal, false)
                .where("snoozed_until", .greaterThanOrEqual, today.description).orderBy("snoozed_until").all()
        }
        return try rows.compactMap { row in
            guard let day = CalendarDay(iso: try row.decode(column: "snoozed_until", as: String.self)) else { return nil }
            return (PersonSummary(id: PersonID(try row.decode(column: "id", as: Int64.self)), name: try row.decode(column: "name", as: String.self)), day)
        }
    }

    /// Active people whose birthday falls within `days` days of `today`, soonest first. The database narrows by the
    /// birthday's `MM-DD` ending; only those rows are read.
    public func birthdays(within days: Int, of today: CalendarDay, as owner: AccountID) async throws -> [UpcomingBirthday] {
        let rows = try await store.withSession { db in
            let monthDay = SQLFunction("substr", args: SQLColumn("birthday"), SQLBinaryExpression(
                SQLFunction("length", args: SQLColumn("birthday")), .subtract, SQLLiteral.numeric("4")))
            var spans: [any SQLExpression] = []
            for span in Birthday.monthDaySpans(from: today, days: days) {
                spans.append(SQLBinaryExpression(
                    SQLBinaryExpression(monthDay, .greaterThanOrEqual, SQLBind(span.from)), .and,
                    SQLBinaryExpression(monthDay, .lessThanOrEqual, SQLBind(span.to))))
            }
            let within = spans.dropFirst().reduce(spans[0]) { SQLBinaryExpression($0, .or, $1) }
            return try await db.select().columns("id", "name", "birthday").from("people")
                .where(Owned.scanning("people", owner, on: db)).where("archived", .equal, false)
                .where(SQLColumn("birthday"), .isNot, SQLLiteral.null)
                .where(SQLGroupExpression(within))
                .all()
        }
        let people = try rows.compactMap { row -> (PersonSummary, Birthday)? in
            guard let birthday = try? Birthday.parse(try row.decode(column: "birthday", as: String.self)) else { return nil }
            return (PersonSummary(id: PersonID(try row.decode(column: "id", as: Int64.self)), name: try row.decode(column: "name", as: String.self)), birthday)
        }
        return UpcomingBirthday.within(days, of: people, today: today)
    }

    /// Full-text search over names, companies, titles, emails, tags, personas and notes, best match first: `limit`
    /// people after passing over `offset` (0 to ``Paging/maxOffset``; more is refused, naming `offset`).
    public func search(_ text: String, as owner: AccountID, limit: Int = 50, offset: Int = 0) async throws -> [PersonSearchHit] {
        let words = try SearchIndex.query(text)
        let dialect = store.dialect
        let people = try await store.withSession { db in
            let ids = try await dialect.search(words, kind: .person, owner: owner, limit: limit, offset: offset, on: db)
            return try await PersonRows.load(ids, owner: owner, on: db)
        }
        return people.map { PersonSearchHit.locate(words, in: $0) }
    }

    /// Marks a person do-not-contact with a reason, or clears it when `reason` is nil.
    public func setDoNotContact(_ id: PersonID, reason: String?, as owner: AccountID) async throws -> Person {
        var patch = PersonPatch()
        patch.doNotContact = reason.map(FieldChange.set) ?? .clear
        return try await update(id, with: patch, as: owner).person
    }

    /// Archives a person (kept, but out of lists, picks and plans) or brings them back.
    public func setArchived(_ id: PersonID, _ archived: Bool, as owner: AccountID) async throws -> Person {
        var patch = PersonPatch()
        patch.archived = archived
        return try await update(id, with: patch, as: owner).person
    }

    /// Deletes a person and everything that is only theirs: their follow-ups, and conversations with nobody else
    /// (a conversation they shared with others stays, without them).
    public func delete(_ id: PersonID, as owner: AccountID) async throws {
        try await store.transaction { db in
            _ = try await Self.one(id.rawValue, owner, db)
            let theirs = try await db.select().column("conversation_id").from("conversation_people")
                .where("person_id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue)
                .all(decodingColumn: "conversation_id", as: Int64.self)
            for conversation in theirs {
                let others = try await db.select().column("person_id").from("conversation_people")
                    .where("conversation_id", .equal, conversation).where("person_id", .notEqual, id.rawValue)
                    .first(decodingColumn: "person_id", as: Int64.self)
                let unnamed = try await db.select().column("unnamed").from("conversations")
                    .where("id", .equal, conversation).first(decodingColumn: "unnamed", as: String?.self) ?? nil
                if others == nil && unnamed == nil {
                    try await SearchIndex.remove(kind: .conversation, id: conversation, on: db)
                    try await db.delete(from: "conversations").where("id", .equal, conversation).where("owner_id", .equal, owner.rawValue).run()
                }
            }
            try await SearchIndex.remove(kind: .person, id: id.rawValue, on: db)
            try await db.delete(from: "people").where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
        }
    }

    /// Merges `source` into `target`, keeping everything of both (see ``PersonMerge``), and removes `source`.
    public func merge(_ source: PersonID, into target: PersonID, as owner: AccountID) async throws -> Person {
        guard source != target else {
            throw RapportError.conflict(field: "into", message: "a person cannot be merged into themself; name two different people")
        }
        let timeZones = store.timeZones, today = store.now(), now = store.stamp()
        return try await store.transaction { db in
            let from = try await Self.one(source.rawValue, owner, db)
            let into = try await Self.one(target.rawValue, owner, db)
            let merged = PersonMerge.merged(into.details, with: from.details)
            let checked = try PersonRules.validate(merged, timeZones: timeZones, today: today)
            try await Self.moveHistory(from: source.rawValue, to: target.rawValue, owner: owner, on: db)
            try await SearchIndex.remove(kind: .person, id: source.rawValue, on: db)
            try await db.delete(from: "people").where("id", .equal, source.rawValue).where("owner_id", .equal, owner.rawValue).run()
            try await Self.write(target.rawValue, checked.details, owner: owner, now: now, on: db)
            var update = db.update("people").set("created_at", to: Timestamp.string(min(from.createdAt, into.createdAt)))
            if into.doNotContact == nil, let dnc = from.doNotContact {
                update = update.set("dnc_reason", to: dnc.reason).set("dnc_since", to: Timestamp.string(dnc.since))
            }
            try await update.where("id", .equal, target.rawValue).where("owner_id", .equal, owner.rawValue).run()
            return try await Self.one(target.rawValue, owner, db)
        }
    }

    /// Takes a person out of `due` until `until` (a day in the user's zone), or back in when nil.
    public func snooze(_ id: PersonID, until: CalendarDay?, today: CalendarDay, as owner: AccountID) async throws -> Person {
        if let until, until <= today {
            throw RapportError.invalid("until", "snooze to a day after today (\(today)), e.g. --until monday or --until 2027-01-15")
        }
        let now = store.stamp()
        return try await store.transaction { db in
            _ = try await Self.one(id.rawValue, owner, db)
            try await db.update("people").set("snoozed_until", to: until?.description).set("updated_at", to: Timestamp.string(now))
                .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            return try await Self.one(id.rawValue, owner, db)
        }
    }

    /// Gives `source`'s conversations, follow-ups, attempts, campaign emails and bad-contact marks to `target` (a
    /// conversation or campaign with both keeps `target` once).
    static func moveHistory(from source: Int64, to target: Int64, owner: AccountID, on db: any SQLDatabase) async throws {
        let shared = try await db.select().column("conversation_id").from("conversation_people")
            .where("person_id", .equal, target).where("owner_id", .equal, owner.rawValue)
            .all(decodingColumn: "conversation_id", as: Int64.self)
        if !shared.isEmpty {
            try await db.delete(from: "conversation_people").where("person_id", .equal, source)
                .where("conversation_id", .in, shared).run()
        }
        try await db.update("conversation_people").set("person_id", to: target)
            .where("person_id", .equal, source).where("owner_id", .equal, owner.rawValue).run()
        try await db.update("followups").set("person_id", to: target)
            .where("person_id", .equal, source).where("owner_id", .equal, owner.rawValue).run()
        try await db.update("attempts").set("person_id", to: target)
            .where("person_id", .equal, source).where("owner_id", .equal, owner.rawValue).run()
        let campaigns = try await db.select().column("campaign_id").from("campaign_recipients")
            .where("person_id", .equal, target).all(decodingColumn: "campaign_id", as: Int64.self)
        if !campaigns.isEmpty {
            try await db.delete(from: "campaign_recipients").where("person_id", .equal, source).where("campaign_id", .in, campaigns).run()
        }
        try await db.update("campaign_recipients").set("person_id", to: target)
            .where("person_id", .equal, source).where("owner_id", .equal, owner.rawValue).run()
        let flags = try await db.select().columns("kind", "value_key").from("contact_flags").where("person_id", .equal, target).all()
        for row in flags {
            try await db.delete(from: "contact_flags").where("person_id", .equal, source)
                .where("kind", .equal, try row.decode(column: "kind", as: String.self))
                .where("value_key", .equal, try row.decode(column: "value_key", as: String.self)).run()
        }
        try await db.update("contact_flags").set("person_id", to: target)
            .where("person_id", .equal, source).where("owner_id", .equal, owner.rawValue).run()
        try await db.update("feedback").set("person_id", to: target)
            .where("person_id", .equal, source).where("owner_id", .equal, owner.rawValue).run()
        let told = try await db.select().column("request_id").from("request_notices")
            .where("person_id", .equal, target).all(decodingColumn: "request_id", as: Int64.self)
        if !told.isEmpty {
            try await db.delete(from: "request_notices").where("person_id", .equal, source).where("request_id", .in, told).run()
        }
        try await db.update("request_notices").set("person_id", to: target)
            .where("person_id", .equal, source).where("owner_id", .equal, owner.rawValue).run()
    }

    static func one(_ id: Int64, _ owner: AccountID, _ db: any SQLDatabase) async throws -> Person {
        guard let person = try await PersonRows.load([id], owner: owner, on: db).first else {
            throw RapportError.notFound(.person, "#\(id)")
        }
        return person
    }

    static func write(_ id: Int64, _ d: PersonDetails, owner: AccountID, now: Date, on db: any SQLDatabase) async throws {
        let personaIDs = try await PersonRows.personaIDs(d.personas, owner: owner, on: db)
        try await PersonRows.checkEmailsFree(d.emails, except: id, owner: owner, on: db)
        let companyID = try await PersonRows.companyID(d.company, owner: owner, now: now, on: db)
        var update = db.update("people")
        for (column, value) in try PersonRows.columns(d, companyID: companyID) {
            update = update.set(SQLIdentifier(column), to: SQLBind(value))
        }
        try await update.set("updated_at", to: Timestamp.string(now))
            .where("id", .equal, id).where("owner_id", .equal, owner.rawValue).run()
        try await PersonRows.writeChildren(id, d, personaIDs: personaIDs, owner: owner, now: now, on: db)
    }
}
