import Foundation
import RapportCore
import SQLKit

/// The settings of an account: cadence defaults, time zone, and more as later features add keys.
public struct SettingsRepository: Sendable {
    let store: Store

    public func get(as owner: AccountID) async throws -> Settings {
        try await store.withSession { db in try await Self.load(owner, db) }
    }

    /// Checks and stores one setting; returns the settings after the change.
    public func set(_ key: String, to value: String, as owner: AccountID) async throws -> Settings {
        let definition = try Settings.definition(key)
        let stored = try definition.check(value, store.timeZones)
        let now = store.stamp()
        return try await store.transaction { db in
            try await db.delete(from: "settings").where("owner_id", .equal, owner.rawValue).where("key", .equal, definition.key).run()
            try await db.insert(into: "settings").columns("owner_id", "key", "value", "updated_at")
                .values(owner.rawValue, definition.key, stored, Timestamp.string(now)).run()
            return try await Self.load(owner, db)
        }
    }

    /// Puts a setting back to its default.
    public func reset(_ key: String, as owner: AccountID) async throws -> Settings {
        let definition = try Settings.definition(key)
        return try await store.transaction { db in
            try await db.delete(from: "settings").where("owner_id", .equal, owner.rawValue).where("key", .equal, definition.key).run()
            return try await Self.load(owner, db)
        }
    }

    static func load(_ owner: AccountID, _ db: any SQLDatabase) async throws -> Settings {
        var stored: [String: String] = [:]
        for row in try await db.select().columns("key", "value").from("settings").where("owner_id", .equal, owner.rawValue).all() {
            stored[try row.decode(column: "key", as: String.self)] = try row.decode(column: "value", as: String.self)
        }
        return Settings(stored: stored)
    }
}

extension Store {
    /// Now, in the user's zone (their `timezone` setting, else this machine's), with their settings.
    public func clock(as owner: AccountID) async throws -> UserClock {
        let settings = try await self.settings.get(as: owner)
        let zone = settings.value("timezone").flatMap(TimeZone.init(identifier:)) ?? TimeZone.current
        return UserClock(now: now(), zone: zone, settings: settings)
    }
}
