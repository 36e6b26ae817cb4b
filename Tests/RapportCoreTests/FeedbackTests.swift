import Foundation
import Testing
@testable import RapportCore

@Suite("Feedback, trends, priority and evidence")
struct FeedbackTests {
    static func feedback(_ id: Int64, person: Int64, daysAgo: Double, company: String? = "Acme", personas: [String] = ["Ops Lead"],
                         secondhand: Bool = false, quote: Bool = false, themes: [String] = ["slow exports"]) -> Feedback {
        Feedback(id: FeedbackID(id), text: "Exports are slow", kind: .pain, quote: quote, themes: themes, area: "exports", severity: 3,
                 secondhand: secondhand, person: PersonSummary(id: PersonID(person), name: "P\(person)"), company: company,
                 personas: personas, conversation: nil, at: monday(9).addingTimeInterval(-daysAgo * 86_400),
                 createdAt: monday(9), updatedAt: monday(9))
    }

    @Test("a theme rises with +50% and at least 3 more mentions; the figures are said")
    func rising() {
        #expect(Trend(recent: 9, previous: 3, weeks: 4).rising)
        #expect(Trend(recent: 9, previous: 3, weeks: 4).explanation == "9 in the last 4 weeks against 3 in the 4 before (+6, +200%)")
        #expect(!Trend(recent: 5, previous: 3, weeks: 4).rising, "+2 is too few")
        #expect(!Trend(recent: 14, previous: 10, weeks: 4).rising, "+40% is too little")
        #expect(Trend(recent: 15, previous: 10, weeks: 4).rising, "exactly +50% and +5")
        #expect(Trend(recent: 3, previous: 0, weeks: 2).rising)
        #expect(Trend(recent: 3, previous: 0, weeks: 2).explanation.hasSuffix("(+3, new)"))
        #expect(!Trend(recent: 2, previous: 0, weeks: 4).rising)
        #expect(!Trend(recent: 0, previous: 6, weeks: 4).rising)
    }

    @Test("trend windows count days before an injected now: the last 7×N days against the 7×N before")
    func windows() {
        let now = monday(9)
        let dates = [1.0, 5, 27.9, 28.1, 40, 55.9, 56.5, 100].map { now.addingTimeInterval(-$0 * 86_400) } + [now.addingTimeInterval(3_600)]
        let trend = Trend.of(dates, now: now, weeks: 4)
        #expect(trend.recent == 3 && trend.previous == 3)
        let weekly = WeeklyCounts.of(dates, now: now, zone: .gmt, weeks: 3)
        #expect(weekly.map(\.week.description) == ["2026-W46", "2026-W47", "2026-W48"])
        // Sunday and Wednesday of last week; this week's one is an hour from now.
        #expect(weekly.map(\.count) == [0, 2, 1])
    }

    @Test("weekly counts cross the new year through ISO week 53")
    func newYear() {
        // Thursday 2026-12-31 is in 2026-W53; 2027-01-04 starts 2027-W01.
        let now = CalendarDay(year: 2027, month: 1, day: 6).moment(hour: 12, in: .gmt)
        let dates = [CalendarDay(year: 2026, month: 12, day: 31), CalendarDay(year: 2027, month: 1, day: 5)].map { $0.moment(hour: 10, in: .gmt) }
        let weekly = WeeklyCounts.of(dates, now: now, zone: .gmt, weeks: 2)
        #expect(weekly.map(\.week.description) == ["2026-W53", "2027-W01"])
        #expect(weekly.map(\.count) == [1, 1])
    }

    @Test("evidence counts distinct people: direct 1, second-hand only 0.5, a verbatim quote 0.5 more")
    func evidence() {
        let e = Evidence([
            Self.feedback(1, person: 1, daysAgo: 1, quote: true),
            Self.feedback(2, person: 1, daysAgo: 2),
            Self.feedback(3, person: 2, daysAgo: 3, company: "Globex", secondhand: true),
            Self.feedback(4, person: 3, daysAgo: 4, company: "acme", secondhand: true),
            Self.feedback(5, person: 3, daysAgo: 5, company: "Acme"),
        ])
        #expect(e.mentions == 5 && e.distinctPeople == 3 && e.distinctCompanies == 2)
        #expect(e.directPeople == 2 && e.secondhandPeople == 1 && e.quotedPeople == 1)
        #expect(e.score == 3.0)
        #expect(e.personas == [ThemeSummary.PersonaCount(persona: "Ops Lead", count: 3)])
    }

