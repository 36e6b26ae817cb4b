import Foundation
import RapportCore
import Testing

@Suite("Cadence and due")
struct DueTests {
    let utc = TimeZone(identifier: "UTC")!
    let today = CalendarDay(year: 2026, month: 11, day: 23)

    func history(daysAgo: Int) -> ContactHistory {
        ContactHistory(lastContact: monday(10).addingTimeInterval(Double(-daysAgo) * 86_400), conversations: 1)
    }

    @Test("stage defaults apply when a person has no cadence; their own wins; `other` is never due")
    func defaults() {
        let policy = CadencePolicy.standard
        #expect(policy.cadence(for: person(1, "A") { $0.stage = .customer }.details)?.days == 30)
        #expect(policy.cadence(for: person(1, "A") { $0.stage = .prospect }.details)?.days == 21)
        #expect(policy.cadence(for: person(1, "A") { $0.stage = .partner }.details)?.days == 60)
        #expect(policy.cadence(for: person(1, "A") { $0.stage = .former }.details)?.days == 90)
        #expect(policy.cadence(for: person(1, "A") { $0.stage = .other }.details) == nil)
        let own = policy.cadence(for: person(1, "A") { $0.stage = .other; $0.cadenceDays = 7 }.details)
        #expect(own?.days == 7 && own?.source == .person)
        var settings = Settings(stored: ["cadence.customer": "45", "cadence.other": "120", "cadence.prospect": "none"])
        #expect(settings.cadence.cadence(for: person(1, "A").details)?.days == 45)
        #expect(settings.cadence.cadence(for: person(1, "A") { $0.stage = .other }.details)?.days == 120)
        #expect(settings.cadence.cadence(for: person(1, "A") { $0.stage = .prospect }.details) == nil)
        settings.stored = [:]
        #expect(settings.cadence == CadencePolicy.standard)
    }

    @Test("settings refuse unknown keys and bad values, naming the fix")
    func settingsChecks() throws {
        #expect(fieldErrors { _ = try Settings.definition("cadence.custmer") }.first?.message.contains("did you mean \"cadence.customer\"") == true)
        let customer = try Settings.definition("cadence.customer")
        #expect(try customer.check(" 45 ", zones) == "45")
        #expect(try customer.check("none", zones) == "none")
        #expect(fieldErrors { _ = try customer.check("0", zones) }.first?.field == "cadence.customer")
        #expect(fieldErrors { _ = try customer.check("monthly", zones) }.first?.message.contains("1 to 3650") == true)
        let zone = try Settings.definition("timezone")
        #expect(try zone.check("europe/berlin", zones) == "Europe/Berlin")
        #expect(try zone.check("Munich", zones) == "Europe/Berlin")
        #expect(fieldErrors { _ = try zone.check("Europe/Berlim", zones) }.first?.message.contains("Europe/Berlin") == true)
        #expect(fieldErrors { _ = try Settings.definition("pick.recent-days").check("none", zones) }.count == 1)
    }

    @Test("overdue people come most overdue first, then warmest; coming due within the window, soonest first")
    func ordering() {
        let people = [
            person(1, "Ada") { $0.warmth = 2 },            // 30-day customer, talked 40 days ago: 10 late
            person(2, "Ben") { $0.warmth = 5 },            // talked 40 days ago: 10 late, warmer
            person(3, "Cy") { $0.cadenceDays = 14 },       // talked 20 days ago: 6 late
            person(4, "Di") { $0.cadenceDays = 14 },       // talked 14 days ago: due today (0)
            person(5, "Ed"),                               // talked 27 days ago: due in 3 days
            person(6, "Flo"),                              // talked 10 days ago: due in 20 days, outside the window
            person(7, "Gus") { $0.stage = .other },        // no cadence: never due
        ]
        let histories: [PersonID: ContactHistory] = [
            PersonID(1): history(daysAgo: 40), PersonID(2): history(daysAgo: 40), PersonID(3): history(daysAgo: 20),
            PersonID(4): history(daysAgo: 14), PersonID(5): history(daysAgo: 27), PersonID(6): history(daysAgo: 10),
            PersonID(7): history(daysAgo: 400),
        ]
        let report = DueReport.build(people: people, histories: histories, followUps: [], policy: .standard,
                                     today: today, zone: utc, within: 7)
        #expect(report.overdue.map(\.person.name) == ["Ben", "Ada", "Cy", "Di"])
        #expect(report.overdue.map { $0.status.daysOverdue } == [10, 10, 6, 0])
        #expect(report.overdue.last?.status.phrase == "due today")
        #expect(report.upcoming.map(\.person.name) == ["Ed"])
        #expect(report.upcoming.first?.status.phrase == "due in 3 days")
    }

