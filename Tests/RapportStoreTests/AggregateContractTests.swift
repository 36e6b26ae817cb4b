import Foundation
import RapportCore
import RapportStore
import Testing

/// The figures counted in SQL (issue 17) against the same figures worked out in Swift over every row.
@Suite("Store contract: aggregates counted in SQL")
struct AggregateContractTests {
    /// Conversations per week (the streak, the dashboard's chart) are counted in SQL between week edges worked out in
    /// the user's zone, and persona coverage from `people.last_contact_at`; this compares both with the figures built
    /// over every conversation, in zones with daylight saving and a 45-minute offset, with conversations near the
    /// edges of weeks, second-hand reports, conversations logged ahead of today, edits that move them and deletions.
    @Test("weekly counts, the streak and persona coverage are the ones built over every conversation", arguments: Backend.available)
    func weeklyFiguresMatchReference(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            var rng = SeededGenerator(seed: 29)
            for name in ["Ops Lead", "Analyst", "Buyer", "Never Heard"] { _ = try await t.personas.add(PersonaDetails(name: name), as: t.account) }
            var ids: [PersonID] = []
            for index in 0..<20 {
                let person = try await t.people.add(details("Person \(index)") {
                    $0.personas = index % 4 == 3 ? [] : [["Ops Lead"], ["Analyst"], ["Ops Lead", "Buyer"]][index % 4]
                }, allowDuplicate: true, as: t.account).person
                ids.append(person.id)
            }
            let kinds: [ConversationKind] = [.call, .video, .email, .secondhand, .visit, .chat]
            var logged: [ConversationID] = []
            for index in 0..<140 {
                // Whole days back, some ahead of today, at UTC times either side of midnight in New York (summer and
                // winter), Kathmandu (UTC+05:45) and UTC, so many fall just before or after a Monday's edge.
                let days = Double(Int.random(in: -10...420, using: &rng))
                let utcHour = [3.9, 4.5, 5.2, 18.2, 18.3, 23.95, 0.05][index % 7]
                let at = daysAgo(days, hour: utcHour - 9)
                let kind = kinds[index % kinds.count]
                let who = Array(ids.shuffled(using: &rng).prefix(1 + index % 2))
                let c = try await t.store.conversations.log(conversation(kind, who, at: at) {
                    if kind == .secondhand { $0.via = "Sam (sales)" }
                }, as: t.account)
                logged.append(c.conversation.id)
            }
            for (index, id) in logged.enumerated() where index % 11 == 4 {
                var patch = ConversationPatch()
                patch.at = daysAgo(Double(index), hour: 4.1)
                _ = try await t.store.conversations.update(id, with: patch, as: t.account)
            }
            for id in logged.suffix(6) { try await t.store.conversations.delete(id, as: t.account) }

            for zone in ["America/New_York", "Asia/Kathmandu", "UTC"] {
                _ = try await t.store.settings.set("timezone", to: zone, as: t.account)
                let clock = try await t.store.clock(as: t.account)
                let people = try await t.people.list(PersonFilter(limit: 1_000), as: t.account)
                let personasOf = Dictionary(uniqueKeysWithValues: people.map { ($0.id, $0.details.personas) })
                let direct = try await t.store.conversations.list(ConversationFilter(limit: 10_000), as: t.account)
                    .filter { $0.details.kind != .secondhand }

                // The streak, at each habit.
                for minimum in [1, 2, 3] {
                    let found = try await t.store.goals.streak(minimum: minimum, as: t.account)
                    #expect(found == Streak.of(direct.map(\.details.at), minimum: minimum, now: clock.now, zone: clock.zone), "\(zone), at least \(minimum)")
                }
                // The dashboard's chart and coverage.
                var counts: [ISOWeek: [ConversationKind: Int]] = [:]
                var lastHeard: [String: Date] = [:]
                for c in direct where c.details.at <= clock.now {
                    counts[ISOWeek(CalendarDay(c.details.at, in: clock.zone)), default: [:]][c.details.kind, default: 0] += 1
                    for persona in Set(c.details.people.flatMap { personasOf[$0] ?? [] }) {
                        lastHeard[persona] = max(lastHeard[persona] ?? .distantPast, c.details.at)
                    }
                }
                let dashboard = try await t.store.dashboard.today(as: t.account)
                #expect(dashboard.weekly == WeekKinds.of(counts: counts, weeks: 26, now: clock.now, zone: clock.zone), "\(zone)")
                #expect(dashboard.weekly.map(\.total).reduce(0, +) > 0)
                #expect(dashboard.streak == Streak.of(direct.map(\.details.at), minimum: clock.settings.streakMinimum, now: clock.now, zone: clock.zone))
                let personas = try await t.personas.list(as: t.account).map(\.name)
                #expect(dashboard.coverage == PersonaCoverage.of(personas: personas, lastHeard: lastHeard, now: clock.now), "\(zone)")
                #expect(dashboard.coverage.first { $0.persona == "Never Heard" }?.weeksSince == nil)
                #expect(dashboard.coverage.contains { $0.weeksSince != nil })
            }
        }
    }

    @Test("with nothing logged the streak is empty and every persona is never heard", arguments: Backend.available)
    func nothingLogged(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let streak = try await t.store.goals.streak(as: t.account)
            #expect(streak.current == 0 && streak.longest == 0 && streak.thisWeekCount == 0)
            let dashboard = try await t.store.dashboard.today(as: t.account)
            #expect(dashboard.weekly.count == 26 && dashboard.weekly.allSatisfy { $0.total == 0 })
            #expect(dashboard.coverage.map(\.weeksSince) == [nil])
        }
    }
    /// The overdue plan walks people in the planner's own order and loads only those it reaches, stopping once the
    /// plan is full; this compares its calls with the plan built over every overdue person, and checks that the people
    /// it skipped are the reference's and that every overdue person is accounted for.
    @Test("the overdue call plan is the one built over everyone overdue, reaching only as far as it must", arguments: Backend.available)
    func planMatchesReference(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.store.settings.set("timezone", to: "Europe/Berlin", as: t.account)
            var rng = SeededGenerator(seed: 41)
            let zones: [String?] = ["Asia/Tokyo", "Europe/Berlin", "America/New_York", "America/Los_Angeles", nil, "Asia/Kolkata", "Europe/London"]
            for index in 0..<90 {
                let person = try await t.people.add(details("Caller \(index)") {
                    $0.timeZone = zones[index % zones.count]
                    $0.warmth = 1 + Int.random(in: 0...4, using: &rng)
                    $0.cadenceDays = [7, 14, 30][index % 3]
                    switch index % 6 {
                    case 0: $0.phones = []
                    case 1: $0.phones = [ContactPoint(value: "+1 212 555 01\(10 + index % 80)", bad: true)]
                    default: $0.phones = [ContactPoint(value: "+44 20 7946 0\(100 + index)")]
                    }
                    if index % 5 == 0 { $0.hours = try? BusinessHours.parse("13:00-15:00") }
                }, allowDuplicate: true, as: t.account).person
                if index % 4 != 0 {
                    _ = try await t.store.conversations.log(conversation(.call, [person.id], at: daysAgo(Double(Int.random(in: 8...90, using: &rng)))), as: t.account)
                }
            }
            let clock = try await t.store.clock(as: t.account)
            let everyone = try await t.store.activity.due(within: 0, clock: clock, as: t.account).overdue
            #expect(everyone.count > 40)
            let all = everyone.map { PlanCandidate(person: $0.person, why: $0.status.phrase, daysOverdue: $0.status.daysOverdue) }
            for options in [PlanOptions(day: clock.today), PlanOptions(day: clock.today, max: 3),
                            PlanOptions(day: clock.today, slotMinutes: 60), PlanOptions(day: clock.today, from: ClockTime(hour: 6), to: ClockTime(hour: 7))] {
                let reference = CallPlanner.build(all, options: options, zone: clock.zone)
                var found = try await t.store.outreach.plan(options, source: .due, clock: clock, as: t.account)
                for index in found.calls.indices { found.calls[index].lastTopic = nil }
                #expect(found.calls == reference.calls, "\(options)")
                #expect(Set(found.notToday.map(\.person.id)).isSubset(of: Set(reference.notToday.map(\.person.id))))
                #expect(Set(found.noPhone.map(\.person.id)).isSubset(of: Set(reference.noPhone.map(\.person.id))))
                // Who is outside their hours is decided from light rows, for everyone overdue, as the planner decides it.
                #expect(found.outsideHours == reference.outsideHours, "\(options)")
                let grouped = found.outsideHoursCount + found.noSlotLeftCount
                #expect(found.calls.count + found.notToday.count + found.noPhone.count + grouped + found.notReached == everyone.count)
                if options.max == nil {
                    // Every slot taken or everyone looked at: whose slots were all taken is known for everyone.
                    #expect(found.noSlotLeft == reference.noSlotLeft, "\(options)")
                    // Three slots from 06:00 (Berlin): Tokyo and Kolkata both fit them, and more of them are overdue.
                    if options.from.hour == 6 { #expect(found.noSlotLeftCount > 0 && found.outsideHoursCount > 0) }
                } else {
                    for group in found.noSlotLeft {
                        let same = reference.noSlotLeft.first { $0.zone == group.zone && $0.hours == group.hours }
                        #expect(Set(group.people).isSubset(of: Set(same?.people ?? [])), "\(options)")
                    }
                }
                if options.max == 3 {
                    // Three calls fill it within the first batch of people: the rest are not loaded.
                    #expect(found.notReached + grouped >= everyone.count - 32, "a full plan stops early")
                    #expect(!found.notToday.contains { $0.reason.contains("limit") }, "only people before the last call are listed")
                    let listed = Set((found.notToday + found.noPhone).map(\.person.id))
                    let before = reference.notToday.filter { listed.contains($0.person.id) }.count + reference.noPhone.filter { listed.contains($0.person.id) }.count
                    #expect(before == listed.count)
                } else if !CallPlanner.isFull(reference, options: options) {
                    #expect(found.notReached == 0 && found.notToday.count == reference.notToday.count && found.noPhone.count == reference.noPhone.count)
                }
            }
        }
    }
    /// A report loads conversations from its period's start only; when each persona was last heard and the streak
    /// come from SQL over all time. This checks both against the conversations themselves: a persona last heard in a
    /// second-hand report long before the period, one heard inside it, one never heard, and a report that ends in the
    /// past (a conversation after its end does not count).
    @Test("a report's persona lines and streak count every conversation, not only the period's", arguments: Backend.available)
    func reportReachesBack(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.store.settings.set("timezone", to: "UTC", as: t.account)
            for name in ["Ops Lead", "Analyst", "Buyer"] { _ = try await t.personas.add(PersonaDetails(name: name), as: t.account) }
            let ops = try await t.people.add(details("Olu Ops") { $0.personas = ["Ops Lead"] }, as: t.account).person
            let analyst = try await t.people.add(details("Ana Lyst") { $0.personas = ["Analyst"] }, as: t.account).person
            _ = try await t.people.add(details("Bo Buyer") { $0.personas = ["Buyer"] }, as: t.account)
            _ = try await t.store.conversations.log(conversation(.call, [ops.id], at: daysAgo(400)), as: t.account)
            _ = try await t.store.conversations.log(conversation(.secondhand, [ops.id], at: daysAgo(200)) { $0.via = "Sam (sales)" }, as: t.account)
            for days in [40.0, 12, 5] { _ = try await t.store.conversations.log(conversation(.call, [analyst.id], at: daysAgo(days)), as: t.account) }
            func day(_ days: Double) -> String { CalendarDay(daysAgo(days), in: .gmt).description }

            let report = try await t.store.reports.build(.range(since: day(30), until: day(0)), as: t.account)
            let lines = Dictionary(uniqueKeysWithValues: report.personas.map { ($0.persona, $0) })
            #expect(lines["Ops Lead"]?.lastHeard == CalendarDay(daysAgo(200), in: .gmt), "the second-hand report 200 days ago")
            #expect(lines["Ops Lead"]?.conversations == 0 && lines["Ops Lead"]?.quiet == true)
            #expect(lines["Ops Lead"]?.note == "not heard from in \(Int(daysAgo(-1).timeIntervalSince(daysAgo(200)) / (7 * 86_400))) weeks")
            #expect(lines["Analyst"]?.lastHeard == CalendarDay(daysAgo(5), in: .gmt) && lines["Analyst"]?.conversations == 2)
            #expect(lines["Buyer"]?.lastHeard == nil && lines["Buyer"]?.note == "never heard from")
            #expect(report.conversations?.total == 2)

            // A month that ended before the last two calls: they do not count.
            let earlier = try await t.store.reports.build(.range(since: day(60), until: day(20)), as: t.account)
            let earlierLines = Dictionary(uniqueKeysWithValues: earlier.personas.map { ($0.persona, $0) })
            #expect(earlierLines["Analyst"]?.lastHeard == CalendarDay(daysAgo(40), in: .gmt))
            #expect(earlierLines["Ops Lead"]?.lastHeard == CalendarDay(daysAgo(200), in: .gmt))

            let direct = try await t.store.conversations.list(ConversationFilter(limit: 100), as: t.account).filter { $0.details.kind != .secondhand }
            let clock = try await t.store.clock(as: t.account)
            let streak = Streak.of(direct.map(\.details.at), minimum: clock.settings.streakMinimum, now: clock.now, zone: clock.zone)
            #expect(report.streak.map { ($0.current, $0.longest) } ?? (0, 0) == (streak.current, streak.longest))
        }
    }
    /// The bulk path (`rapport demo generate`) writes many rows to a statement with reserved ids; this logs the same
    /// conversations and feedback one by one in one account and in bulk in another, and compares what every reader
    /// sees: the conversations with their people and answers, the feedback with its themes, time and second-hand
    /// flag, search, theme figures and who is due.
    @Test("conversations and feedback written in bulk are the ones logged one by one", arguments: Backend.available)
    func bulkIsSingle(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let other = try await t.store.createAccount(named: "bulk-\(UUID().uuidString)")
            var people: [AccountID: [PersonID]] = [:]
            for account in [t.account, other] {
                for name in ["Ops Lead", "Analyst"] { _ = try await t.personas.add(PersonaDetails(name: name), as: account) }
                for index in 0..<9 {
                    people[account, default: []].append(try await t.people.add(details("Bulk Person \(index)") {
                        $0.company = ["Acme", "Globex", nil][index % 3]
                        $0.personas = [["Ops Lead"], ["Analyst", "Ops Lead"], [], ["Analyst"]][index % 4]
                    }, allowDuplicate: true, as: account).person.id)
                }
            }
            var rng = SeededGenerator(seed: 53)
            var plans: [(ConversationDetails, [FeedbackDetails], [Int])] = []
            for index in 0..<40 {
                let kind: ConversationKind = [.call, .video, .secondhand, .visit][index % 4]
                var d = ConversationDetails(kind: kind, at: daysAgo(Double(Int.random(in: 0...90, using: &rng)), hour: Double(index % 7)))
                d.notes = "Bulk notes \(index) about pallets"
                if index % 3 == 0 { d.objective = "Objective \(index)" }
                if kind == .secondhand { d.via = "Sam (sales)" }
                if index % 5 == 0 { d.company = "Initech" }
                let who = Array(Set((0..<(1 + index % 2)).map { _ in Int.random(in: 0..<9, using: &rng) })).sorted()
                let heard = (0..<(index % 3)).map { n in
                    var f = FeedbackDetails(text: "Pallets \(index)-\(n) are slow", person: PersonID(0), kind: [.pain, .request, .praise][n % 3])
                    f.themes = n == 0 ? ["Pallets", "Speed"] : ["speed", "Pallets", "PALLETS"]
                    f.quote = n == 1
                    f.area = n == 2 ? "Docks" : nil
                    f.severity = n == 0 ? 4 : nil
                    return f
                }
                plans.append((d, heard, who))
            }
            var batch: [BulkConversation] = []
            for (d, heard, who) in plans {
                var one = d
                one.people = who.map { people[t.account]![$0] }
                _ = try await t.store.conversations.log(one, feedback: heard.map { NewFeedback(kind: $0.kind, text: $0.text, quote: $0.quote, themes: $0.themes) }, as: t.account)
                // The single path takes feedback as NewFeedback (no area or severity): set them after, as a user would.
                var bulk = d
                bulk.people = who.map { people[other]![$0] }
                batch.append(BulkConversation(details: bulk, feedback: heard.map { f in
                    var f = f
                    f.person = bulk.people[0]
                    f.area = nil
                    f.severity = nil
                    return f
                }))
            }
            // In two batches, so the second adds to figures the first made.
            let half = batch.count / 2
            let written = try await t.store.bulk.logConversations(Array(batch[..<half]), as: other)
                + t.store.bulk.logConversations(Array(batch[half...]), as: other)
            #expect(written == plans.map(\.1.count).reduce(0, +))

            func view(_ account: AccountID) async throws -> (conversations: [String], feedback: [String], themes: [ThemeSummary], search: Int, due: Int) {
                let index = Dictionary(uniqueKeysWithValues: people[account]!.enumerated().map { ($1, $0) })
                let conversations = try await t.store.conversations.list(ConversationFilter(limit: 1_000), as: account).map { c in
                    let d = c.details
                    return "\(d.kind) \(d.at) \(d.people.map { index[$0]! }) \(d.company ?? "-") \(d.objective ?? "-") \(d.notes) \(d.via ?? "-") \(d.direction)"
                }
                var all = FeedbackFilter()
                all.limit = 1_000
                let feedback = try await t.store.feedback.list(all, as: account).map { f in
                    "\(f.kind) \(f.text) \(f.themes) \(f.at) \(index[f.person.id]!) \(f.quote) \(f.secondhand) \(f.conversation != nil)"
                }
                let clock = try await t.store.clock(as: account)
                return (conversations, feedback, try await t.store.themes.list(as: account),
                        try await t.store.conversations.search("pallets", as: account, limit: 1_000).count
                            + t.store.feedback.search("speed", as: account, limit: 1_000).count,
                        try await t.store.activity.due(within: 60, clock: clock, as: account).overdueCount)
            }
            let single = try await view(t.account), bulk = try await view(other)
            #expect(single.conversations == bulk.conversations)
            #expect(single.feedback == bulk.feedback)
            #expect(single.themes == bulk.themes && single.themes.count == 2)
            // The bulk path counts its links in grouped (not through the link trigger): the same as grouping them now.
            #expect(bulk.themes == (try await t.store.themes.list(since: .distantPast, as: other)))
            #expect(bulk.themes.contains { $0.people > 1 && !$0.personas.isEmpty })
            #expect(single.search == bulk.search && single.search > 40)
            #expect(single.due == bulk.due)
            // Someone who is not in the circle: refused, nothing written.
            var stray = plans[0].0
            stray.people = [people[t.account]![0]]
            let before = try await t.store.conversations.list(ConversationFilter(limit: 1_000), as: other).count
            #expect(await failure { _ = try await t.store.bulk.logConversations([BulkConversation(details: stray)], as: other) }?.fieldErrors.first?.field == "people")
            #expect(try await t.store.conversations.list(ConversationFilter(limit: 1_000), as: other).count == before)
        }
    }

    /// Upcoming birthdays are narrowed in SQL by the birthday's month and day and read in table order on SQLite: the
    /// window (across the year's end too) is kept, archived people and other accounts' people are left out.
    @Test("upcoming birthdays: the window across the year's end, not the archived, not another account's", arguments: Backend.available)
    func upcomingBirthdays(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let other = try await t.store.createAccount(named: "birthdays-\(UUID().uuidString)")
            let today = try #require(CalendarDay(iso: "2026-12-24"))
            var ids: [String: PersonID] = [:]
            for (name, birthday, account) in [("Soon Dana", "1990-12-26", t.account), ("New Year Lee", "--01-03", t.account),
                                              ("Later Kim", "1985-01-20", t.account), ("Archived Ana", "1980-12-25", t.account),
                                              ("Elsewhere Bo", "1992-12-27", other)] {
                let person = try await t.people.add(details(name) { $0.birthday = try? Birthday.parse(birthday) }, as: account).person
                ids[name] = person.id
            }
            _ = try await t.people.setArchived(ids["Archived Ana"]!, true, as: t.account)
            let upcoming = try await t.people.birthdays(within: 14, of: today, as: t.account)
            #expect(upcoming.map(\.person.name) == ["Soon Dana", "New Year Lee"])
            #expect(upcoming.map(\.inDays) == [2, 10])
            #expect(try await t.people.birthdays(within: 14, of: today, as: other).map(\.person.name) == ["Elsewhere Bo"])
        }
    }

    /// A report loads only its period's quotes and describes only the people it speaks of; the themes' figures in the
    /// period and their trends before its end are counted in SQL. This checks the whole report (themes, quotes,
    /// requests, hypotheses, conversations and personas) against the same report built from every piece of feedback,
    /// every person and every conversation, for periods that start before, inside and long before the trend's eight
    /// weeks, with and without a persona or theme filter.
    @Test("a report's figures counted in SQL are the ones counted from every piece of feedback", arguments: Backend.available)
    func reportThemeTrends(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.store.settings.set("timezone", to: "Europe/Berlin", as: t.account)
            for name in ["Ops Lead", "Analyst"] { _ = try await t.personas.add(PersonaDetails(name: name), as: t.account) }
            var people: [PersonID] = []
            for index in 0..<6 {
                people.append(try await t.people.add(details("Trend Person \(index)") {
                    $0.personas = [["Ops Lead"], ["Analyst"], [], ["Analyst", "Ops Lead"]][index % 4]
                }, allowDuplicate: true, as: t.account).person.id)
            }
            var rng = SeededGenerator(seed: 71)
            let themes = ["Speed", "Pallets", "Billing", "Exports", "Login"]
            for index in 0..<70 {
                // Recent days weigh more, so some themes rise.
                let days = Double(index < 25 ? Int.random(in: 0...27, using: &rng) : Int.random(in: 0...120, using: &rng))
                let pick = Int.random(in: 0..<people.count, using: &rng), who = people[pick]
                // Every seventh call has two people; the feedback stays the first one's.
                let with = index % 7 == 0 ? [who, people[(pick + 1) % people.count]] : [who]
                let logged = try await t.store.conversations.log(conversation(.call, with, at: daysAgo(days, hour: Double(index % 20))), as: t.account)
                for n in 0..<(1 + index % 2) {
                    var f = FeedbackDetails(text: "Note \(index)-\(n)", person: who, kind: .pain)
                    f.quote = (index + n) % 3 == 1
                    f.severity = index % 4 == 0 ? nil : 1 + index % 5
                    // Some feedback is noted outside any conversation (heard when it is written: today).
                    f.conversation = index % 5 == 4 && n == 1 ? nil : logged.conversation.id
                    f.themes = [themes[(index + n) % themes.count]] + (index % 3 == 0 ? [themes[(index * 7 + 1) % themes.count]] : [])
                    _ = try await t.store.feedback.add(f, as: t.account)
                }
            }
            let clock = try await t.store.clock(as: t.account)
            var all = FeedbackFilter()
            all.limit = 100_000
            let feedback = try await t.store.feedback.list(all, as: t.account)
            // A request and a hypothesis with evidence at both ends of the time span, so some periods see it move.
            let oldest = feedback.sorted { $0.at < $1.at }
            let linked = stride(from: 0, to: oldest.count, by: 9).map { oldest[$0].id }
            _ = try await t.store.requests.add(FeatureRequestDetails(title: "Faster pallet exports"), linking: linked, as: t.account)
            let hypothesis = try await t.store.hypotheses.add(HypothesisDetails(text: "Ops leads export weekly", personas: ["Ops Lead"]), as: t.account)
            for (n, id) in linked.enumerated() {
                _ = try await t.store.hypotheses.addEvidence(hypothesis.id, .feedback(id), supports: n % 3 != 0, note: nil, as: t.account)
            }
            let personas = try await t.store.personas.list(as: t.account).map(\.name)
            let everyone = try await t.store.people.get(people, as: t.account)
            let requests = try await t.store.requests.list(as: t.account), hypotheses = try await t.store.hypotheses.list(as: t.account)
            let personasOf = Dictionary(uniqueKeysWithValues: everyone.map { ($0.id, $0.details.personas) })
            let events = try await t.store.conversations.list(ConversationFilter(limit: 1_000), as: t.account).map { c in
                GoalEvent(at: c.details.at, kind: c.details.kind, people: c.details.people,
                          personas: Array(Set(c.details.people.flatMap { personasOf[$0] ?? [] })).sorted(), isOutreach: false, conversation: c.id)
            }
            func day(_ days: Double) -> String { CalendarDay(daysAgo(days), in: clock.zone).description }
            var rising = 0, quoted = 0, changed = 0
            for choice in [ReportPeriodChoice.range(since: day(30), until: day(0)), .range(since: day(9), until: day(3)),
                           .range(since: day(110), until: day(70)), .month(nil), .week(nil)] {
                for (byPersona, byTheme) in [([String](), [String]()), (["Ops Lead"], []), ([], ["Speed", "Billing"]), (["Ops Lead"], ["Speed"])] {
                    let report = try await t.store.reports.build(choice, personas: byPersona, themes: byTheme, as: t.account)
                    let options = ReportOptions(period: try choice.resolve(clock: clock), personas: byPersona, themes: byTheme)
                    let reference = Report.build(ReportInput(
                        options: options, now: clock.now, zone: clock.zone, people: everyone, companies: [], personas: personas,
                        conversations: events, feedback: feedback, requests: requests, hypotheses: hypotheses, funnel: nil, goals: [], streak: nil))
                    #expect(report.topThemes == reference.topThemes, "\(choice) \(byPersona) \(byTheme)")
                    #expect(report.risingThemes == reference.risingThemes, "\(choice) \(byPersona) \(byTheme)")
                    #expect(report.quotes == reference.quotes, "\(choice) \(byPersona) \(byTheme)")
                    #expect(report.requests == reference.requests, "\(choice) \(byPersona) \(byTheme)")
                    #expect(report.hypotheses == reference.hypotheses, "\(choice) \(byPersona) \(byTheme)")
                    #expect(report.conversations == reference.conversations, "\(choice) \(byPersona) \(byTheme)")
                    #expect(report.personas == reference.personas, "\(choice) \(byPersona) \(byTheme)")
                    quoted += report.quotes.count
                    changed += report.requests.count + report.hypotheses.count
                    rising += report.risingThemes.count
                }
            }
            #expect(rising > 0, "some theme rises in some period")
            #expect(quoted > 0 && changed > 0, "some period quotes someone and moves the request or the hypothesis")
        }
    }
}
