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

    /// The row of `table` (other than `except`) whose name has `name`'s matching key, with its name as stored, so a
    /// refusal names what is there ("Persönä Ëxport"), not what was typed ("persona export").
    static func taken(
        _ name: String, table: String, key: String = "name_key", column: String = "name", except: Int64?, owner: AccountID,
        on db: any SQLDatabase
    ) async throws -> (id: Int64, name: String)? {
        var query = db.select().column("id").column(SQLIdentifier(column)).from(table)
            .where("owner_id", .equal, owner.rawValue).where(SQLIdentifier(key), .equal, SQLBind(name.matchingKey))
        if let except { query = query.where("id", .notEqual, except) }
        guard let row = try await query.first() else { return nil }
        return (try row.decode(column: "id", as: Int64.self), try row.decode(column: column, as: String.self))
    }
}

extension Dictionary {
    /// `pairs` as a dictionary, the first value kept when a key repeats. Rows read by ids can repeat an id (the same
    /// feedback given twice as evidence), and `init(uniqueKeysWithValues:)` stops the process on a repeat.
    init<S: Sequence>(firstOf pairs: S) where S.Element == (Key, Value) {
        self.init(pairs, uniquingKeysWith: { first, _ in first })
    }
}
