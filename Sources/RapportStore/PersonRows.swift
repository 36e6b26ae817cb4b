import Foundation
import RapportCore
import SQLKit

/// Reads and writes the rows behind a ``Person``. Every function runs inside the caller's session or transaction.
enum PersonRows {
    static let chunk = 400

    /// People by id, in the order of `ids`, owned by `owner` only.
    static func load(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Person] {
        try await inChunks(ids, key: \.id.rawValue) { try await loadChunk($0, owner: owner, on: db) }
    }

    /// Loads rows by id a chunk at a time (bound parameters have a limit) and returns them in the order of `ids`.
    static func inChunks<T>(_ ids: [Int64], key: (T) -> Int64, _ loadChunk: ([Int64]) async throws -> [T]) async throws -> [T] {
        var byID: [Int64: T] = [:]
        var start = 0
        while start < ids.count {
            let slice = Array(ids[start..<min(start + chunk, ids.count)])
            start += chunk
            for item in try await loadChunk(slice) { byID[key(item)] = item }
        }
        return ids.compactMap { byID[$0] }
    }

    private static func loadChunk(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Person] {
        guard !ids.isEmpty else { return [] }
        let rows = try await peopleRows(nil, ids, owner, db)
        var emails = try await contacts("person_emails", ids, owner, db)
        var phones = try await contacts("person_phones", ids, owner, db)
        let flags = try await badContacts(ids, owner, db)
        if !flags.isEmpty {
            for (id, list) in emails { emails[id] = list.map { mark($0, id, "email", flags) } }
            for (id, list) in phones { phones[id] = list.map { mark($0, id, "phone", flags) } }
        }
        var personas = try await names("person_personas", "personas", "persona_id", ids, owner, db)
        var tags = try await names("person_tags", "tags", "tag_id", ids, owner, db)
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            var d = PersonDetails(name: try row.decode(column: "name", as: String.self))
            d.emails = emails.removeValue(forKey: id) ?? []
            d.phones = phones.removeValue(forKey: id) ?? []
            d.company = try row.value("company_name", as: String.self)
            d.title = try row.value("title", as: String.self)
            d.since = try row.value("since", as: String.self)
            d.previousCompanies = try row.jsonStrings("previous_companies")
            d.city = try row.value("city", as: String.self)
            d.country = try row.value("country", as: String.self)
            d.timeZone = try row.value("time_zone", as: String.self)
            d.stage = Stage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .other
            d.source = try row.value("source", as: String.self).flatMap(Source.init(rawValue:))
            d.warmth = Int(try row.decode(column: "warmth", as: Int64.self))
            d.offTheRecord = try row.decode(column: "off_the_record", as: Bool.self)
            d.advocate = try row.decode(column: "advocate", as: Bool.self)
            d.preferredChannel = try row.value("preferred_channel", as: String.self).flatMap(Channel.init(rawValue:))
            d.cadenceDays = try row.value("cadence_days", as: Int64.self).map { Int($0) }
            d.hours = try row.value("business_hours", as: String.self).flatMap { try? BusinessHours.parse($0) }
            d.birthday = try row.value("birthday", as: String.self).flatMap { try? Birthday.parse($0) }
            d.personas = personas.removeValue(forKey: id) ?? []
            d.tags = tags.removeValue(forKey: id) ?? []
            d.notes = try row.decode(column: "notes", as: String.self)
            d.links = try row.jsonStrings("links")
            d.fields = try row.jsonDictionary("fields")
            var dnc: DoNotContact?
            if let reason = try row.value("dnc_reason", as: String.self) {
                let since = try row.value("dnc_since", as: String.self).flatMap(Timestamp.date) ?? .distantPast
                dnc = DoNotContact(reason: reason, since: since)
            }
            return Person(
                id: PersonID(id), details: d, doNotContact: dnc,
                archived: try row.decode(column: "archived", as: Bool.self),
                snoozedUntil: try row.value("snoozed_until", as: String.self).flatMap(CalendarDay.init(iso:)),
                pausedUntil: try row.value("paused_until", as: String.self).flatMap(CalendarDay.init(iso:)),
                createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
                updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast)
        }
    }

    /// People by id, in the order of `ids`, owned by `owner` only, with what a report describes them by and nothing
    /// else: name, title, company, stage and personas (``ReportNames/person(_:industry:shareable:named:)``). Contact
    /// points, tags, notes and the rest keep their defaults. Two queries per chunk instead of six, and five columns
    /// decoded instead of twenty-five: a month's report describes some 6,000 people.
    static func loadDescribed(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Person] {
        try await inChunks(ids, key: \.id.rawValue) { ids in
            guard !ids.isEmpty else { return [] }
            let rows = try await peopleRows(["id", "name", "title", "stage"], ids, owner, db)
            var personas = try await names("person_personas", "personas", "persona_id", ids, owner, db)
            return try rows.map { row in
                let id = try row.decode(column: "id", as: Int64.self)
                var d = PersonDetails(name: try row.decode(column: "name", as: String.self))
                d.company = try row.value("company_name", as: String.self)
                d.title = try row.value("title", as: String.self)
                d.stage = Stage(rawValue: try row.decode(column: "stage", as: String.self)) ?? .other
                d.personas = personas.removeValue(forKey: id) ?? []
                return Person(id: PersonID(id), details: d, createdAt: .distantPast, updatedAt: .distantPast)
            }
        }
    }

    /// The `people` rows of `ids` owned by `owner` (the given columns, or all of them when nil), each with its
    /// company's name as `company_name`.
    private static func peopleRows(_ columns: [String]?, _ ids: [Int64], _ owner: AccountID, _ db: any SQLDatabase) async throws -> [any SQLRow] {
        var query = db.select()
        for column in columns ?? [] { query = query.column(SQLColumn(column, table: "people")) }
        if columns == nil { query = query.column(SQLColumn(SQLLiteral.all, table: SQLIdentifier("people"))) }
        return try await query
            .column(SQLColumn("name", table: "companies"), as: "company_name")
            .from("people")
            .join("companies", method: SQLJoinMethod.left, on: SQLColumn("company_id", table: "people"), .equal, SQLColumn("id", table: "companies"))
            .where(Owned.by("people", owner))
            .where(SQLColumn("id", table: "people"), .in, SQLBind.group(ids))
            .all()
    }

    private static func contacts(
        _ table: String, _ ids: [Int64], _ owner: AccountID, _ db: any SQLDatabase
    ) async throws -> [Int64: [ContactPoint]] {
        let rows = try await db.select().columns("person_id", "value", "label").from(table)
            .where(Owned.by(table, owner)).where("person_id", .in, ids)
            .orderBy("person_id").orderBy("position").all()
        var out: [Int64: [ContactPoint]] = [:]
        for row in rows {
            let point = ContactPoint(value: try row.decode(column: "value", as: String.self), label: try row.decode(column: "label", as: String.self))
            out[try row.decode(column: "person_id", as: Int64.self), default: []].append(point)
        }
        return out
    }

    /// The normalised key of a contact point: lower-cased email, digits of a phone.
    static func key(_ value: String, kind: String) -> String {
        kind == "phone" ? PhoneNumber.key(value) : TextIdentity.emailKey(value)
    }

    private static func mark(_ point: ContactPoint, _ id: Int64, _ kind: String, _ flags: Set<String>) -> ContactPoint {
        var p = point
        p.bad = flags.contains("\(id)|\(kind)|\(key(point.value, kind: kind))")
        return p
    }

    private static func badContacts(_ ids: [Int64], _ owner: AccountID, _ db: any SQLDatabase) async throws -> Set<String> {
        let rows = try await db.select().columns("person_id", "kind", "value_key").from("contact_flags")
            .where(Owned.by("contact_flags", owner)).where("person_id", .in, ids).all()
        return Set(try rows.map {
            "\(try $0.decode(column: "person_id", as: Int64.self))|\(try $0.decode(column: "kind", as: String.self))|\(try $0.decode(column: "value_key", as: String.self))"
        })
    }

    /// Marks one of a person's phones or emails bad (a wrong number, a bounce); marking twice keeps the first mark.
    static func flagContact(
        _ person: Int64, kind: String, value: String, reason: String, owner: AccountID, now: Date, on db: any SQLDatabase
    ) async throws {
        let key = key(value, kind: kind)
        let exists = try await db.select().column("reason").from("contact_flags")
            .where("person_id", .equal, person).where("kind", .equal, kind).where("value_key", .equal, key).first() != nil
        guard !exists else { return }
        try await db.insert(into: "contact_flags").columns("owner_id", "person_id", "kind", "value_key", "reason", "since")
            .values(owner.rawValue, person, kind, key, reason, Timestamp.string(now)).run()
    }

    private static func names(
        _ link: String, _ table: String, _ key: String, _ ids: [Int64], _ owner: AccountID, _ db: any SQLDatabase
    ) async throws -> [Int64: [String]] {
        let rows = try await db.select()
            .column(SQLColumn("person_id", table: link)).column(SQLColumn("name", table: table))
            .from(link)
            .join(table, on: SQLColumn(key, table: link), .equal, SQLColumn("id", table: table))
            .where(Owned.by(link, owner))
            .where(SQLColumn("person_id", table: link), .in, SQLBind.group(ids))
            .orderBy(SQLColumn("position", table: link))
            .all()
        var out: [Int64: [String]] = [:]
        for row in rows {
            out[try row.decode(column: "person_id", as: Int64.self), default: []].append(try row.decode(column: "name", as: String.self))
        }
        return out
    }

    /// The ids of the named personas; an unknown name fails with the closest existing names.
    static func personaIDs(_ names: [String], owner: AccountID, on db: any SQLDatabase) async throws -> [Int64] {
        guard !names.isEmpty else { return [] }
        let rows = try await db.select().columns("id", "name", "name_key").from("personas")
            .where("owner_id", .equal, owner.rawValue).all()
        var byKey: [String: Int64] = [:]
        var all: [String] = []
        for row in rows {
            byKey[try row.decode(column: "name_key", as: String.self)] = try row.decode(column: "id", as: Int64.self)
            all.append(try row.decode(column: "name", as: String.self))
        }
        var errors: [FieldError] = []
        var ids: [Int64] = []
        for name in names {
            if let id = byKey[name.matchingKey] {
                ids.append(id)
            } else {
                errors.append(FieldError("personas", PersonaRepository.unknownMessage(name, known: all)))
            }
        }
        if !errors.isEmpty { throw RapportError.invalid(errors) }
        return ids
    }

    /// Writes a new person (checked details) and returns their id. `companyID`, when given, is the id of `d.company`
    /// (`.some(nil)` for none) as the caller knows it already: an import remembers its companies and tags.
    static func insert(
        _ d: PersonDetails, personaIDs: [Int64], tagIDs: [Int64]? = nil, companyID known: Int64?? = nil, owner: AccountID,
        now: Date, on db: any SQLDatabase
    ) async throws -> Int64 {
        let companyID: Int64?
        if let known { companyID = known } else { companyID = try await self.companyID(d.company, owner: owner, now: now, on: db) }
        var columns = try columns(d, companyID: companyID)
        columns += [("owner_id", owner.rawValue), ("archived", false), ("created_at", Timestamp.string(now)),
                    ("updated_at", Timestamp.string(now))]
        let id = try await db.insert(into: "people").columns(columns.map(\.0)).values(columns.map(\.1))
            .returning("id").first(decodingColumn: "id", as: Int64.self)
        guard let id else { throw RapportError.storage("the database did not return the new person's id") }
        try await writeChildren(id, d, personaIDs: personaIDs, tagIDs: tagIDs, fresh: true, owner: owner, now: now, on: db)
        return id
    }

    /// The oldest person of the account with one of these emails or phones (by their keys), if any.
    static func match(emails: [ContactPoint], phones: [ContactPoint], owner: AccountID, on db: any SQLDatabase) async throws -> Int64? {
        var found: [Int64] = []
        let emailKeys = emails.map { TextIdentity.emailKey($0.value) }
        if !emailKeys.isEmpty {
            found += try await db.select().column("person_id").from("person_emails")
                .where("owner_id", .equal, owner.rawValue).where("value_key", .in, emailKeys)
                .all(decodingColumn: "person_id", as: Int64.self)
        }
        let phoneKeys = phones.map { PhoneNumber.key($0.value) }.filter { !$0.isEmpty }
        if found.isEmpty, !phoneKeys.isEmpty {
            found += try await db.select().column("person_id").from("person_phones")
                .where("owner_id", .equal, owner.rawValue).where("digits", .in, phoneKeys)
                .all(decodingColumn: "person_id", as: Int64.self)
        }
        return found.min()
    }

    /// Fails when another person of the account already has one of these emails.
    static func checkEmailsFree(
        _ emails: [ContactPoint], except person: Int64?, owner: AccountID, on db: any SQLDatabase
    ) async throws {
        guard !emails.isEmpty else { return }
        let keys = emails.map { TextIdentity.emailKey($0.value) }
        var query = db.select().columns("person_id", "value").from("person_emails")
            .where("owner_id", .equal, owner.rawValue).where("value_key", .in, keys)
        if let person { query = query.where("person_id", .notEqual, person) }
        guard let row = try await query.first() else { return }
        let other = try row.decode(column: "person_id", as: Int64.self)
        let email = try row.decode(column: "value", as: String.self)
        let name = try await load([other], owner: owner, on: db).first?.name ?? "another person"
        throw RapportError.conflict(
            field: "email", message: "\(email) already belongs to \(name) (#\(other)); edit that person, or merge the two")
    }

    /// The person already stored whom `d` most likely repeats (the oldest, when several do), with what they share:
    /// the name by matching key, an email by ``TextIdentity/emailKey(_:)``, a phone by ``PhoneNumber/key(_:)``.
    static func duplicate(of d: PersonDetails, owner: AccountID, on db: any SQLDatabase) async throws -> DuplicateMatch? {
        var bases: [Int64: Set<DuplicateBasis>] = [:]
        let byName = try await db.select().column("id").from("people")
            .where("owner_id", .equal, owner.rawValue).where("name_key", .equal, d.name.matchingKey)
            .all(decodingColumn: "id", as: Int64.self)
        for id in byName { bases[id, default: []].insert(.name) }
        let emails = d.emails.map { TextIdentity.emailKey($0.value) }
        if !emails.isEmpty {
            for id in try await db.select().column("person_id").from("person_emails")
                .where("owner_id", .equal, owner.rawValue).where("value_key", .in, emails)
                .all(decodingColumn: "person_id", as: Int64.self) {
                bases[id, default: []].insert(.email)
            }
        }
        let phones = d.phones.map { PhoneNumber.key($0.value) }.filter { !$0.isEmpty }
        if !phones.isEmpty {
            for id in try await db.select().column("person_id").from("person_phones")
                .where("owner_id", .equal, owner.rawValue).where("digits", .in, phones)
                .all(decodingColumn: "person_id", as: Int64.self) {
                bases[id, default: []].insert(.phone)
            }
        }
        // An email is the strongest sign, then a phone, then the name; among equals, the oldest.
        func strength(_ id: Int64) -> Int { bases[id]?.contains(.email) == true ? 0 : bases[id]?.contains(.phone) == true ? 1 : 2 }
        guard let id = bases.keys.min(by: { (strength($0), $0) < (strength($1), $1) }),
              let person = try await load([id], owner: owner, on: db).first else { return nil }
        return DuplicateMatch(person: person, basis: DuplicateBasis.allCases.filter { bases[id]?.contains($0) == true })
    }

    /// The company's id, creating the company the first time its name is used.
    static func companyID(_ name: String?, owner: AccountID, now: Date, on db: any SQLDatabase) async throws -> Int64? {
        guard let name else { return nil }
        let key = name.matchingKey
        if let id = try await db.select().column("id").from("companies")
            .where("owner_id", .equal, owner.rawValue).where("name_key", .equal, key)
            .first(decodingColumn: "id", as: Int64.self) {
            return id
        }
        return try await db.insert(into: "companies").columns("owner_id", "name", "name_key", "created_at")
            .values(owner.rawValue, name, key, Timestamp.string(now))
            .returning("id").first(decodingColumn: "id", as: Int64.self)
    }

    /// The `people` columns for `details`, as assignments for INSERT or UPDATE.
    static func columns(_ d: PersonDetails, companyID: Int64?) throws -> [(String, any Encodable & Sendable)] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = .sortedKeys
        func json<T: Encodable>(_ value: T) throws -> String { String(decoding: try encoder.encode(value), as: UTF8.self) }
        return [
            ("name", d.name), ("name_key", d.name.matchingKey), ("company_id", companyID), ("title", d.title), ("since", d.since),
            ("previous_companies", try json(d.previousCompanies)), ("city", d.city), ("country", d.country),
            ("time_zone", d.timeZone), ("stage", d.stage.rawValue), ("source", d.source?.rawValue),
            ("warmth", Int64(d.warmth)), ("off_the_record", d.offTheRecord), ("advocate", d.advocate),
            ("preferred_channel", d.preferredChannel?.rawValue), ("cadence_days", d.cadenceDays.map(Int64.init)),
            ("business_hours", d.hours?.description), ("birthday", d.birthday?.description),
            ("notes", d.notes), ("links", try json(d.links)), ("fields", try json(d.fields)),
        ]
    }

    /// Replaces a person's emails, phones, personas and tags, and their search document.
    /// Writes a person's emails, phones, personas and tags (each list in one statement) and their search document;
    /// `fresh` for a person just inserted, who has none yet to remove.
    static func writeChildren(
        _ id: Int64, _ d: PersonDetails, personaIDs: [Int64], tagIDs known: [Int64]? = nil, fresh: Bool = false,
        owner: AccountID, now: Date, on db: any SQLDatabase
    ) async throws {
        if !fresh {
            for table in ["person_emails", "person_phones", "person_personas", "person_tags"] {
                try await db.delete(from: table).where("person_id", .equal, id).run()
            }
        }
        func insert(_ table: String, _ columns: [String], _ rows: [[any Encodable & Sendable]]) async throws {
            guard !rows.isEmpty else { return }
            var query = db.insert(into: table).columns(["owner_id", "person_id"] + columns)
            for row in rows { query = query.values([owner.rawValue, id] + row) }
            try await query.run()
        }
        try await insert("person_emails", ["value", "value_key", "label", "position"], d.emails.enumerated().map {
            [$1.value, TextIdentity.emailKey($1.value), $1.label, Int64($0)]
        })
        try await insert("person_phones", ["value", "digits", "label", "position"], d.phones.enumerated().map {
            [$1.value, PhoneNumber.key($1.value), $1.label, Int64($0)]
        })
        try await insert("person_personas", ["persona_id", "position"], personaIDs.enumerated().map { [$1, Int64($0)] })
        var tagIDs: [Int64] = []
        if let known { tagIDs = known } else { for tag in d.tags { tagIDs.append(try await tagID(tag, owner: owner, on: db)) } }
        try await insert("person_tags", ["tag_id", "position"], tagIDs.enumerated().map { [$1, Int64($0)] })
        try await index(id, d, fresh: fresh, owner: owner, on: db)
    }

    /// A person's search document: the name as heading; company, title, place, emails, personas, tags, previous
    /// companies and custom field values as extra; the notes as body.
    static func index(_ id: Int64, _ d: PersonDetails, fresh: Bool = false, owner: AccountID, on db: any SQLDatabase) async throws {
        let extra = ([d.company, d.title, d.city, d.country].compactMap { $0 } + d.emails.map(\.value) + d.personas
            + d.tags + d.previousCompanies + d.fields.values.sorted()).joined(separator: " ")
        try await SearchIndex.replace(kind: .person, id: id, owner: owner, heading: d.name, extra: extra, body: d.notes, fresh: fresh, on: db)
    }

    /// Writes the search documents of `ids` again (after a persona they carry was renamed).
    static func reindex(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws {
        for person in try await load(ids, owner: owner, on: db) { try await index(person.id.rawValue, person.details, owner: owner, on: db) }
    }

    static func tagID(_ name: String, owner: AccountID, on db: any SQLDatabase) async throws -> Int64 {
        let key = name.matchingKey
        if let id = try await db.select().column("id").from("tags")
            .where("owner_id", .equal, owner.rawValue).where("name_key", .equal, key)
            .first(decodingColumn: "id", as: Int64.self) {
            return id
        }
        let id = try await db.insert(into: "tags").columns("owner_id", "name", "name_key")
            .values(owner.rawValue, name, key).returning("id").first(decodingColumn: "id", as: Int64.self)
        guard let id else { throw RapportError.storage("the database did not return the new tag's id") }
        return id
    }
}
