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

    /// Overdue people, people coming due within `within` days (0 to 365), and follow-ups due, as of `clock`.
    ///
    /// Each list holds at most `limit` people (1 to 1,000; nil: all), from `offset`; `overdueCount` and
    /// `upcomingCount` count them all. The same report as ``DueReport/build(people:histories:followUps:policy:today:zone:within:)``
    /// over every person, found from the people table alone (see ``DueQuery``): its time does not grow with the
    /// number of conversations, and only the people shown are loaded.
    ///
    /// Throws ``RapportError/invalid(_:_:)`` naming `within`, `limit` or `offset` (0 to 10,000,000) when out of range.
    public func due(within: Int, limit: Int? = nil, offset: Int = 0, clock: UserClock, as owner: AccountID) async throws -> DueReport {
        try await due(within: within, limit: limit, offset: offset, clock: clock, candidates: nil, as: owner)
    }

    /// ``due(within:limit:offset:clock:as:)`` from `candidates` when the caller found them already (the dashboard
    /// shares them with the call plan), else from ``DueQuery``.
    func due(within: Int, limit: Int?, offset: Int, clock: UserClock, candidates given: [DueQuery.Candidate]?,
             as owner: AccountID) async throws -> DueReport {
        guard (0...365).contains(within) else {
            throw RapportError.invalid("within", "give a number of days from 0 to 365 (it was \(within))")
        }
        if let limit, !(1...DueReport.maxLimit).contains(limit) {
            throw RapportError.invalid("limit", "give a number of people from 1 to \(DueReport.maxLimit) (it was \(limit))")
        }
        try Paging.check(offset: offset, of: "people")
        let query = DueQuery(owner: owner, today: clock.today, zone: clock.zone, policy: clock.settings.cadence, within: within)
        return try await store.withSession { db in
            let candidates: [DueQuery.Candidate]
            if let given { candidates = given } else { candidates = try await query.candidates(on: db) }
            var overdue: [Int] = [], upcoming: [Int] = []
            for (index, candidate) in candidates.enumerated() {
                guard let late = candidate.status.daysOverdue else { continue }
                if late >= 0 { overdue.append(index) } else if -late <= within { upcoming.append(index) }
            }
            overdue = DueQuery.sorted(overdue, of: candidates)
            upcoming = DueQuery.sorted(upcoming, of: candidates)
            func page(_ list: [Int]) -> [DueQuery.Candidate] {
                let start = min(offset, list.count)
                return list[start..<(limit.map { min(start + $0, list.count) } ?? list.count)].map { candidates[$0] }
            }
            let overduePage = page(overdue), upcomingPage = page(upcoming)
            let ids = (overduePage + upcomingPage).map(\.id)
            var people: [Int64: Person] = [:]
            for person in try await PersonRows.load(ids, owner: owner, on: db) { people[person.id.rawValue] = person }
            let histories = try await ConversationRepository.histories(ids.map(PersonID.init), owner: owner, on: db)
            func entries(_ list: [DueQuery.Candidate]) -> [DuePerson] {
                list.compactMap { candidate -> DuePerson? in
                    guard let person = people[candidate.id] else { return nil }
                    var status = candidate.status
                    status.conversations = histories[person.id]?.conversations ?? 0
                    return DuePerson(person: person, status: status)
                }
            }
            return DueReport(
                today: clock.today, within: within, overdue: entries(overduePage), upcoming: entries(upcomingPage),
                followUps: try await query.followUps(on: db), snoozed: try await query.snoozed(on: db),
                overdueCount: overdue.count, upcomingCount: upcoming.count, limit: limit, offset: offset)
        }
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
