import Foundation
import RapportCore
import SQLKit

/// Whom a call sheet is for.
public enum PlanSource: Sendable, Equatable {
    /// Everyone overdue (the default).
    case due
    case people([PersonID])
    case persona(String)
    case campaign(String)
}

/// The call sheet and the funnel: what is derived from people, attempts and campaign emails.
public struct OutreachRepository: Sendable {
    let store: Store

    /// Whom a plan is for, from the choices of the CLI or a query: the named people (resolved), else a persona, else
    /// a campaign, else everyone due.
    public func source(people: [String], persona: String?, campaign: String?, as owner: AccountID) async throws -> PlanSource {
        if !people.isEmpty { return .people(try await store.people.resolveAll(people, as: owner)) }
        if let persona { return .persona(persona) }
        if let campaign { return .campaign(campaign) }
        return .due
    }

    /// Builds the call sheet for `options.day` from `source`, with the last topic of each call.
    public func plan(_ options: PlanOptions, source: PlanSource, clock: UserClock, as owner: AccountID) async throws -> CallPlan {
        try await plan(options, source: source, clock: clock, overdue: nil, as: owner)
    }

    /// ``plan(_:source:clock:as:)``, from the due candidates (within 0 days) when the caller found them already.
    func plan(_ options: PlanOptions, source: PlanSource, clock: UserClock, overdue given: [DueQuery.Candidate]?,
              as owner: AccountID) async throws -> CallPlan {
        let options = try options.validated()
        // What happened on calls already made that day.
        let start = options.day.moment(in: clock.zone), end = options.day.adding(days: 1).moment(in: clock.zone)
        let today = try await store.attempts.list(AttemptFilter(since: start, until: end, limit: 10_000), as: owner)
        var made: [PersonID: [String]] = [:]
        for attempt in today.reversed() {
            made[attempt.person.id, default: []].append("\(attempt.outcome.rawValue) at \(LocalTime.clock(attempt.at, in: clock.zone))")
        }
        var plan: CallPlan
        if case .due = source {
            plan = try await overdue(options, made: made, clock: clock, candidates: given, as: owner)
        } else {
            var candidates = try await named(source, clock: clock, as: owner)
            for index in candidates.indices { candidates[index].attemptsToday = made[candidates[index].person.id] ?? [] }
            plan = CallPlanner.build(candidates, options: options, zone: clock.zone)
        }
        for index in plan.calls.indices {
            plan.calls[index].lastTopic = try await lastTopic(plan.calls[index].person.id, zone: clock.zone, owner: owner)
        }
        return plan
    }

    /// The people a plan is asked for by name, persona or campaign, with their cadence status.
    private func named(_ source: PlanSource, clock: UserClock, as owner: AccountID) async throws -> [PlanCandidate] {
        let policy = clock.settings.cadence
        switch source {
        case .due:
            return []
        case .people(let ids):
            let people = try await store.people.get(ids, as: owner)
            return try await withStatus(people, why: { _ in "named for today" }, clock: clock, policy: policy, owner: owner)
        case .persona(let name):
            let persona = try await store.personas.find(name, as: owner)
            let people = try await store.people.list(PersonFilter(persona: persona.name, limit: 1_000_000), as: owner)
            return try await withStatus(people, why: { _ in "\(persona.name) persona" }, clock: clock, policy: policy, owner: owner)
        case .campaign(let name):
            let campaign = try await store.campaigns.get(name, as: owner)
            let people = try await store.people.list(PersonFilter(limit: 1_000_000), as: owner)
                .filter { BatchPicker.fits($0, campaign.details) }
            return try await withStatus(people, why: { _ in "campaign \(campaign.name)" }, clock: clock, policy: policy, owner: owner)
        }
    }

