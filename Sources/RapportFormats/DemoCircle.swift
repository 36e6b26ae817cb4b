#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RapportCore
import RapportStore

/// A realistic demo circle: 5 personas, 8 companies on four continents, 60 people, some advocates and
/// do-not-contacts. Deterministic, so screenshots and tests see the same circle every time.
public enum DemoCircle {
    static let personas: [PersonaDetails] = [
        PersonaDetails(name: "Ops Lead", description: "Runs day-to-day operations; owns the tooling budget.",
                       goals: "Fewer manual hand-offs; predictable weeks.", pains: "Exports that take an hour; spreadsheets as glue."),
        PersonaDetails(name: "Data Analyst", description: "Builds the reports leadership reads.",
                       goals: "Trustworthy numbers, fast.", pains: "Waiting on engineering for every new field."),
        PersonaDetails(name: "Team Manager", description: "Leads a team of 5 to 15 people who use the product daily.",
                       goals: "Onboard new hires in a day.", pains: "No view of who is stuck."),
        PersonaDetails(name: "IT Admin", description: "Keeps accounts, SSO and security reviews in order.",
                       goals: "One place to manage access.", pains: "Audits; shadow IT."),
        PersonaDetails(name: "Executive Sponsor", description: "Signed the contract; renews it or not.",
                       goals: "Visible ROI for the board.", pains: "Hearing about problems last."),
    ]

    struct Company {
        let name: String
        let city: String
        let country: String
        let zone: String
        let phonePrefix: String
        let domain: String
        let stage: Stage
        let industry: String
    }

    static let companies: [Company] = [
        Company(name: "Nordwind Logistics", city: "Hamburg", country: "DE", zone: "Europe/Berlin", phonePrefix: "+49 40 ", domain: "nordwind.example", stage: .customer, industry: "logistics"),
        Company(name: "Sakura Retail", city: "Tokyo", country: "JP", zone: "Asia/Tokyo", phonePrefix: "+81 3 ", domain: "sakura-retail.example", stage: .customer, industry: "retail"),
        Company(name: "Harbour Health", city: "Sydney", country: "AU", zone: "Australia/Sydney", phonePrefix: "+61 2 ", domain: "harbourhealth.example", stage: .customer, industry: "healthcare"),
        Company(name: "Acme Freight", city: "Chicago", country: "US", zone: "America/Chicago", phonePrefix: "+1 312 ", domain: "acmefreight.example", stage: .customer, industry: "freight"),
        Company(name: "Pacific Grocers", city: "San Francisco", country: "US", zone: "America/Los_Angeles", phonePrefix: "+1 415 ", domain: "pacificgrocers.example", stage: .prospect, industry: "grocery"),
        Company(name: "Thames Analytics", city: "London", country: "GB", zone: "Europe/London", phonePrefix: "+44 20 ", domain: "thames-analytics.example", stage: .customer, industry: "analytics"),
        Company(name: "Lumen Energia", city: "São Paulo", country: "BR", zone: "America/Sao_Paulo", phonePrefix: "+55 11 ", domain: "lumen.example", stage: .partner, industry: "energy"),
        Company(name: "Ganges Software", city: "Bangalore", country: "IN", zone: "Asia/Kolkata", phonePrefix: "+91 80 ", domain: "ganges.example", stage: .prospect, industry: "software"),
    ]

    static let firstNames = ["Dana", "Kenji", "Priya", "Marcus", "Lena", "Tomás", "Aiko", "Oliver", "Fatima", "Jonas",
                             "Chloe", "Rahul", "Sofia", "Ethan", "Mei", "Lucas", "Amara", "Felix", "Hana", "Diego"]
    static let lastNames = ["Kim", "Tanaka", "Raman", "Webb", "Fischer", "Silva", "Sato", "Brown", "Haddad", "Becker",
                            "Martin", "Iyer", "Rossi", "Clarke", "Chen", "Costa", "Okafor", "Wagner", "Mori", "Alvarez"]
    static let roles: [(title: String, persona: String)] = [
        ("Head of Operations", "Ops Lead"), ("Operations Manager", "Ops Lead"), ("Senior Data Analyst", "Data Analyst"),
        ("BI Analyst", "Data Analyst"), ("Team Lead, Dispatch", "Team Manager"), ("Customer Success Manager", "Team Manager"),
        ("IT Administrator", "IT Admin"), ("VP Operations", "Executive Sponsor"),
    ]
    static let notes = [
        "Exports take an hour every Monday; they paste them into a spreadsheet for the weekly review.",
        "Loves the new dashboard. Asked whether **filters** can be saved per team.",
        "Met at the logistics summit. Happy to try prototypes if we keep it off the record.",
        "Renewal in Q3. Wants to see adoption numbers per team before then.",
        "Uses the product daily for dispatch; the mobile view is too cramped on older phones.",
        "Security review pending: needs SSO and an audit log before rolling out to 200 more seats.",
    ]

