import Foundation
import Testing
@testable import RapportCore

@Suite("Goals: SMART checks, pace, projection; the weekly streak")
struct GoalTests {
    static let utc = TimeZone(identifier: "UTC")!

    static func day(_ y: Int, _ m: Int, _ d: Int) -> CalendarDay { CalendarDay(year: y, month: m, day: d) }

    static func conversation(_ date: CalendarDay, person: Int64 = 1, personas: [String] = ["Ops Lead"], kind: ConversationKind = .call) -> GoalEvent {
        GoalEvent(at: date.moment(hour: 10, in: utc), kind: kind, people: [PersonID(person)], personas: personas, isOutreach: false)
    }

    @Test("a goal is refused with the reason: target 0, end before start, a persona that does not exist, unreachable personas, kinds on outreach")
    func smart() {
        var d = GoalDetails(title: "Talk to customers", metric: .conversations, target: 0, from: Self.day(2026, 12, 1), to: Self.day(2026, 11, 1))
        d.personas = ["Ops Lad"]
        let errors = fieldErrors { _ = try GoalRules.validate(d, personas: ["Ops Lead"]) }
        #expect(Set(errors.map(\.field)) == ["target", "to", "persona"])
        #expect(errors.first { $0.field == "persona" }?.message.contains("did you mean \"Ops Lead\"?") == true)
        var outreach = GoalDetails(title: "Reach out", metric: .outreach, target: 30, from: Self.day(2026, 11, 1), to: Self.day(2026, 11, 30))
        outreach.kinds = [.call]
        #expect(fieldErrors { _ = try GoalRules.validate(outreach, personas: []) }.first?.field == "kind")
        let covered = GoalDetails(title: "Cover personas", metric: .personasCovered, target: 4, from: Self.day(2026, 11, 1), to: Self.day(2026, 11, 30))
        #expect(fieldErrors { _ = try GoalRules.validate(covered, personas: ["A", "B", "C"]) }.first?.message.contains("there are 3") == true)
    }

    @Test("pace, ahead or behind, projection at the last 4 weeks' rate, and what it takes per week")
    func pace() {
        // 30 days in November; on the 16th morning 15/30 of the way... by today (day 16 of 30) a straight pace expects 6.4 of 12.
        let d = GoalDetails(title: "12 conversations", metric: .conversations, target: 12, from: Self.day(2026, 11, 1), to: Self.day(2026, 11, 30))
        let events = [2, 5, 8, 9, 12, 14, 15].map { Self.conversation(Self.day(2026, 11, $0)) }
        let now = Self.day(2026, 11, 16).moment(hour: 12, in: Self.utc)
        let p = GoalProgress.of(d, events: events, now: now, zone: Self.utc)
        #expect(p.value == 7 && p.percent == 58)
        #expect(p.expected == 6.4 && p.ahead == 0.6 && p.state == "on track")
        // 7 in 15.5 days since the start → ~0.45 a day × 14 days left ≈ 6.3 more.
        #expect(p.projected == 13.3)
        #expect(p.daysLeft == 14 && p.perWeekNeeded == 2.3)
        #expect(p.summary.contains("ahead by 0.6") && p.summary.contains("ends near 13"))
        let done = GoalProgress.of(GoalDetails(title: "5", metric: .conversations, target: 5, from: Self.day(2026, 11, 1), to: Self.day(2026, 11, 30)),
                                   events: events, now: now, zone: Self.utc)
        #expect(done.state == "done" && done.perWeekNeeded == 0)
    }

    @Test("distinct people and personas count once; filters by kind and persona apply")
    func distinct() {
        let events = [Self.conversation(Self.day(2026, 11, 2), person: 1), Self.conversation(Self.day(2026, 11, 3), person: 1),
                      Self.conversation(Self.day(2026, 11, 4), person: 2, personas: ["IT Admin"], kind: .email),
                      GoalEvent(at: Self.day(2026, 11, 5).moment(hour: 9, in: Self.utc), kind: nil, people: [PersonID(3)], personas: [], isOutreach: true)]
        let now = Self.day(2026, 11, 10).moment(hour: 12, in: Self.utc)
        func value(_ metric: GoalMetric, _ configure: (inout GoalDetails) -> Void = { _ in }) -> Int {
            var d = GoalDetails(title: "x", metric: metric, target: 10, from: Self.day(2026, 11, 1), to: Self.day(2026, 11, 30))
            configure(&d)
            return GoalProgress.of(d, events: events, now: now, zone: Self.utc).value
        }
        #expect(value(.conversations) == 3 && value(.people) == 2 && value(.outreach) == 1 && value(.personasCovered) == 2)
        #expect(value(.conversations) { $0.kinds = [.call] } == 2)
        #expect(value(.people) { $0.personas = ["it admin"] } == 1)
    }

    @Test("a goal across the new year and ISO week 53 counts every day once")
    func newYear() {
        let d = GoalDetails(title: "Winter", metric: .conversations, target: 10, from: Self.day(2026, 12, 21), to: Self.day(2027, 1, 17))
        let events = [Self.day(2026, 12, 31), Self.day(2027, 1, 1), Self.day(2027, 1, 4)].map { Self.conversation($0) }
        let now = Self.day(2027, 1, 4).moment(hour: 18, in: Self.utc)
        let p = GoalProgress.of(d, events: events, now: now, zone: Self.utc)
        // 28 days; the 4th of January is day 15, so 10 × 15/28 = 5.4 expected.
        #expect(p.value == 3 && p.expected == 5.4 && p.state == "behind" && p.daysLeft == 13)
    }

    @Test("the streak runs across the new year; this week counts once it makes it; missed weeks are listed")
    func streak() {
        // Weeks 2026-W51, W52, W53 and 2027-W01 each have a conversation; W50 has none.
        let dates = [Self.day(2026, 12, 15), Self.day(2026, 12, 22), Self.day(2026, 12, 31), Self.day(2027, 1, 5), Self.day(2026, 11, 30), Self.day(2026, 12, 2)]
            .map { $0.moment(hour: 10, in: Self.utc) }
        let midWeek = Self.day(2027, 1, 6).moment(hour: 12, in: Self.utc)
        let s = Streak.of(dates, minimum: 1, now: midWeek, zone: Self.utc)
        #expect(s.thisWeek.description == "2027-W01" && s.thisWeekCount == 1)
        #expect(s.current == 4 && s.longest == 4)
        #expect(s.missedLastQuarter.contains(ISOWeek(year: 2026, week: 50)))
        // The next Monday, nothing yet this week: the streak still stands at 4 (to last week).
        let nextMonday = Self.day(2027, 1, 11).moment(hour: 9, in: Self.utc)
        #expect(Streak.of(dates, minimum: 1, now: nextMonday, zone: Self.utc).current == 4)
        #expect(Streak.of(dates, minimum: 2, now: midWeek, zone: Self.utc).current == 0)
    }
}
