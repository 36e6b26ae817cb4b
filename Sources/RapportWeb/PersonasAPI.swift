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
        let details = try await JSONBody.decode(PersonaBody.self, from: request, context: context).details
        let persona = try await store.personas.add(details, as: account)
        return try JSONBody.created(persona, at: "/api/v1/personas/\(persona.id)")
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.personas.get(PersonaID(try context.id(of: .persona)), as: account))
    }

    /// `POST /api/v1/personas`: `{"name": "Ops Lead", "description": "…", "goals": "…", "pains": "…"}`; each text.
    struct PersonaBody: RequestBody {
        static let keys = ["name", "description", "goals", "pains"]
        var details: PersonaDetails

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            func text(_ key: String) -> String {
                guard read.has(key) else { return "" }
                guard let text = read.decoded(String.self, key) else { read.fail(key, "must be text"); return "" }
                return text
            }
            details = PersonaDetails(name: text("name"), description: text("description"), goals: text("goals"), pains: text("pains"))
            try read.finish()
        }
    }
}
