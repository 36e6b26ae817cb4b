import Foundation
import Testing
@testable import RapportCore

/// A small circle over week 2026-W47 (16-22 Nov 2026, UTC), with things before, in and after the week.
enum ReportFixture {
    static let utc = TimeZone(identifier: "UTC")!
    static func at(_ month: Int, _ day: Int, _ hour: Int = 10) -> Date { CalendarDay(year: 2026, month: month, day: day).moment(hour: hour, in: utc) }

    static let dana = person(1, "Dana Kim") {
        $0.title = "Head of Operations"; $0.personas = ["Ops Lead"]; $0.company = "Nordwind"
        $0.emails = [ContactPoint(value: "dana@nordwind.example")]; $0.phones = [ContactPoint(value: "+49 40 555 1234")]
    }
    static let kenji = person(2, "Kenji Tanaka") { $0.title = "Senior Data Analyst"; $0.personas = ["Data Analyst"]; $0.company = "Sakura" }
    static let priya = person(3, "Priya Raman") { $0.title = "IT Administrator"; $0.personas = ["IT Admin"]; $0.company = "Nordwind" }
    static let lee = person(4, "Lee Park") { $0.title = "Operations Manager"; $0.personas = ["Ops Lead"]; $0.company = "Acme" }
    static let people = [dana, kenji, priya, lee]
    static func summary(_ p: Person) -> PersonSummary { PersonSummary(id: p.id, name: p.name) }

    static func feedback(_ id: Int64, _ who: Person, _ month: Int, _ day: Int, _ kind: FeedbackKind, _ text: String, themes: [String],
                         quote: Bool = false, severity: Int? = nil, conversation: Int64? = nil) -> Feedback {
        Feedback(id: FeedbackID(id), text: text, kind: kind, quote: quote, themes: themes, area: nil, severity: severity, secondhand: false,
                 person: summary(who), company: who.details.company, personas: who.details.personas, conversation: conversation.map(ConversationID.init),
                 at: at(month, day), createdAt: at(month, day), updatedAt: at(month, day))
    }

    static let f1 = feedback(1, dana, 11, 17, .pain, "Dana Kim here: the Monday export takes an hour; mail dana@nordwind.example",
                             themes: ["Exports"], quote: true, severity: 5, conversation: 1)
    static let f2 = feedback(2, kenji, 11, 18, .bug, "Kenji's dashboard times out at Nordwind", themes: ["Performance"], quote: true, severity: 4, conversation: 2)
    static let f3 = feedback(3, dana, 11, 19, .need, "Call me on +49 40 555 1234 when exports are scheduled", themes: ["Exports"], quote: true,
                             severity: 5, conversation: 3)
    static let f4 = feedback(4, priya, 11, 19, .request, "Roles per region", themes: ["Permissions"], conversation: 3)
    static let earlier = [
        feedback(5, lee, 11, 2, .pain, "Slow yearly view", themes: ["Performance"]),
        feedback(6, lee, 11, 5, .pain, "Slow again", themes: ["Performance"]),
        feedback(7, lee, 11, 9, .bug, "Time-outs", themes: ["Performance"]),
        feedback(8, lee, 10, 20, .pain, "Exports by hand", themes: ["Exports"]),
    ]
    static let after = feedback(9, lee, 11, 23, .praise, "Lovely", themes: ["Exports"], quote: true, severity: 5)

    static let conversations = [
        GoalEvent(at: at(11, 17), kind: .call, people: [dana.id], personas: ["Ops Lead"], isOutreach: false, conversation: ConversationID(1)),
        GoalEvent(at: at(11, 18), kind: .video, people: [kenji.id], personas: ["Data Analyst"], isOutreach: false, conversation: ConversationID(2)),
        GoalEvent(at: at(11, 19), kind: .call, people: [dana.id, priya.id], personas: ["IT Admin", "Ops Lead"], isOutreach: false, conversation: ConversationID(3)),
        GoalEvent(at: at(11, 10), kind: .call, people: [lee.id], personas: ["Ops Lead"], isOutreach: false, conversation: ConversationID(4)),
        GoalEvent(at: at(11, 23, 8), kind: .call, people: [lee.id], personas: ["Ops Lead"], isOutreach: false, conversation: ConversationID(5)),
    ]