    static let objectives = [
        "Learn how the weekly export is used", "Understand why the team stopped using saved filters",
        "Test the idea of a mobile dispatch view", "Hear what would make the renewal easy",
        "Find out what the security review needs", "Watch them build the Monday report",
    ]
    static let conversationNotes = [
        "They export every Monday and rebuild the pivot by hand. \"It takes me an hour and I dread it.\"\n\n- Would pay for a scheduled export\n- Uses Excel, not Sheets",
        "Saved filters broke when they renamed teams. They went back to bookmarks.",
        "Drivers check the app on old Android phones; the buttons are too small with gloves on.",
        "Renewal hinges on showing adoption per team. They asked for a **one-page summary** for the board.",
        "SSO via Okta is a must; the audit log would settle the rest of the review.",
        "Watched the analyst build the report: 14 steps, 3 of them copy-paste between tabs.",
    ]

    /// What the demo people answered to the demo guide's questions, in its order; some run long, as good answers do.
    static let guideAnswers: [[String]] = [
        ["The Monday export: it used to take a morning, now it takes minutes.", "Every Monday for the pipeline report, then ad hoc when finance asks.",
         "Scheduled exports. They mean nobody has to remember to run the report before the meeting.",
         "Keeping three regional teams on the same numbers. Each region has its own spreadsheet habits, and every month-end I spend two days reconciling them before anyone trusts the totals; that is the part of the job I would happily give away."],
        ["A colleague at my last company swore by it.", "Daily, first thing: I check the overnight numbers before stand-up.",
         "The dashboard filters, and the Slack digest because my manager reads it on the train.",
         "Getting budget for tools. I have to prove time saved in hours, and nobody tracks hours, so I end up estimating from calendar invites and hoping finance does not ask how."],
        ["Price, honestly.", "Weekly.", "Exports.", "Too many meetings."],
    ]

    /// What the demo people said, by kind, with a theme; spread over the conversations so some themes rise.
    static let heard: [(FeedbackKind, String, String)] = [
        (.pain, "The Monday export takes an hour of copy-paste", "Slow exports"),
        (.request, "Let us schedule the export so it lands before stand-up", "Slow exports"),
        (.workaround, "We keep a spreadsheet macro to reformat the export", "Slow exports"),
        (.praise, "The new filters saved me a morning this week", "Filters"),
        (.need, "Regional managers need their own view of the numbers", "Permissions"),
        (.bug, "The dashboard times out on the yearly view", "Performance"),
        (.churnRisk, "Finance is comparing us with a cheaper tool", "Pricing"),
        (.usage, "I check the overnight numbers before stand-up every day", "Daily check"),
    ]

