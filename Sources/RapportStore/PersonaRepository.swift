import Foundation
import RapportCore
import SQLKit

/// Personas: the kinds of people the product serves.
public struct PersonaRepository: Sendable {
    let store: Store

    /// Adds a persona; a name already used (in any letter case) is refused.
    public func add(_ details: PersonaDetails, as owner: AccountID) async throws -> Persona {
        let d = try details.validated()
        let now = Timestamp.string(store.stamp())
        return try await store.transaction { db in
            try await Self.checkNameFree(d.name, except: nil, owner: owner, on: db)
            let id = try await db.insert(into: "personas")
                .columns("owner_id", "name", "name_key", "description", "goals", "pains", "created_at", "updated_at")
                .values(owner.rawValue, d.name, d.name.matchingKey, d.description, d.goals, d.pains, now, now)
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            guard let id else { throw RapportError.storage("the database did not return the new persona's id") }
            return try await Self.load(owner: owner, only: id, on: db)[0]
        }
    }

    /// Changes a persona's name or text.
    public func update(_ id: PersonaID, with details: PersonaDetails, as owner: AccountID) async throws -> Persona {
        let d = try details.validated()
        let now = Timestamp.string(store.stamp())
        return try await store.transaction { db in
            // Inside the transaction's own connection: calling `get` here would wait for a second one.
            guard try await !Self.load(owner: owner, only: id.rawValue, on: db).isEmpty else {
                throw RapportError.notFound(.persona, "#\(id)")
            }
            try await Self.checkNameFree(d.name, except: id.rawValue, owner: owner, on: db)
            try await db.update("personas")
                .set("name", to: d.name).set("name_key", to: d.name.matchingKey)
                .set("description", to: d.description).set("goals", to: d.goals).set("pains", to: d.pains)
                .set("updated_at", to: now)
                .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
            // Its people are found by the persona's name: their search documents follow a new one.
            let people = try await db.select().column("person_id").from("person_personas")
                .where("persona_id", .equal, id.rawValue).all(decodingColumn: "person_id", as: Int64.self)
            try await PersonRows.reindex(people, owner: owner, on: db)
            return try await Self.load(owner: owner, only: id.rawValue, on: db)[0]
        }
    }

    /// Every persona of the account, by name, with how many active people carry it.
    public func list(as owner: AccountID) async throws -> [Persona] {
        try await store.withSession { db in try await Self.load(owner: owner, only: nil, on: db) }
    }

    /// The account's persona names, in the order of ``list(as:)``, without counting their people.
    public func names(as owner: AccountID) async throws -> [String] {
        try await store.withSession { db in
            try await db.select().column("name").from("personas").where("owner_id", .equal, owner.rawValue)
                .orderBy("name_key").all(decodingColumn: "name", as: String.self)
        }
    }

    /// The persona with this id.
    public func get(_ id: PersonaID, as owner: AccountID) async throws -> Persona {
        let found = try await store.withSession { db in try await Self.load(owner: owner, only: id.rawValue, on: db) }
        guard let persona = found.first else { throw RapportError.notFound(.persona, "#\(id)") }
        return persona
    }

    /// The persona named `ref` (any letter case) or with that id.
    public func find(_ ref: String, as owner: AccountID) async throws -> Persona {
        let all = try await list(as: owner)
        let trimmed = ref.trimmingCharacters(in: .whitespaces)
        let id = trimmed.idNumber
        if let match = all.first(where: { $0.name.matchingKey == trimmed.matchingKey || $0.id.rawValue == id }) {
            return match
        }
        throw RapportError.invalid("persona", Self.unknownMessage(trimmed, known: all.map(\.name)))
    }

    /// "no persona "Ops Lad"; did you mean Ops Lead? ...", for forms and the CLI alike.
    static func unknownMessage(_ name: String, known: [String]) -> String {
        let close = ClosestNames.to(name, among: known, maxDistance: max(2, name.count / 3), limit: 2)
        let hint = close.isEmpty ? "" : "did you mean \(close.map { "\"\($0)\"" }.joined(separator: " or "))? "
        return "no persona \"\(name)\"; \(hint)add it first with `rapport personas add \"\(name)\"` or on the personas page"
    }

    static func checkNameFree(_ name: String, except id: Int64?, owner: AccountID, on db: any SQLDatabase) async throws {
        if let stored = try await NamedRows.taken(name, table: "personas", except: id, owner: owner, on: db) {
            throw RapportError.conflict(field: "name", message: "a persona named \"\(stored.name)\" already exists; choose another name")
        }
    }

    static func load(owner: AccountID, only id: Int64?, on db: any SQLDatabase) async throws -> [Persona] {
        var query = db.select().columns("id", "name", "description", "goals", "pains", "created_at", "updated_at")
            .from("personas").where("owner_id", .equal, owner.rawValue)
        if let id { query = query.where("id", .equal, id) }
        let rows = try await query.orderBy("name_key").all()
        let counts = try await db.select()
            .column(SQLColumn("persona_id", table: "person_personas"))
            .column(SQLFunction("count", args: SQLLiteral.all), as: "people_count")
            .from("person_personas")
            .join("people", on: SQLColumn("id", table: "people"), .equal, SQLColumn("person_id", table: "person_personas"))
            .where(SQLColumn("owner_id", table: "person_personas"), .equal, SQLBind(owner.rawValue))
            .where(SQLColumn("archived", table: "people"), .equal, SQLBind(false))
            .groupBy(SQLColumn("persona_id", table: "person_personas"))
            .all()
        var countByID: [Int64: Int] = [:]
        for row in counts {
            countByID[try row.decode(column: "persona_id", as: Int64.self)] = Int(try row.decode(column: "people_count", as: Int64.self))
        }
        return try rows.map { row in
            let id = try row.decode(column: "id", as: Int64.self)
            return Persona(
                id: PersonaID(id),
                details: PersonaDetails(
                    name: try row.decode(column: "name", as: String.self),
                    description: try row.decode(column: "description", as: String.self),
                    goals: try row.decode(column: "goals", as: String.self),
                    pains: try row.decode(column: "pains", as: String.self)),
                peopleCount: countByID[id] ?? 0,
                createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
                updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast)
        }
    }
}
