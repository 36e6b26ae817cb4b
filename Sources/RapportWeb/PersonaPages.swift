import Foundation
import Hummingbird
import RapportCore
import RapportStore

/// The HTML pages for personas: the list with people counts and an add form, and one persona with its people.
struct PersonaPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages
    let now: @Sendable () -> Date

    func addRoutes(to router: Router<WebContext>) {
        router.get("/personas", use: list)
        router.post("/personas", use: create)
        router.get("/personas/:id", use: show)
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        try await listPage(context: context, values: [:], errors: [:])
    }

    func listPage(context: WebContext, values: [String: String], errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let personas = try await store.personas.list(as: account)
        let fields = [("name", "Name", false, true), ("description", "Who they are", true, false),
                      ("goals", "Goals", true, false), ("pains", "Pains", true, false)].map { name, label, area, required in
            FieldView(name: name, label: label, value: values[name] ?? "", error: errors[name], required: required, isTextarea: area)
        }
        let view = PersonasView(
            personas: personas.map { PersonaRow(id: $0.id.description, name: $0.name, peopleCount: $0.peopleCount, description: $0.description) },
            hasPersonas: !personas.isEmpty, fields: fields, hasErrors: !errors.isEmpty, csrf: context.csrfToken)
        return pages.render("personas", view, status: status)
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        let details = PersonaDetails(name: form["name"], description: form["description"], goals: form["goals"], pains: form["pains"])
        do {
            let persona = try await store.personas.add(details, as: account)
            return Pages.redirect("/personas/\(persona.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            let values = ["name": form["name"], "description": form["description"], "goals": form["goals"], "pains": form["pains"]]
            return try await listPage(context: context, values: values, errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        let persona = try await store.personas.get(PersonaID(try context.id(of: .persona)), as: account)
        let picked = try await store.people.pick(from: persona, count: 3, now: now(), as: account)
        let people = picked.people, pick = picked.result
        let view = PersonaView(
            name: persona.name, description: persona.description, goals: persona.goals, pains: persona.pains,
            peopleCount: persona.peopleCount, peopleNoun: persona.peopleCount == 1 ? "person" : "people",
            suggestions: pick.suggestions.map { s in
                SuggestionView(
                    id: s.person.id.description, name: s.person.name, company: s.person.details.company, score: s.score,
                    localTime: s.localTime,
                    reasons: s.reasons.map { ReasonView(points: $0.points > 0 ? "+\($0.points)" : "\($0.points)", text: $0.text) })
            },
            hasSuggestions: !pick.suggestions.isEmpty,
            people: people.map { PersonRow($0) }, hasPeople: !people.isEmpty)
        return pages.render("persona", view)
    }
}

struct PersonaRow {
    var id: String
    var name: String
    var peopleCount: Int
    var description: String
}

struct PersonasView {
    var chrome = Chrome(personas: true)
    var personas: [PersonaRow]
    var hasPersonas: Bool
    var fields: [FieldView]
    var hasErrors: Bool
    var csrf: String
}

struct ReasonView {
    var points: String
    var text: String
}

struct SuggestionView {
    var id: String
    var name: String
    var company: String?
    var score: Int
    var localTime: String?
    var reasons: [ReasonView]
}

struct PersonaView {
    var chrome = Chrome(personas: true)
    var name: String
    var description: String
    var goals: String
    var pains: String
    var peopleCount: Int
    var peopleNoun: String
    var suggestions: [SuggestionView]
    var hasSuggestions: Bool
    var people: [PersonRow]
    var hasPeople: Bool
}
