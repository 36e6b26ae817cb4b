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
                               "preferredChannel", "cadenceDays", "personas", "tags", "notes", "links", "fields"]

    struct PeopleList: Encodable {
        var people: [Person]
        var count: Int
    }

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("people", use: list)
        group.post("people", use: create)
        group.get("people/:id", use: show)
        group.patch("people/:id", use: update)
        group.delete("people/:id", use: delete)
        group.get("pick", use: pick)
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        var filter = PersonFilter()
        var errors: [FieldError] = []
        if q.has("stage"), case let stage = q["stage"], !stage.isEmpty {
            if let value = Stage(rawValue: stage) { filter.stage = value } else {
                errors.append(FieldError("stage", "\"\(stage)\" is not a stage; use one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        if q.has("limit"), case let limit = q["limit"] {
            if let n = Int(limit), (1...10_000).contains(n) { filter.limit = n } else {
                errors.append(FieldError("limit", "\"\(limit)\" is not a limit; give a number from 1 to 10000"))
            }
        }
        for key in ["archived", "advocate", "offTheRecord"] {
            guard q.has(key) else { continue }
            let raw = q[key]
            guard let value = ["true": true, "1": true, "false": false, "0": false][raw] else {
                errors.append(FieldError(key, "\"\(raw)\" is not true or false"))
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
        let people: [Person]
        if case let text = q["q"], !text.trimmed.isEmpty {
            if let persona = filter.persona { _ = try await store.personas.find(persona, as: account) }
            people = try await store.people.search(text, as: account, limit: filter.limit).map(\.person).filter(filter.admits)
        } else {
            people = try await store.people.list(filter, as: account)
        }
        return try JSONBody.response(PeopleList(people: people, count: people.count))
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: Self.writableKeys)
        guard body["name"] is String else {
            throw RapportError.invalid("name", "a name is required, e.g. {\"name\": \"Dana Kim\"}")
        }
        let details = try Self.overlay(body, on: PersonDetails(name: ""))
        let saved = try await store.people.add(details, as: account)
        var response = try JSONBody.created(saved.person, at: "/api/v1/people/\(saved.person.id)")
        for notice in saved.notices { response.headers.append(HTTPField(name: HTTPField.Name("Rapport-Notice")!, value: notice)) }
        return response
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await store.people.get(try Self.id(context), as: account)
        let clock = try await store.clock(as: account)
        let cadence = try await store.activity.status(of: person, clock: clock, as: account)
        return try JSONBody.response(PersonWithCadence(person: person, cadence: cadence))
    }

    @Sendable func update(_ request: Request, context: WebContext) async throws -> Response {
        let id = try Self.id(context)
        var body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: Self.writableKeys + ["archived", "doNotContact"])
        let archived = body.removeValue(forKey: "archived")
        let dnc = body.removeValue(forKey: "doNotContact")
        if let archived, !(archived is Bool) { throw RapportError.invalid("archived", "must be true or false") }
        var dncReason: String??
        if let dnc {
            if dnc is NSNull {
                dncReason = .some(nil)
            } else if let object = dnc as? [String: Any], let reason = object["reason"] as? String, !reason.trimmed.isEmpty {
                dncReason = .some(reason)
            } else {
                throw RapportError.invalid("doNotContact", "give {\"reason\": \"why\"} to mark them do-not-contact, or null to clear it")
            }
        }
        var person = try await store.people.get(id, as: account)
        if !body.isEmpty {
            let details = try Self.overlay(body, on: person.details)
            person = try await store.people.update(id, as: account) { $0 = details }.person
        }
        if let archived = archived as? Bool, archived != person.archived {
            person = try await store.people.setArchived(id, archived, as: account)
        }
        if let dncReason { person = try await store.people.setDoNotContact(id, reason: dncReason, as: account) }
        return try JSONBody.response(person)
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

    /// `details` with the body's keys written over it (JSON merge patch, RFC 7396, one level deep).
    static func overlay(_ body: [String: Any], on details: PersonDetails) throws -> PersonDetails {
        for (key, values) in [("stage", Stage.allCases.map(\.rawValue)), ("source", Source.allCases.map(\.rawValue)),
                              ("preferredChannel", Channel.allCases.map(\.rawValue))] {
            if let value = body[key] as? String, !values.contains(value) {
                throw RapportError.invalid(key, "\"\(value)\" is not allowed; use one of \(values.joined(separator: ", "))")
            }
        }
        let encoded = try JSONSerialization.jsonObject(with: JSONEncoder().encode(details)) as? [String: Any] ?? [:]
        return try JSONBody.decode(PersonDetails.self, from: encoded.merging(body) { _, new in new })
    }
}
