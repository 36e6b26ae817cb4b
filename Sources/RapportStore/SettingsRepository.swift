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
        try await change([(key, value)], as: owner)
    }

    /// Puts a setting back to its default.
    public func reset(_ key: String, as owner: AccountID) async throws -> Settings {
        try await change([(key, nil)], as: owner)
    }

    /// Sets each key to its value, or back to its default when the value is nil. Every key and value is checked
    /// first, all errors reported at once, and the changes are stored in one transaction or not at all.
    public func change(_ changes: [(key: String, value: String?)], as owner: AccountID) async throws -> Settings {
        let checked = try check(changes)
        let now = store.stamp()
        return try await store.transaction { [checked] db in
            for (key, value) in checked {
                try await db.delete(from: "settings").where("owner_id", .equal, owner.rawValue).where("key", .equal, key).run()
                if let value {
                    try await db.insert(into: "settings").columns("owner_id", "key", "value", "updated_at")
                        .values(owner.rawValue, key, value, Timestamp.string(now)).run()
                }
            }
            return try await Self.load(owner, db)
        }
    }

    /// The changes with canonical keys and normalised values; every bad key or value is reported at once.
    public func check(_ changes: [(key: String, value: String?)]) throws -> [(key: String, value: String?)] {
        let errors = FieldErrors()
        var checked: [(key: String, value: String?)] = []
        for (key, value) in changes {
            guard let definition = try errors.check({ try Settings.definition(key) }) else { continue }
            if let value {
                if let stored = try errors.check({ try definition.check(value, store.timeZones) }) { checked.append((definition.key, stored)) }
            } else {
                checked.append((definition.key, nil))
            }
        }
        try errors.throwIfAny()
        return checked
    }

    /// The secret in the calendar feed's address (64 hex digits), made on first use.
    public func calendarToken(as owner: AccountID) async throws -> String {
        try await store.transaction { db in
            if let token = try await Self.load(owner, db).stored[Settings.calendarTokenKey] { return token }
            return try await Self.storeToken(Self.newToken(), owner: owner, now: store.stamp(), on: db)
        }
    }

    /// The secret the web app signs its forms' CSRF tokens with (64 hex digits, 256 bits), made on first use and
    /// kept with the database, so a token stays valid across restarts and no other install can make one.
    public func formSecret(as owner: AccountID) async throws -> String {
        try await store.transaction { db in
            if let secret = try await Self.load(owner, db).stored[Settings.formSecretKey] { return secret }
            return try await Self.storeToken(Self.newToken(), key: Settings.formSecretKey, owner: owner, now: store.stamp(), on: db)
        }
    }

    /// A new secret for the feed's address: the old address stops working at once.
    public func rotateCalendarToken(as owner: AccountID) async throws -> String {
        try await store.transaction { db in try await Self.storeToken(Self.newToken(), owner: owner, now: store.stamp(), on: db) }
    }

    /// The account whose calendar feed `token` opens, if any.
    public func account(forCalendarToken token: String) async throws -> AccountID? {
        guard token.count == 64, token.allSatisfy(\.isHexDigit) else { return nil }
        return try await store.withSession { db in
            try await db.select().column("owner_id").from("settings").where("key", .equal, Settings.calendarTokenKey)
                .where("value", .equal, token.lowercased()).first(decodingColumn: "owner_id", as: Int64.self).map(AccountID.init)
        }
    }

    /// 256 random bits from the system's secure generator, as hex.
    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func storeToken(
        _ token: String, key: String = Settings.calendarTokenKey, owner: AccountID, now: Date, on db: any SQLDatabase
    ) async throws -> String {
        try await db.delete(from: "settings").where("owner_id", .equal, owner.rawValue).where("key", .equal, key).run()
        try await db.insert(into: "settings").columns("owner_id", "key", "value", "updated_at")
            .values(owner.rawValue, key, token, Timestamp.string(now)).run()
        return token
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