    /// Requests and a hypothesis over the demo's feedback, so the board and the hypothesis page have something to show.
    static func learning(_ store: Store, as account: AccountID) async throws {
        // Industries for anonymised reports ("a logistics customer"); Acme Freight is a public case study, so shareable.
        for company in companies {
            _ = try await store.companies.set(company.name, industry: company.industry, shareable: company.name == "Acme Freight", as: account)
        }
        var filter = FeedbackFilter()
        filter.theme = "Slow exports"
        let exports = try await store.feedback.list(filter, as: account)
        let scheduled = try await store.requests.add(FeatureRequestDetails(
            title: "Scheduled exports", problem: "Mondays start with a manual export", area: "exports", impact: 4, effort: 2), as: account)
        _ = try await store.requests.link(scheduled.id, feedback: exports.filter { $0.kind != .praise }.prefix(12).map(\.id), as: account)
        filter.theme = "Permissions"
        let views = try await store.feedback.list(filter, as: account)
        let regional = try await store.requests.add(FeatureRequestDetails(title: "Regional views", problem: "Managers see every region's numbers"), as: account)
        _ = try await store.requests.link(regional.id, feedback: views.prefix(6).map(\.id), as: account)
        let hypothesis = try await store.hypotheses.add(HypothesisDetails(
            text: "Ops Leads lose an hour a week to exports", personas: ["Ops Lead"], area: "exports"), as: account)
        for (index, f) in exports.prefix(6).enumerated() {
            _ = try await store.hypotheses.addEvidence(hypothesis.id, .feedback(f.id), supports: index != 4, note: nil, as: account)
        }
        _ = try await store.hypotheses.setStatus(hypothesis.id, .testing, as: account)
        // Two goals around today: one for the quarter, one for this month.
        let today = CalendarDay(store.now(), in: TimeZone(secondsFromGMT: 0) ?? .gmt)
        var quarter = GoalDetails(title: "Hear from 12 Ops Leads this quarter", metric: .people, target: 12,
                                  from: today.adding(days: -45), to: today.adding(days: 45))
        quarter.personas = ["Ops Lead"]
        quarter.serves = "Scheduled exports"
        _ = try await store.goals.add(quarter, as: account)
        _ = try await store.goals.add(GoalDetails(title: "40 conversations in six weeks", metric: .conversations, target: 40,
                                                  from: today.adding(days: -21), to: today.adding(days: 21)), as: account)
    }

    /// The demo's interview guide: the articles' starter questions about why and how they use the product.
    static func guide(_ store: Store, as account: AccountID) async throws -> Guide {
        let bank = try await store.questions.list(as: account)
        let ids = ["What sold you on", "How do you typically use", "Which features do you use", "What is the hardest part"].compactMap { prefix in
            bank.first { $0.text.hasPrefix(prefix) }?.id
        }
        return try await store.guides.add(GuideDetails(
            name: "Discovery: the first weeks", objective: "Learn why they chose us and what still slows them down",
            personas: ["Ops Lead", "Data Analyst"], questions: ids), as: account)
    }

    /// Gives the demo people a history: conversations over the last months, a few second-hand reports and follow-ups;
    /// every third call or visit ran the demo guide.
    static func history(_ store: Store, people: [Person], as account: AccountID) async throws {
        let now = store.now()
        let guide = try await guide(store, as: account)
        for (index, person) in people.enumerated() where index % 4 != 3 {
            let count = 1 + index % 3
            for n in 0..<count {
                let daysAgo = Double(index * 5 % 50 + 1 + n * 23)
                let kinds: [ConversationKind] = [.call, .video, .email, .visit, .chat, .call, .inPerson, .event]
                var d = ConversationDetails(kind: kinds[(index + n) % kinds.count], at: now.addingTimeInterval(-daysAgo * 86_400 - Double(index % 6) * 3_600))
                d.people = [person.id]
                d.durationMinutes = [15, 20, 30, 45][(index + n) % 4]
                d.direction = (index + n) % 4 == 0 ? .inbound : .outbound
                d.objective = objectives[(index + n) % objectives.count]
                d.met = ObjectiveMet.allCases[(index + n) % 3]
                d.notes = conversationNotes[(index * 2 + n) % conversationNotes.count]
                if (index + n) % 3 == 0, [.call, .video, .visit, .inPerson].contains(d.kind) {
                    let answers = guideAnswers[((index + n) / 3) % guideAnswers.count]
                    d.guide = guide.id
                    d.answers = try GuideRun.answers(Array(zip(1..., answers)), guide: guide, person: person, product: nil)
                }
                var heardHere: [NewFeedback] = []
                if (index + n) % 2 == 0 {
                    // The yearly-view timeouts are new in the last four weeks, so that theme rises.
                    var pick = (index * 3 + n) % heard.count
                    if daysAgo < 28 && (index + n) % 4 == 2 { pick = 5 } else if pick == 5 { pick = 4 }
                    let (kind, text, theme) = heard[pick]
                    heardHere.append(NewFeedback(kind: kind, text: text, quote: (index + n) % 6 == 0, themes: [theme]))
                }
                var followUps: [NewFollowUp] = []
                if n == 0 && index % 5 == 0 {
                    let due = CalendarDay(now, in: TimeZone(secondsFromGMT: 0) ?? .gmt).adding(days: index % 7 - 3)
                    followUps = [NewFollowUp(text: ["Send the export spec", "Share the mobile prototype", "Book a visit to watch the Monday report"][index % 3],
                                             due: TypedMoment(date: now, day: due, hasTime: false))]
                }
                _ = try await store.conversations.log(d, followUps: followUps, feedback: heardHere, as: account)
            }
            if index % 10 == 1 {
                var d = ConversationDetails(kind: .secondhand, at: now.addingTimeInterval(-Double(index % 9 + 2) * 86_400))
                d.people = [person.id]
                d.via = index % 20 == 1 ? "Sam (sales)" : "Alex (support)"
                d.notes = "Told \(d.via ?? "us") the export is \"the one thing that makes Mondays painful\"."
                _ = try await store.conversations.log(d, as: account)
            }
        }
    }

