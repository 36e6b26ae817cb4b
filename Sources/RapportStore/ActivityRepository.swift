import Foundation
import RapportCore
import SQLKit

/// One entry of a timeline: a conversation or a follow-up (call attempts join in a later release).
public struct TimelineEntry: Sendable, Codable, Equatable {
    public enum Kind: String, Sendable, Codable { case conversation, followUp }
    public var type: Kind
    /// When it happened; for a follow-up, when it was done, else when it is due, else when it was made.
    public var at: Date
    public var conversation: Conversation?
    public var followUp: FollowUp?
}

/// A person's or a company's history, newest first.
public struct Timeline: Sendable, Codable, Equatable {
    public var person: Person?
    public var company: String?
    /// Where the person stands on their cadence (people only).
    public var status: CadenceStatus?
    public var entries: [TimelineEntry]
}

/// What is derived from conversations and follow-ups: due lists, timelines, cadence status.
public struct ActivityRepository: Sendable {
    let store: Store

    /// Overdue people, people coming due within `within` days, and follow-ups due, as of `clock`.
    public func due(within: Int, clock: UserClock, as owner: AccountID) async throws -> DueReport {
        guard (0...365).contains(within) else {
            throw RapportError.invalid("within", "give a number of days from 0 to 365 (it was \(within))")
        }
        let people = try await store.people.list(PersonFilter(archived: false, limit: 1_000_000), as: owner)
        let histories = try await store.conversations.histories(as: owner)
        let followUps = try await store.followUps.list(.open, as: owner)
        return DueReport.build(people: people, histories: histories, followUps: followUps, policy: clock.settings.cadence,
                               today: clock.today, zone: clock.zone, within: within)
    }

    /// Where `person` stands on their cadence.
    public func status(of person: Person, clock: UserClock, as owner: AccountID) async throws -> CadenceStatus {
        let history = try await store.conversations.histories(for: [person.id], as: owner)[person.id] ?? .none
        return CadenceStatus.of(person, history: history, policy: clock.settings.cadence, today: clock.today, zone: clock.zone)
    }

    /// The person's conversations and follow-ups, newest first, with their cadence status.
    public func timeline(of person: Person, clock: UserClock, as owner: AccountID) async throws -> Timeline {
        let conversations = try await store.conversations.list(ConversationFilter(person: person.id, limit: 100_000), as: owner)
        let followUps = try await store.followUps.list(.all, person: person.id, as: owner)
        let status = try await status(of: person, clock: clock, as: owner)
        return Timeline(person: person, company: person.details.company, status: status,
                        entries: Self.merge(conversations, followUps, zone: clock.zone))
    }

    /// The company's conversations and the follow-ups of its people, newest first.
    public func timeline(ofCompany name: String, clock: UserClock, as owner: AccountID) async throws -> Timeline {
        let key = name.matchingKey
        let company = try await store.withSession { db in
            try await db.select().column("name").from("companies")
                .where("owner_id", .equal, owner.rawValue).where("name_key", .equal, key)
                .first(decodingColumn: "name", as: String.self)
        }
        guard let company else { throw RapportError.notFound(.company, name) }
        let conversations = try await store.conversations.list(ConversationFilter(company: company, limit: 100_000), as: owner)
        let followUps = try await store.followUps.list(.all, company: company, as: owner)
        return Timeline(person: nil, company: company, status: nil, entries: Self.merge(conversations, followUps, zone: clock.zone))
    }

    static func merge(_ conversations: [Conversation], _ followUps: [FollowUp], zone: TimeZone) -> [TimelineEntry] {
        var entries = conversations.map { TimelineEntry(type: .conversation, at: $0.details.at, conversation: $0, followUp: nil) }
        for f in followUps {
            let at = f.doneAt ?? f.dueAt ?? f.dueDay?.moment(hour: 12, in: zone) ?? f.createdAt
            entries.append(TimelineEntry(type: .followUp, at: at, conversation: nil, followUp: f))
        }
        return entries.sorted { $0.at > $1.at }
    }
}

/// A person with where they stand on their cadence: JSON is the person's object with `cadence` beside its keys.
public struct PersonWithCadence: Sendable, Encodable, Equatable {
    public var person: Person
    public var cadence: CadenceStatus

    public init(person: Person, cadence: CadenceStatus) {
        self.person = person
        self.cadence = cadence
    }

    private enum Keys: String, CodingKey { case cadence }

    public func encode(to encoder: any Encoder) throws {
        try person.encode(to: encoder)
        var c = encoder.container(keyedBy: Keys.self)
        try c.encode(cadence, forKey: .cadence)
    }
}