    static func request(_ id: Int64, _ title: String, created: Date, status: FeatureRequestStatus = .new, statusAt: Date? = nil,
                        feedback: [Feedback]) -> FeatureRequest {
        FeatureRequest(id: FeatureRequestID(id), details: FeatureRequestDetails(title: title, impact: 4, effort: 2), status: status,
                       statusAt: statusAt ?? created, feedback: feedback, notified: [:], createdAt: created, updatedAt: created)
    }

    static let requests = [
        request(1, "Scheduled exports", created: at(10, 1), feedback: [f1, f3, earlier[3]]),
        request(2, "Regional views for Nordwind", created: at(11, 18), feedback: [f4]),
        request(3, "Saved filters", created: at(9, 1), status: .planned, statusAt: at(11, 20), feedback: [earlier[0]]),
        request(4, "Dark mode", created: at(9, 1), feedback: [earlier[1]]),
    ]

    static func evidence(_ id: Int64, _ f: Feedback, supports: Bool) -> HypothesisEvidence {
        HypothesisEvidence(id: id, supports: supports, note: nil, feedback: f.id, conversation: nil, summary: f.text, person: f.person,
                           personas: f.personas, secondhand: false, at: f.at)
    }

    static let hypotheses = [
        Hypothesis(id: HypothesisID(1), details: HypothesisDetails(text: "Ops Leads lose an hour a week to exports", personas: ["Ops Lead"]),
                   status: .testing, statusAt: at(10, 1), evidence: [evidence(1, f1, supports: true), evidence(2, earlier[3], supports: true)],
                   suggestions: ["Ops Lead": [summary(lee)]], createdAt: at(10, 1), updatedAt: at(11, 17)),
        Hypothesis(id: HypothesisID(2), details: HypothesisDetails(text: "Analysts want a SQL console", personas: ["Data Analyst"]),
                   status: .invalidated, statusAt: at(11, 20), evidence: [], suggestions: [:], createdAt: at(9, 1), updatedAt: at(11, 20)),
        Hypothesis(id: HypothesisID(3), details: HypothesisDetails(text: "Nobody reads the weekly email"),
                   status: .untested, statusAt: at(9, 1), evidence: [], suggestions: [:], createdAt: at(9, 1), updatedAt: at(9, 1)),
    ]

    static let now = monday(9)

    static var goals: [Goal] {
        let inWeek = GoalDetails(title: "Talk to Dana Kim's team", metric: .conversations, target: 10,
                                 from: CalendarDay(year: 2026, month: 11, day: 1), to: CalendarDay(year: 2026, month: 11, day: 30))
        let later = GoalDetails(title: "Next year", metric: .conversations, target: 10,
                                from: CalendarDay(year: 2027, month: 1, day: 1), to: CalendarDay(year: 2027, month: 2, day: 1))
        return [inWeek, later].enumerated().map { i, d in
            Goal(id: GoalID(Int64(i + 1)), details: d, archived: false, progress: GoalProgress.of(d, events: conversations, now: now, zone: utc),
                 createdAt: at(11, 1), updatedAt: at(11, 1))
        }
    }

    static func input(_ options: ReportOptions) -> ReportInput {
        let outreach = [
            OutreachEvent(at: at(11, 16), channel: .call, person: dana.id, personas: ["Ops Lead"], pickedUp: true, declined: false, talked: true),
            OutreachEvent(at: at(11, 17), channel: .call, person: kenji.id, personas: ["Data Analyst"], pickedUp: false, declined: false, talked: false),
        ]
        return ReportInput(
            options: options, now: now, zone: utc, people: people,
            companies: [ReportCompany(name: "Nordwind", industry: "logistics", shareable: false),
                        ReportCompany(name: "Sakura", industry: "retail", shareable: false),
                        ReportCompany(name: "Acme", industry: "freight", shareable: true)],
            personas: ["Data Analyst", "Executive Sponsor", "IT Admin", "Ops Lead"], conversations: conversations,
            feedback: [f1, f2, f3, f4, after] + earlier, requests: requests, hypotheses: hypotheses,
            funnel: Funnel.build(outreach, by: .persona, zone: utc), goals: goals,
            streak: Streak.of(conversations.map(\.at), minimum: 1, now: now, zone: utc))
    }