    @Test("priority = evidence × impact ÷ effort, 3 until scored, with its parts written out")
    func priority() {
        let e = Evidence([Self.feedback(1, person: 1, daysAgo: 1), Self.feedback(2, person: 2, daysAgo: 1, secondhand: true)])
        let scored = Priority(evidence: e, impact: 4, effort: 2)
        #expect(scored.score == 3.0 && !scored.assumed)
        #expect(scored.explanation == "3.0 = evidence 1.5 × impact 4 ÷ effort 2")
        let unscored = Priority(evidence: e, impact: nil, effort: nil)
        #expect(unscored.score == 1.5 && unscored.assumed)
        #expect(unscored.explanation == "1.5 = evidence 1.5 × impact 3 (assumed) ÷ effort 3 (assumed)")
        #expect(Priority(evidence: e, impact: 5, effort: 3).score == 2.5)
    }

    @Test("feedback lines read the kind before the colon; bad ones say the kinds")
    func lines() throws {
        #expect(try FeedbackLine.parse("pain: exports take an hour") == (.pain, "exports take an hour"))
        #expect(try FeedbackLine.parse("Churn-Risk: looking at Globex") == (.churnRisk, "looking at Globex"))
        #expect(fieldErrors { _ = try FeedbackLine.parse("pian: x") }.first?.message.contains("did you mean pain?") == true)
        #expect(fieldErrors { _ = try FeedbackLine.parse("no colon here") }.first?.field == "feedback")
        let errors = fieldErrors {
            var d = FeedbackDetails(text: " ", person: PersonID(1), kind: .bug)
            d.severity = 7
            d.themes = ["a, b"]
            _ = try FeedbackRules.validate(d)
        }
        #expect(Set(errors.map(\.field)) == ["text", "severity", "theme"])
    }

    @Test("a hypothesis counts people, direct over second-hand, and suggests whom to ask next")
    func hypothesis() {
        func ev(_ id: Int64, _ person: Int64, supports: Bool, secondhand: Bool = false, personas: [String] = ["Ops Lead"]) -> HypothesisEvidence {
            HypothesisEvidence(id: id, supports: supports, note: nil, feedback: FeedbackID(id), conversation: nil, summary: "x",
                               person: PersonSummary(id: PersonID(person), name: "P\(person)"), personas: personas, secondhand: secondhand, at: monday(9))
        }
        let evidence = [ev(1, 1, supports: true), ev(2, 1, supports: true), ev(3, 2, supports: true, secondhand: true), ev(4, 3, supports: false),
                        ev(5, 4, supports: true, personas: ["IT Admin"])]
        let tally = HypothesisTally(evidence)
        #expect(tally.supports.people == 3 && tally.supports.direct == 2 && tally.supports.secondhand == 1 && tally.supports.weight == 2.5)
        #expect(tally.contradicts.people == 1 && tally.contradicts.weight == 1)
        let h = Hypothesis(id: HypothesisID(1), details: HypothesisDetails(text: "Ops Leads lose an hour to exports", personas: ["Ops Lead"]),
                           status: .testing, statusAt: monday(9), evidence: evidence,
                           suggestions: ["Ops Lead": [PersonSummary(id: PersonID(9), name: "Dana Kim"), PersonSummary(id: PersonID(8), name: "Lee Park")]],
                           createdAt: monday(9), updatedAt: monday(9))
        #expect(h.nextStep == "2 of 3 Ops Leads support; talk to 2 more Ops Leads: pick suggests Dana Kim, Lee Park.")
        let done = Hypothesis.nextStep(details: h.details, status: .validated, evidence: evidence, suggestions: [:])
        #expect(done.hasPrefix("Marked validated"))
    }
}

@Suite("One decimal")
struct OneDecimalTests {
    @Test("figures show one decimal place, rounded, with the sign kept")
    func oneDecimal() {
        #expect(2.5.oneDecimal == "2.5" && 3.0.oneDecimal == "3.0" && 0.04.oneDecimal == "0.0" && 14.25.oneDecimal == "14.3")
        #expect((-0.5).oneDecimal == "-0.5" && (-1.25).oneDecimal == "-1.3")
    }
}
