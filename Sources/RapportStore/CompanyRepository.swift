import Foundation
import RapportCore
import SQLKit

/// A company as reports see it: its industry and whether its name may be shared.
public struct CompanyInfo: Sendable, Codable, Equatable {
    public var name: String
    public var industry: String?
    /// Reports may name it even when anonymised.
    public var shareable: Bool
    public var people: Int

    public init(name: String, industry: String?, shareable: Bool, people: Int) {
        self.name = name
        self.industry = industry
        self.shareable = shareable
        self.people = people
    }
}

/// Companies: made as people are filed under them; here their industry and shareability are set.
public struct CompanyRepository: Sendable {
    let store: Store

    public func list(as owner: AccountID) async throws -> [CompanyInfo] {
        try await store.withSession { db in
            let rows = try await db.select().columns("id", "name", "industry", "shareable").from("companies")
                .where("owner_id", .equal, owner.rawValue).orderBy("name_key").all()
            // People per company counted in SQL: a row a company, not a row a person.
            var counts: [Int64: Int] = [:]
            for row in try await db.select().column("company_id").column(SQLFunction("count", args: SQLLiteral.all), as: "n")
                .from("people").where("owner_id", .equal, owner.rawValue)
                .where(SQLColumn("company_id"), .isNot, SQLLiteral.null).groupBy("company_id").all() {
                counts[try row.decode(column: "company_id", as: Int64.self)] = try row.decode(column: "n", as: Int.self)
            }
            return try rows.map { row in
                CompanyInfo(name: try row.decode(column: "name", as: String.self), industry: try row.value("industry", as: String.self),
                            shareable: try row.decode(column: "shareable", as: Bool.self), people: counts[try row.decode(column: "id", as: Int64.self)] ?? 0)
            }
        }
    }

    /// Every company as reports see it (name, industry, whether it may be named), without counting anyone.
    public func forReports(as owner: AccountID) async throws -> [ReportCompany] {
        try await store.withSession { db in
            try await db.select().columns("name", "industry", "shareable").from("companies")
                .where("owner_id", .equal, owner.rawValue).orderBy("name_key").all().map { row in
                    ReportCompany(name: try row.decode(column: "name", as: String.self), industry: try row.value("industry", as: String.self),
                                  shareable: try row.decode(column: "shareable", as: Bool.self))
                }
        }
    }

    /// Sets the industry (an empty one clears it) and whether the name may appear in anonymised reports.
    public func set(_ name: String, industry: String?, shareable: Bool?, as owner: AccountID) async throws -> CompanyInfo {
        let industry = industry.map { $0.trimmed }
        if let industry, industry.count > 80 { throw RapportError.invalid("industry", "keep the industry short, e.g. logistics") }
        let key = name.matchingKey
        try await store.withSession { db in
            guard let id = try await db.select().column("id").from("companies").where("owner_id", .equal, owner.rawValue)
                .where("name_key", .equal, name.matchingKey).first(decodingColumn: "id", as: Int64.self) else {
                let names = try await db.select().column("name").from("companies").where("owner_id", .equal, owner.rawValue)
                    .all(decodingColumn: "name", as: String.self)
                let hint = ClosestNames.to(name, among: names, maxDistance: max(2, name.count / 3), limit: 1).first.map { "did you mean \"\($0)\"? " } ?? ""
                throw RapportError.invalid("company", "no company \"\(name.trimmed)\"; \(hint)companies come from people's --company")
            }
            var update = db.update("companies")
            if let industry { update = update.set("industry", to: industry.isEmpty ? nil : industry) }
            if let shareable { update = update.set("shareable", to: shareable) }
            if industry != nil || shareable != nil { try await update.where("id", .equal, id).run() }
        }
        guard let found = try await list(as: owner).first(where: { $0.name.matchingKey == key }) else {
            throw RapportError.storage("the company \"\(name)\" went missing while it was being changed")
        }
        return found
    }
}