    /// The plan over everyone overdue, loading only the people it reaches. Who is overdue comes from SQL as light rows
    /// (``DueQuery``), put in the planner's own order (``CallPlanner/precedes(_:_:)``: their zone's offset, days
    /// overdue, warmth, name). People whose zone and hours hold no slot today are grouped from those rows alone (as
    /// ``CallPlanner/build(_:options:fit:)`` would group them), without being loaded. The rest are loaded and planned
    /// in growing batches, and the walk stops once the plan is full, since nobody later in that order could get a
    /// slot. Those after the last call placed are counted in `notReached`, not listed, so the lists do not depend on
    /// how far a batch reached.
    private func overdue(_ options: PlanOptions, made: [PersonID: [String]], clock: UserClock, candidates given: [DueQuery.Candidate]?,
                         as owner: AccountID) async throws -> CallPlan {
        let query = DueQuery(owner: owner, today: clock.today, zone: clock.zone, policy: clock.settings.cadence, within: 0)
        return try await store.withSession { db in
            let found: [DueQuery.Candidate]
            if let given { found = given } else { found = try await query.candidates(on: db) }
            var fit = SlotFit(options, zone: clock.zone)
            var hours: [String: BusinessHours] = [:]
            func hoursOf(_ text: String?) -> BusinessHours {
                guard let text else { return .standard }
                if let known = hours[text] { return known }
                let parsed = (try? BusinessHours.parse(text)) ?? .standard
                hours[text] = parsed
                return parsed
            }
            // The planner's order, sorting small keys rather than moving whole rows.
            var keys: [CallPlanner.OrderKey] = [], zones: [TimeZone] = [], late: [Int] = []
            for (index, c) in found.enumerated() {
                guard let days = c.status.daysOverdue, days >= 0 else { continue }
                let zone = fit.zone(c.timeZone).zone
                keys.append(CallPlanner.OrderKey(offset: zone.secondsFromGMT(for: fit.windowOpens), daysOverdue: days,
                                                 warmth: c.warmth, name: c.name, id: PersonID(c.id)))
                zones.append(zone)
                late.append(index)
            }
            let keyed = keys.indices.sorted { CallPlanner.precedes(keys[$0], keys[$1]) }
                .map { (key: keys[$0], zone: zones[$0], candidate: found[late[$0]]) }
            // Outside their hours, decided from the light rows; a paused person is loaded, to be said paused first.
            var outside: [PlanGroup] = [], noSlot: [PlanGroup] = []
            let day = options.day.description
            func paused(_ c: DueQuery.Candidate) -> Bool { c.pausedUntil.map { $0 > day } ?? false }
            let walk = keyed.filter { entry in
                if paused(entry.candidate) { return true }
                guard let group = fit.outsideHours(entry.zone, hours: hoursOf(entry.candidate.hours)) else { return true }
                PlanGroup.add(PersonSummary(id: entry.key.id, name: entry.candidate.name), group, to: &outside)
                return false
            }
            var position: [PersonID: Int] = [:]
            for (index, entry) in walk.enumerated() { position[entry.key.id] = index }
            // Whose zone and hours have every slot taken already: slots only fill up as the walk goes on, so the
            // planner would say the same of them; they are grouped without being loaded.
            func full(_ entry: (key: CallPlanner.OrderKey, zone: TimeZone, candidate: DueQuery.Candidate), taken: Set<Int>) -> Bool {
                guard !paused(entry.candidate),
                      let group = fit.noSlotLeft(entry.zone, hours: hoursOf(entry.candidate.hours), taken: taken) else { return false }
                PlanGroup.add(PersonSummary(id: entry.key.id, name: entry.candidate.name), group, to: &noSlot)
                return true
            }
            var loaded: [PlanCandidate] = []
            var plan = CallPlanner.build([], options: options, fit: &fit)
            var next = 0, batch = 32
            var looked = 0
            while next < walk.count, !CallPlanner.isFull(plan, options: options) {
                let taken = fit.taken(by: plan)
                var ids: [Int64] = []
                while next < walk.count, ids.count < batch {
                    if !full(walk[next], taken: taken) { ids.append(walk[next].candidate.id) }
                    next += 1
                }
                var people: [Int64: Person] = [:]
                for person in try await PersonRows.load(ids, owner: owner, on: db) { people[person.id.rawValue] = person }
                for id in ids {
                    guard let person = people[id], let entry = position[person.id].map({ walk[$0] }) else { continue }
                    loaded.append(PlanCandidate(person: person, why: entry.candidate.status.phrase,
                                                daysOverdue: entry.candidate.status.daysOverdue, attemptsToday: made[person.id] ?? []))
                }
                looked = next
                batch *= 2
                plan = CallPlanner.build(loaded, options: options, fit: &fit)
            }
            // The rest of the walk: grouped when their slots are all taken, else counted.
            let taken = fit.taken(by: plan)
            var rest = 0
            for entry in walk[looked...] where !full(entry, taken: taken) { rest += 1 }
            if CallPlanner.isFull(plan, options: options) {
                // Only the people before the last call placed are listed; which of a batch's later people were looked
                // at depends on the batch's size, not on them, so they are counted instead.
                let last = plan.calls.compactMap { position[$0.person.id] }.max() ?? -1
                let after = plan.notToday.filter { (position[$0.person.id] ?? 0) > last }.count
                    + plan.noPhone.filter { (position[$0.person.id] ?? 0) > last }.count
                plan.notToday.removeAll { (position[$0.person.id] ?? 0) > last }
                plan.noPhone.removeAll { (position[$0.person.id] ?? 0) > last }
                rest += after
            }
            plan.notReached = rest
            // Groups from the light rows and from the planner, each in the plan's order.
            for group in plan.noSlotLeft { for person in group.people { PlanGroup.add(person, group, to: &noSlot) } }
            func ordered(_ groups: [PlanGroup]) -> [PlanGroup] {
                groups.map { group in
                    var group = group
                    group.people.sort { (position[$0.id] ?? 0) < (position[$1.id] ?? 0) }
                    return group
                }.sorted { (position[$0.people[0].id] ?? 0) < (position[$1.people[0].id] ?? 0) }
            }
            plan.outsideHours = outside
            plan.noSlotLeft = ordered(noSlot)
            return plan
        }
    }

