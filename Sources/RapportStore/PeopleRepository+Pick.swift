import Foundation
import RapportCore

/// The active people of a persona, and whom of them to ask first.
public struct PersonaPick: Sendable {
    public var people: [Person]
    public var result: PickResult
}

extension PeopleRepository {
    /// Ranks the people of `persona` with ``PickRanker`` as of `now`; `people` are all of them, by name.
    public func pick(from persona: Persona, count: Int, now: Date, as owner: AccountID) async throws -> PersonaPick {
        let people = try await list(PersonFilter(persona: persona.name, limit: 10_000), as: owner)
        let histories = try await store.conversations.histories(for: people.map(\.id), as: owner)
        let settings = try await store.settings.get(as: owner)
        return PersonaPick(people: people, result: PickRanker.rank(
            people, histories: histories, now: now, count: count, recentDays: settings.pickRecentDays))
    }
}
