import Foundation
import HTTPTypes
import Hummingbird
import RapportCore
import RapportStore

/// `/api/v1/people`: the JSON API over people, and `/api/v1/pick`.
struct PeopleAPI: Sendable {
    let store: Store
    let account: AccountID
    let now: @Sendable () -> Date

    static let writableKeys = ["name", "emails", "phones", "company", "title", "since", "previousCompanies", "city",
                               "country", "timeZone", "stage", "source", "warmth", "offTheRecord", "advocate",
                               "preferredChannel", "cadenceDays", "hours", "birthday", "personas", "tags", "notes", "links", "fields"]

    /// `POST /api/v1/people`: a new person, `name` required; `allowDuplicate` adds them although someone stored
    /// has the same name or phone.
    struct CreateRequest: RequestBody {
        static let keys = writableKeys + ["allowDuplicate"]
        var details: PersonDetails
        var allowDuplicate: Bool

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            let errors = FieldErrors()
            if !c.contains(AnyKey("name")) { errors.append("name", "a name is required, e.g. {\"name\": \"Dana Kim\"}") }
            let patch = try errors.check { try PersonPatchReader.read(c) }
            let duplicate = try errors.check { try c.value(Bool.self, AnyKey("allowDuplicate")) }
            try errors.throwIfAny()
            details = (patch ?? PersonPatch()).applied(to: PersonDetails(name: ""))
            allowDuplicate = (duplicate ?? nil) ?? false
        }
    }

    /// `PATCH /api/v1/people/{id}`: the person's fields, `archived` and `doNotContact` (`{"reason": …}` or null).
    struct UpdateRequest: RequestBody {
        static let keys = writableKeys + ["archived", "doNotContact"]
        var patch: PersonPatch

        init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: AnyKey.self)
            patch = try PersonPatchReader.read(c)
            patch.archived = try c.value(Bool.self, AnyKey("archived"))
            let dnc = AnyKey("doNotContact")
            if c.contains(dnc) {
                struct Reason: Decodable { var reason: String }
                if try c.decodeNil(forKey: dnc) {
                    patch.doNotContact = .clear
                } else if let reason = try? c.decode(Reason.self, forKey: dnc), !reason.reason.trimmed.isEmpty {
                    patch.doNotContact = .set(reason.reason)
                } else {
                    throw RapportError.invalid("doNotContact", "give {\"reason\": \"why\"} to mark them do-not-contact, or null to clear it")
                }
            }
        }
    }

    /// A page of people (with `q`, the filters narrow each page of the search).
    static func peopleList(_ page: ListPage<Person>) -> PageBody<Person> { PageBody(key: "people", page: page) }

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("people", use: list)
        group.post("people", use: create)
        group.get("people/duplicates", use: duplicates)
        group.get("people/:id", use: show)
        group.patch("people/:id", use: update)
        group.delete("people/:id", use: delete)
        group.get("pick", use: pick)
    }

    /// The people a search lists when no `limit` is given (a list without `q` lists 500).
    static let searchLimit = 50

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        var filter = PersonFilter()
        var errors: [FieldError] = []
        if q.has("stage"), case let stage = q["stage"], !stage.isEmpty {
            if let value = Stage(rawValue: stage) { filter.stage = value } else {
                errors.append(FieldError("stage", "\"\(stage)\" is not a stage; use one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        let gathered = FieldErrors()
        // A search's page is its best matches, as many as `rapport people search` and the people page show.
        let searching = !q["q"].trimmed.isEmpty
        let paging = PageQuery.read(q, defaultLimit: searching ? Self.searchLimit : 500, maxLimit: 10_000, noun: "people", errors: gathered)
        errors += gathered.all
        for key in ["archived", "advocate", "offTheRecord"] {
            let value: Bool
            do {
                guard let given = try q.flag(key) else { continue }
                value = given
            } catch let error as RapportError {
                errors += error.fieldErrors
                continue
            }
            switch key {
            case "archived": filter.archived = value
            case "advocate": filter.advocate = value
            default: filter.offTheRecord = value
            }
        }
        if !errors.isEmpty { throw RapportError.invalid(errors) }
        filter.persona = q["persona"].isEmpty ? nil : q["persona"]
        filter.tag = q["tag"].isEmpty ? nil : q["tag"]
        filter.company = q["company"].isEmpty ? nil : q["company"]
        var page: ListPage<Person>
        if searching, case let text = q["q"] {
            if let persona = filter.persona { _ = try await store.personas.find(persona, as: account) }
            // Pages of the search, best match first; the filters then narrow each page.
            page = paging.page(try await store.people.search(text, as: account, limit: paging.fetch, offset: paging.offset).map(\.person))
            page.items = page.items.filter(filter.admits)
        } else {
            (filter.limit, filter.offset) = (paging.fetch, paging.offset)
            page = paging.page(try await store.people.list(filter, as: account))
        }
        return try JSONBody.response(Self.peopleList(page))
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(CreateRequest.self, from: request, context: context)
        let saved = try await store.people.add(body.details, allowDuplicate: body.allowDuplicate, as: account)
        var response = try JSONBody.created(saved.person, at: "/api/v1/people/\(saved.person.id)")
        for notice in saved.notices { response.headers.append(HTTPField(name: HTTPField.Name("Rapport-Notice")!, value: notice)) }
        return response
    }

    /// Pairs of people who are likely one person (the same name by matching key, or the same phone).
    @Sendable func duplicates(_ request: Request, context: WebContext) async throws -> Response {
        struct Pairs: Encodable { var duplicates: [DuplicatePair]; var count: Int }
        let pairs = try await store.people.duplicates(as: account)
        return try JSONBody.response(Pairs(duplicates: pairs, count: pairs.count))
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await store.people.get(try Self.id(context), as: account)
        let clock = try await store.clock(as: account)
        let cadence = try await store.activity.status(of: person, clock: clock, as: account)
        return try JSONBody.response(PersonWithCadence(person: person, cadence: cadence))
    }

    /// A JSON merge patch (RFC 7396) of one person: what it names changes, nothing else.
    @Sendable func update(_ request: Request, context: WebContext) async throws -> Response {
        let id = try Self.id(context)
        let body = try await JSONBody.decode(UpdateRequest.self, from: request, context: context)
        return try JSONBody.response(try await store.people.update(id, with: body.patch, as: account).person)
    }

    @Sendable func delete(_ request: Request, context: WebContext) async throws -> Response {
        try await store.people.delete(try Self.id(context), as: account)
        return Response(status: .noContent)
    }

    @Sendable func pick(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        guard case let name = q["persona"], !name.isEmpty else {
            throw RapportError.invalid("persona", "name the persona to ask, e.g. ?persona=Ops%20Lead")
        }
        let raw = q.has("n") ? q["n"] : "3"
        guard let n = Int(raw), (1...100).contains(n) else { throw RapportError.invalid("n", "\"\(raw)\" is not a count; give 1 to 100") }
        let persona = try await store.personas.find(name, as: account)
        return try JSONBody.response(try await store.people.pick(from: persona, count: n, now: now(), as: account).result)
    }

    static func id(_ context: WebContext) throws -> PersonID {
        PersonID(try context.id(of: .person))
    }
}

/// Reads a person's fields from a JSON object as a ``PersonPatch`` (RFC 7396: lists replace, `null` clears,
/// `fields` merges key by key).
enum PersonPatchReader {
    /// Every field is read even when an earlier one is wrong, so one answer names each mistake.
    static func read(_ c: KeyedDecodingContainer<AnyKey>) throws -> PersonPatch {
        func key(_ name: String) -> AnyKey { AnyKey(name) }
        let errors = FieldErrors()
        /// `read`'s value, or nil with its field errors gathered.
        func each<T>(_ read: () throws -> T?) throws -> T? { try errors.check(read) ?? nil }
        var p = PersonPatch()
        p.name = try each { try c.value(String.self, key("name")) }
        if let list = try each({ try c.list(ContactPoint.self, key("emails")) }) { p.emails = .replace(list) }
        if let list = try each({ try c.list(ContactPoint.self, key("phones")) }) { p.phones = .replace(list) }
        p.company = try each { try c.change(String.self, key("company")) }
        p.title = try each { try c.change(String.self, key("title")) }
        p.since = try each { try c.change(String.self, key("since")) }
        if let list = try each({ try c.list(String.self, key("previousCompanies")) }) { p.previousCompanies = .replace(list) }
        p.city = try each { try c.change(String.self, key("city")) }
        p.country = try each { try c.change(String.self, key("country")) }
        p.timeZone = try each { try c.change(String.self, key("timeZone")) }
        p.stage = try each { try c.choice(Stage.self, key("stage")) }
        p.source = try each { try c.choiceChange(Source.self, key("source")) }
        p.warmth = try each { try c.value(Int.self, key("warmth")) }
        p.offTheRecord = try each { try c.value(Bool.self, key("offTheRecord")) }
        p.advocate = try each { try c.value(Bool.self, key("advocate")) }
        p.preferredChannel = try each { try c.choiceChange(Channel.self, key("preferredChannel")) }
        p.cadenceDays = try each { try c.change(Int.self, key("cadenceDays")) }
        p.hours = try each { () -> FieldChange<BusinessHours>? in
            switch try c.change(String.self, key("hours")) {
            case nil: nil
            case .clear: .clear
            case .set(let text): .set(try BusinessHours.parse(text))
            }
        }
        p.birthday = try each { () -> FieldChange<Birthday>? in
            switch try c.change(String.self, key("birthday")) {
            case nil: nil
            case .clear: .clear
            case .set(let text): .set(try Birthday.parse(text))
            }
        }
        if let list = try each({ try c.list(String.self, key("personas")) }) { p.personas = .replace(list) }
        if let list = try each({ try c.list(String.self, key("tags")) }) { p.tags = .replace(list) }
        if c.contains(key("notes")) { p.notes = try each { try c.decodeNil(forKey: key("notes")) ? "" : try c.field(String.self, key("notes")) } }
        if let list = try each({ try c.list(String.self, key("links")) }) { p.links = .replace(list) }
        if c.contains(key("fields")) {
            if try c.decodeNil(forKey: key("fields")) {
                p.fields = [:]
            } else {
                p.fieldChanges = try each { try c.field([String: String?].self, key("fields")) } ?? [:]
            }
        }
        try errors.throwIfAny()
        return p
    }
}

extension KeyedDecodingContainer {
    /// A value of a closed set (a stage, a source); anything else names the choices.
    func choice<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ key: Key) throws -> T? where T.RawValue == String {
        guard let raw = try value(String.self, key) else { return nil }
        return try Self.member(T.self, raw, key)
    }

    /// The same, where `null` clears the value.
    func choiceChange<T: RawRepresentable & CaseIterable & Sendable & Equatable>(_ type: T.Type, _ key: Key) throws -> FieldChange<T>? where T.RawValue == String {
        switch try change(String.self, key) {
        case nil: return nil
        case .clear: return .clear
        case .set(let raw): return .set(try Self.member(T.self, raw, key))
        }
    }

    private static func member<T: RawRepresentable & CaseIterable>(_ type: T.Type, _ raw: String, _ key: Key) throws -> T where T.RawValue == String {
        guard let value = T(rawValue: raw) else {
            throw RapportError.invalid(key.stringValue, "\"\(raw)\" is not allowed; use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return value
    }
}