    private func withStatus(
        _ people: [Person], why: (Person) -> String, clock: UserClock, policy: CadencePolicy, owner: AccountID
    ) async throws -> [PlanCandidate] {
        let histories = try await store.conversations.histories(for: people.map(\.id), as: owner)
        return people.map { person in
            let status = CadenceStatus.of(person, history: histories[person.id] ?? .none, policy: policy, today: clock.today, zone: clock.zone)
            let phrase = status.daysOverdue == nil ? "" : ", \(status.phrase)"
            return PlanCandidate(person: person, why: why(person) + phrase, daysOverdue: status.daysOverdue)
        }
    }

    /// The objective of the latest conversation with `person`, else the start of its notes.
    func lastTopic(_ person: PersonID, zone: TimeZone, owner: AccountID) async throws -> String? {
        guard let last = try await store.conversations.list(ConversationFilter(person: person, limit: 1), as: owner).first else { return nil }
        let d = last.details
        let day = CalendarDay(d.at, in: zone).label
        if let objective = d.objective, !objective.isEmpty { return "\(objective) (\(day))" }
        let notes = d.notes.split(whereSeparator: \.isNewline).first.map(String.init)?.trimmed ?? ""
        if notes.isEmpty { return "\(d.kind.label) on \(day)" }
        return (notes.count > 90 ? String(notes.prefix(89)) + "…" : notes) + " (\(day))"
    }