    @Test("archived, do-not-contact and snoozed people are left out; their follow-ups too, except the snoozed")
    func leftOut() {
        let people = [
            Person(id: PersonID(1), details: PersonDetails(name: "Archived"), archived: true, createdAt: monday(0), updatedAt: monday(0)),
            Person(id: PersonID(2), details: PersonDetails(name: "DNC"), doNotContact: DoNotContact(reason: "asked", since: monday(0)), createdAt: monday(0), updatedAt: monday(0)),
            Person(id: PersonID(3), details: PersonDetails(name: "Snoozed"), snoozedUntil: today.adding(days: 3), createdAt: monday(0), updatedAt: monday(0)),
            Person(id: PersonID(4), details: PersonDetails(name: "Woken"), snoozedUntil: today, createdAt: monday(0), updatedAt: monday(0)),
        ]
        let histories = Dictionary(uniqueKeysWithValues: (1...4).map { (PersonID(Int64($0)), history(daysAgo: 90)) })
        let followUps = (1...4).map { n in
            FollowUp(id: FollowUpID(Int64(n)), text: "f\(n)", person: PersonSummary(id: PersonID(Int64(n)), name: "p"),
                     dueDay: today.adding(days: -1), createdAt: monday(0))
        }
        let report = DueReport.build(people: people, histories: histories, followUps: followUps, policy: .standard,
                                     today: today, zone: utc, within: 7)
        #expect(report.overdue.map(\.person.name) == ["Woken"])
        #expect(report.snoozed == 1)
        #expect(report.followUps.map(\.followUp.text) == ["f3", "f4"])
    }

    @Test("follow-ups due today or earlier, latest first; future, undated and done ones are not due")
    func followUps() {
        func f(_ id: Int64, _ offset: Int?, done: Bool = false) -> FollowUp {
            FollowUp(id: FollowUpID(id), text: "f\(id)", person: PersonSummary(id: PersonID(1), name: "A"),
                     dueDay: offset.map { today.adding(days: $0) }, doneAt: done ? monday(0) : nil, createdAt: monday(0))
        }
        let report = DueReport.build(
            people: [person(1, "A")], histories: [:], followUps: [f(1, 0), f(2, -5), f(3, 2), f(4, nil), f(5, -9, done: true), f(6, -1)],
            policy: .standard, today: today, zone: utc, within: 7)
        #expect(report.followUps.map(\.followUp.id.rawValue) == [2, 6, 1])
        #expect(report.followUps.map(\.daysLate) == [5, 1, 0])
    }

    @Test("someone never talked to is due their cadence after they were added")
    func neverContacted() {
        let added = Person(id: PersonID(1), details: PersonDetails(name: "New"), createdAt: monday(9).addingTimeInterval(-35 * 86_400), updatedAt: monday(0))
        let status = CadenceStatus.of(added, history: .none, policy: .standard, today: today, zone: utc)
        #expect(status.neverContacted)
        #expect(status.daysOverdue == 5)
        #expect(status.nextDue == CalendarDay(year: 2026, month: 11, day: 18))
    }

    @Test("a daylight-saving change does not move a due date by a day", arguments: [
        ("Europe/Berlin", "2026-03-20 23:30", "2026-04-19"),   // spring forward inside the 30 days
        ("Europe/Berlin", "2026-10-20 00:15", "2026-11-19"),   // fall back inside the 30 days
        ("America/New_York", "2026-02-20 23:45", "2026-03-22"),
        ("America/New_York", "2026-10-15 00:05", "2026-11-14"),
    ])
    func dstDue(zone: String, lastContact: String, expected: String) {
        let tz = TimeZone(identifier: zone)!
        let talked = local(lastContact, zone)
        let status = CadenceStatus.of(person(1, "A"), history: ContactHistory(lastContact: talked, conversations: 1),
                                      policy: .standard, today: CalendarDay(iso: expected)!, zone: tz)
        #expect(status.nextDue == CalendarDay(iso: expected))
        #expect(status.daysOverdue == 0)
        #expect(status.phrase == "due today")
    }
}

@Suite("Pick weighs recent asks and reply history")
struct PickHistoryTests {
    @Test("people asked within the recent days drop and say so; those who answered before rise")
    func recency() {
        let people = [person(1, "Asked Recently") { $0.warmth = 5 }, person(2, "Answered Before") { $0.warmth = 3 }, person(3, "Never Asked") { $0.warmth = 3 }]
        let histories: [PersonID: ContactHistory] = [
            PersonID(1): ContactHistory(lastContact: monday(9).addingTimeInterval(-5 * 86_400), lastAsked: monday(9).addingTimeInterval(-5 * 86_400), conversations: 1, answered: 1),
            PersonID(2): ContactHistory(lastContact: monday(9).addingTimeInterval(-60 * 86_400), lastAsked: monday(9).addingTimeInterval(-60 * 86_400), conversations: 3, answered: 3, inbound: 1),
        ]
        let result = PickRanker.rank(people, histories: histories, now: monday(9), count: 3, recentDays: 14)
        #expect(result.suggestions.map(\.person.name) == ["Answered Before", "Never Asked", "Asked Recently"])
        let recent = result.suggestions[2].reasons.map(\.text)
        #expect(recent.contains("asked 5 days ago, within 14 days: give them a rest"))
        #expect(result.suggestions[0].reasons.contains(PickReason(15, "answered when asked before (3 times)")))
        #expect(result.suggestions[0].reasons.contains(PickReason(5, "has reached out to you before")))
        #expect(result.suggestions[1].reasons.contains(PickReason(0, "never asked yet")))
        // With a shorter window, five days ago is no longer recent.
        let relaxed = PickRanker.rank(people, histories: histories, now: monday(9), count: 3, recentDays: 3)
        #expect(relaxed.suggestions.first?.person.name == "Asked Recently")
    }
}
