import RapportCore
import SQLKit

/// Finding a row the user names: campaigns and guides are named by their name (any letter case) or by id.
enum NamedRows {
    /// The id of the row of `table` named `ref` (`Onboarding`, `onboarding`, `12`, `#12`) owned by `owner`;
    /// otherwise the error `unknown` makes from the trimmed name and the closest existing name, if any.
    static func id(
        _ ref: String, table: String, owner: AccountID, on db: any SQLDatabase,
        unknown: (_ name: String, _ closest: String?) -> RapportError
    ) async throws -> Int64 {
        let trimmed = ref.trimmed
        if let id = try await db.select().column("id").from(table)
            .where("owner_id", .equal, owner.rawValue).where("name_key", .equal, trimmed.matchingKey)
            .first(decodingColumn: "id", as: Int64.self) {
            return id
        }
        if let number = trimmed.idNumber,
           let id = try await db.select().column("id").from(table)
            .where("owner_id", .equal, owner.rawValue).where("id", .equal, number).first(decodingColumn: "id", as: Int64.self) {
            return id
        }
        let names = try await db.select().column("name").from(table).where("owner_id", .equal, owner.rawValue)
            .all(decodingColumn: "name", as: String.self)
        throw unknown(trimmed, ClosestNames.to(trimmed, among: names, maxDistance: max(2, trimmed.count / 3), limit: 1).first)
    }
}