    /// The funnel of call attempts and campaign emails between `since` and `until` (days in the user's zone,
    /// both included), for one campaign or all, broken down `by` week, persona or campaign.
    public func funnel(
        since: CalendarDay? = nil, until: CalendarDay? = nil, campaign: String? = nil, by: Funnel.Breakdown? = nil,
        target: Int? = nil, clock: UserClock, as owner: AccountID
    ) async throws -> Funnel {
        if let since, let until, until < since {
            throw RapportError.invalid("until", "\(until) is before --since \(since); give an end on or after the start")
        }
        if let target, !(1...100).contains(target) {
            throw RapportError.invalid("target", "give 1 to 100 conversations a week (it was \(target))")
        }
        let from = since.map { $0.moment(in: clock.zone) }
        let to = until.map { $0.adding(days: 1).moment(in: clock.zone) }
        return try await store.withSession { db in
            var campaignID: Int64?
            var campaignName: String?
            if let campaign {
                let id = try await CampaignRows.id(named: campaign, owner: owner, on: db)
                campaignID = id
                campaignName = try await CampaignRows.load(owner: owner, id: id, on: db).name
            }
            var attempts = db.select()
                .column(SQLColumn("person_id", table: "attempts")).column(SQLColumn("outcome", table: "attempts"))
                .column(SQLColumn("occurred_at", table: "attempts")).column(SQLColumn("name", table: "campaigns"), as: "campaign_name")
                .from("attempts")
                .join("campaigns", method: SQLJoinMethod.left, on: SQLColumn("id", table: "campaigns"), .equal, SQLColumn("campaign_id", table: "attempts"))
                .where(SQLColumn("owner_id", table: "attempts"), .equal, SQLBind(owner.rawValue))
            var emails = db.select()
                .column(SQLColumn("person_id", table: "campaign_recipients")).column(SQLColumn("status", table: "campaign_recipients"))
                .column(SQLColumn("created_at", table: "campaign_recipients")).column(SQLColumn("name", table: "campaigns"), as: "campaign_name")
                .from("campaign_recipients")
                .join("campaigns", on: SQLColumn("id", table: "campaigns"), .equal, SQLColumn("campaign_id", table: "campaign_recipients"))
                .where(SQLColumn("owner_id", table: "campaign_recipients"), .equal, SQLBind(owner.rawValue))
                .where(SQLColumn("status", table: "campaign_recipients"), .notEqual, SQLBind(RecipientStatus.queued.rawValue))
            if let campaignID {
                attempts = attempts.where(SQLColumn("campaign_id", table: "attempts"), .equal, SQLBind(campaignID))
                emails = emails.where(SQLColumn("campaign_id", table: "campaign_recipients"), .equal, SQLBind(campaignID))
            }
            if let from {
                attempts = attempts.where(SQLColumn("occurred_at", table: "attempts"), .greaterThanOrEqual, SQLBind(Timestamp.string(from)))
                emails = emails.where(SQLColumn("created_at", table: "campaign_recipients"), .greaterThanOrEqual, SQLBind(Timestamp.string(from)))
            }
            if let to {
                attempts = attempts.where(SQLColumn("occurred_at", table: "attempts"), .lessThan, SQLBind(Timestamp.string(to)))
                emails = emails.where(SQLColumn("created_at", table: "campaign_recipients"), .lessThan, SQLBind(Timestamp.string(to)))
            }
            let attemptRows = try await attempts.all()
            let emailRows = try await emails.all()
            var personas: [Int64: [String]] = [:]
            if by == .persona {
                for row in try await db.select()
                    .column(SQLColumn("person_id", table: "person_personas")).column(SQLColumn("name", table: "personas"))
                    .from("person_personas")
                    .join("personas", on: SQLColumn("id", table: "personas"), .equal, SQLColumn("persona_id", table: "person_personas"))
                    .where(SQLColumn("owner_id", table: "person_personas"), .equal, SQLBind(owner.rawValue))
                    .orderBy(SQLColumn("position", table: "person_personas")).all() {
                    personas[try row.decode(column: "person_id", as: Int64.self), default: []].append(try row.decode(column: "name", as: String.self))
                }
            }
            var events: [OutreachEvent] = []
            for row in attemptRows {
                let person = try row.decode(column: "person_id", as: Int64.self)
                guard let outcome = AttemptOutcome(rawValue: try row.decode(column: "outcome", as: String.self)),
                      let at = Timestamp.date(try row.decode(column: "occurred_at", as: String.self)) else { continue }
                events.append(.call(outcome, at: at, person: PersonID(person), personas: personas[person] ?? [],
                                    campaign: try row.value("campaign_name", as: String.self)))
            }
            for row in emailRows {
                let person = try row.decode(column: "person_id", as: Int64.self)
                guard let status = RecipientStatus(rawValue: try row.decode(column: "status", as: String.self)),
                      let at = Timestamp.date(try row.decode(column: "created_at", as: String.self)),
                      let event = status.event(at: at, person: PersonID(person), personas: personas[person] ?? [],
                                               campaign: try row.decode(column: "campaign_name", as: String.self)) else { continue }
                events.append(event)
            }
            return Funnel.build(events, since: since, until: until, campaign: campaignName, by: by, target: target, zone: clock.zone)
        }
    }
}