    /// Fills an empty account with the demo circle, in one transaction: the circle is made in a scratch database
    /// (on the same clock), then put into `store` the way a JSON export is imported, so a demo killed midway leaves
    /// nothing and a second run finds the circle still empty. Returns how many people were added.
    @discardableResult
    public static func fill(_ store: Store, as account: AccountID) async throws -> Int {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-demo-build-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: folder) }
        let scratch = try await Store.open(.sqlite(path: folder.appendingPathComponent("demo.sqlite").path), logger: store.logger, now: store.now)
        do {
            let scratchAccount = try await scratch.localAccount()
            let added = try await build(scratch, as: scratchAccount)
            let document = try await scratch.exports.export(as: scratchAccount)
            await scratch.close()
            _ = try await store.exports.restore(document, merge: false, as: account)
            return added
        } catch {
            await scratch.close()
            throw error
        }
    }

    /// Writes the demo circle into `store` step by step (each step its own transaction).
    static func build(_ store: Store, as account: AccountID) async throws -> Int {
        for persona in personas { _ = try await store.personas.add(persona, as: account) }
        var added = 0
        var people: [Person] = []
        for index in 0..<60 {
            let company = companies[index % companies.count]
            let role = roles[(index / companies.count + index) % roles.count]
            let first = firstNames[index % firstNames.count]
            let last = lastNames[(index * 7 + index / firstNames.count) % lastNames.count]
            var d = PersonDetails(name: "\(first) \(last)")
            let handle = "\(first).\(last)".lowercased().replacing("á", with: "a")
            d.emails = [ContactPoint(value: "\(handle)\(index)@\(company.domain)")]
            d.phones = [ContactPoint(value: company.phonePrefix + "555 \(1000 + index * 37 % 9000)", label: index % 3 == 0 ? "mobile" : "work")]
            d.company = company.name
            d.title = role.title
            d.since = "\(2014 + index % 10)-\(index % 12 + 1 < 10 ? "0" : "")\(index % 12 + 1)"
            if index % 4 == 0 { d.previousCompanies = [companies[(index + 3) % companies.count].name] }
            d.city = company.city
            d.country = company.country
            d.timeZone = company.zone
            d.stage = index % 11 == 10 ? .former : company.stage
            d.source = Source.allCases[index % Source.allCases.count]
            d.warmth = 5 - (index * 3) % 5
            d.offTheRecord = index % 5 == 0
            d.advocate = index % 6 == 1
            d.preferredChannel = Channel.allCases[index % Channel.allCases.count]
            d.cadenceDays = index % 3 == 0 ? 14 : nil
            d.personas = [role.persona] + (index % 9 == 0 ? ["Executive Sponsor"] : [])
            d.tags = index % 2 == 0 ? ["beta-list"] : ["renewal-2027"]
            d.notes = notes[index % notes.count]
            if index % 7 == 0 { d.links = ["https://www.linkedin.com/in/\(handle)"] }
            if index % 5 == 2 { d.fields = ["plan": index % 2 == 0 ? "Enterprise" : "Team", "seats": "\(20 + index * 5)"] }
            let saved = try await store.people.add(d, as: account)
            if index % 13 == 4 {
                _ = try await store.people.setDoNotContact(saved.person.id, reason: "Asked not to be contacted during their migration", as: account)
            }
            people.append(saved.person)
            added += 1
        }
        try await history(store, people: people, as: account)
        try await learning(store, as: account)
        return added
    }
}