    static let week = try! ReportPeriod.week("2026-W47", today: CalendarDay(now, in: utc))
    static func report(named: Bool = false, personas: [String] = [], themes: [String] = []) -> Report {
        Report.build(input(ReportOptions(period: week, named: named, personas: personas, themes: themes)))
    }
}

@Suite("Reports: what a report picks from fixed data")
struct ReportContentTests {
    typealias F = ReportFixture

    @Test("a week: conversations by kind, people and companies, persona coverage, only the week counted")
    func conversations() throws {
        let r = F.report()
        #expect(r.title == "Customer learning: Week 2026-W47 (Mon 16 Nov 2026 to Sun 22 Nov 2026)")
        #expect(r.sections == [.conversations, .personas, .themes, .requests, .quotes, .hypotheses, .funnel, .goals])
        let c = try #require(r.conversations)
        #expect(c.total == 3 && c.people == 3 && c.companies == 2)
        #expect(c.byKind.map(\.label) == ["call", "video"] && c.byKind.map(\.count) == [2, 1])
        #expect(c.heardFrom.map(\.label) == ["Data Analyst persona at a retail customer", "IT Admin persona at a logistics customer",
                                              "Ops Lead persona at a logistics customer"])
        let ops = try #require(r.personas.first { $0.persona == "Ops Lead" })
        #expect(ops.conversations == 2 && ops.people == 1 && ops.lastHeard == CalendarDay(year: 2026, month: 11, day: 19) && !ops.quiet)
        let sponsor = try #require(r.personas.first { $0.persona == "Executive Sponsor" })
        #expect(sponsor.note == "never heard from" && sponsor.quiet)
        #expect(r.highlights.first == "3 conversations with 3 people at 2 companies")
        #expect(r.highlights.contains("Not heard from in 30 days: Executive Sponsor"))
    }

    @Test("themes: the week's most heard, and rising to the week's end with the figures")
    func themes() {
        let r = F.report()
        #expect(r.topThemes.map(\.name) == ["Exports", "Performance", "Permissions"])
        #expect(r.topThemes.map(\.count) == [2, 1, 1])
        #expect(r.topThemes[0].people == 1, "two mentions from one person")
        #expect(r.risingThemes.map(\.name) == ["Performance"])
        #expect(r.risingThemes[0].trend == "4 in the last 4 weeks against 0 in the 4 before (+4, new)")
    }

    @Test("requests: new, moved and with new evidence; untouched ones left out")
    func requests() throws {
        let r = F.report()
        #expect(r.requests.map(\.change).sorted() == ["gained evidence", "moved to planned", "new"])
        let exports = try #require(r.requests.first { $0.title == "Scheduled exports" })
        #expect(exports.newPeople == 1 && exports.evidence == "2 people at 2 companies (2 direct, 1 quoted)")
        #expect(r.requests.contains { $0.title == "Regional views for [company]" }, "a private company's name is scrubbed from titles")
        #expect(!r.requests.contains { $0.title == "Dark mode" })
    }

    @Test("quotes: verbatim only, by severity then recency, one per person first, scrubbed and described")
    func quotes() {
        let r = F.report()
        #expect(r.quotes.map(\.text) == [
            "Call me on [phone] when exports are scheduled",
            "[name] dashboard times out at [company]",
            "[name] here: the Monday export takes an hour; mail [email]",
        ])
        #expect(r.quotes[0].who == "a Head of Operations (Ops Lead persona) at a logistics customer")
        #expect(r.quotes[1].who == "a Senior Data Analyst (Data Analyst persona) at a retail customer")
        #expect(!r.quotes.contains { $0.text == "Lovely" }, "said after the week")
    }

    @Test("at most eight quotes, everyone with a quote gets one before anyone gets a second")
    func quoteCap() {
        var many: [Feedback] = []
        for i in 0..<12 {
            let who = [F.dana, F.kenji, F.priya][i % 3 == 0 ? 0 : i % 3]
            many.append(F.feedback(Int64(100 + i), who, 11, 16 + i % 6, .pain, "q\(i)", themes: [], quote: true, severity: i == 11 ? 5 : 3))
        }
        let picked = Report.pickQuotes(many)
        #expect(picked.count == 8)
        #expect(Set(picked.prefix(3).map(\.person.id)).count == 3)
        #expect(picked.first?.text == "q11", "the most severe comes first")
    }

    @Test("hypotheses: a status set or evidence added in the week; next step without the people pick suggests")
    func hypotheses() throws {
        let r = F.report()
        #expect(r.hypotheses.map(\.text) == ["Ops Leads lose an hour a week to exports", "Analysts want a SQL console"])
        #expect(r.hypotheses[0].change == "+1 for and 0 against this period")
        #expect(r.hypotheses[0].tally == "2 people for (2 direct), 0 against (0 direct)")
        #expect(!r.hypotheses[0].nextStep.contains("Lee") && !r.hypotheses[0].nextStep.contains("pick suggests"))
        #expect(r.hypotheses[1].change == "invalidated this period")
    }

    @Test("funnel, goals overlapping the week and the streak")
    func funnelGoals() throws {
        let r = F.report()
        let f = try #require(r.funnel)
        #expect(f.attempts == 2 && f.pickedUp == 1 && f.talked == 1)
        #expect(r.goals.map(\.title) == ["Talk to [name] team"])
        #expect(r.streak?.current ?? 0 >= 1)
    }

    @Test("names on: real names and companies, and the report says so")
    func named() {
        let r = F.report(named: true)
        #expect(r.named && r.privacy == Report.namedNotice)
        #expect(r.quotes[0].who == "Dana Kim, Nordwind")
        #expect(r.quotes[2].text.hasPrefix("Dana Kim here"))
        #expect(r.hypotheses[0].nextStep.contains("Lee Park"))
    }

    @Test("a persona filter keeps what was heard from that persona; sections with nothing are left out")
    func personaFilter() throws {
        let r = F.report(personas: ["data analyst"])
        #expect(r.filters == ["Persona: data analyst"])
        #expect(r.conversations?.total == 1)
        #expect(r.personas.map(\.persona) == ["Data Analyst"])
        #expect(r.quotes.map(\.who) == ["a Senior Data Analyst (Data Analyst persona) at a retail customer"])
        #expect(r.requests.isEmpty && !r.sections.contains(.requests))
        #expect(r.funnel?.attempts == 1 && r.streak == nil)
        #expect(r.hypotheses.map(\.text) == ["Analysts want a SQL console"])
    }

    @Test("a theme filter keeps the conversations where it came up and leaves out the funnel, goals and habit")
    func themeFilter() {
        let r = F.report(themes: ["exports"])
        #expect(r.conversations?.total == 2)
        #expect(r.topThemes.map(\.name) == ["Exports"])
        #expect(r.requests.map(\.title) == ["Scheduled exports"])
        #expect(r.funnel == nil && r.goals.isEmpty && r.streak == nil)
        #expect(!r.sections.contains(.funnel) && !r.sections.contains(.goals))
    }

    @Test("a quiet week: no conversations section, said in the highlights")
    func empty() throws {
        let period = try ReportPeriod.week("2026-W30", today: CalendarDay(F.now, in: F.utc))
        var input = F.input(ReportOptions(period: period))
        input.funnel = nil
        let r = Report.build(input)
        #expect(r.streak == nil, "the streak is today's, not July's")
        #expect(r.conversations == nil && r.quotes.isEmpty && r.requests.isEmpty && r.topThemes.isEmpty)
        #expect(r.highlights.first == "No conversations in this period")
        #expect(r.sections == [.personas])
    }
}
