import Foundation
import Hummingbird
import RapportCore
import RapportStore

/// `/api/v1/personas`.
struct PersonasAPI: Sendable {
    let store: Store
    let account: AccountID

    struct PersonaList: Encodable {
        var personas: [Persona]
    }

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("personas", use: list)
        group.post("personas", use: create)
        group.get("personas/:id", use: show)
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(PersonaList(personas: try await store.personas.list(as: account)))
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["name", "description", "goals", "pains"])
        var errors: [FieldError] = []
        func text(_ key: String) -> String {
            guard let value = body[key] else { return "" }
            if let string = value as? String { return string }
            errors.append(FieldError(key, "must be text"))
            return ""
        }
        let details = PersonaDetails(name: text("name"), description: text("description"), goals: text("goals"), pains: text("pains"))
        if !errors.isEmpty { throw RapportError.invalid(errors) }
        let persona = try await store.personas.add(details, as: account)
        return try JSONBody.created(persona, at: "/api/v1/personas/\(persona.id)")
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.personas.get(PersonaID(try context.id(of: .persona)), as: account))
    }
}
