#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import RapportCore
import RapportStore

/// A large, realistic, deterministic circle for trying Rapport at scale and for its benchmarks
/// (`rapport demo generate`): people at companies on four continents with emails, phones, titles, personas and
/// notes; conversations over the past year with notes and objectives, one in twenty second-hand; feedback of every
/// kind over 40 themes, some quoted and scored.
///
/// The same seed and counts give the same circle (dated back from the anchor day). Everything is written through the
/// store's bulk path (``BulkRepository``), so keys, search documents and trigger-kept columns are the real ones.
public enum GeneratedCircle {
    public struct Counts: Sendable, Equatable {
        public var people: Int
        public var conversations: Int
        public var feedback: Int

        public init(people: Int, conversations: Int, feedback: Int) {
            self.people = people
            self.conversations = conversations
            self.feedback = feedback
        }

        /// Fails, naming the option, for counts out of range: 1 to 1,000,000 people, 0 to 10,000,000 conversations and
        /// feedback, and feedback without a conversation to be heard in.
        public func validated() throws -> Counts {
            let errors = FieldErrors()
            if !(1...1_000_000).contains(people) { errors.append("people", "give 1 to 1000000 people (it was \(people))") }
            if !(0...10_000_000).contains(conversations) { errors.append("conversations", "give 0 to 10000000 conversations (it was \(conversations))") }
            if !(0...10_000_000).contains(feedback) { errors.append("feedback", "give 0 to 10000000 pieces of feedback (it was \(feedback))") }
            if feedback > 0 && conversations == 0 { errors.append("feedback", "feedback is heard in conversations; ask for some conversations too") }
            try errors.throwIfAny()
            return self
        }
    }

    /// What was written.
    public struct Summary: Sendable, Encodable, Equatable {
        public var people: Int
        public var companies: Int
        public var personas: Int
        public var conversations: Int
        public var feedback: Int
        public var themes: Int
    }

    static let peopleBatch = 2_000
    static let conversationBatch = 1_000

    /// Writes the circle into `store`, which must have no people or personas yet; `progress` hears each phase's
    /// rows written so far (`"people"`, 2000).
    ///
    /// - Throws: ``RapportError/conflict(field:message:)`` naming `db` when the circle is not empty; the store's errors.
    public static func write(
        _ counts: Counts, seed: UInt64, to store: Store, as account: AccountID, anchor: Date,
        progress: (@Sendable (String, Int) -> Void)? = nil
    ) async throws -> Summary {
        let counts = try counts.validated()
        let existing = try await store.people.list(PersonFilter(limit: 1), as: account)
            + store.people.list(PersonFilter(archived: true, limit: 1), as: account)
        guard existing.isEmpty, try await store.personas.list(as: account).isEmpty else {
            throw RapportError.conflict(field: "db", message: "\(store.location.displayName) already has people or personas; pass --db with a new file")
        }
        var random = SplitMix64(seed: seed)
        for persona in DemoCircle.personas { _ = try await store.personas.add(persona, as: account) }
        let companies = (0..<max(1, counts.people / 12)).map { company($0, random: &random) }

        // People, a batch at a time; each company's people are remembered, so conversations go to colleagues.
        var ids: [PersonID] = [], byCompany: [[PersonID]] = Array(repeating: [], count: companies.count)
        var companyOf: [PersonID: Int] = [:]
        var emails = Set<String>()
        var start = 0
        while start < counts.people {
            var batch: [PersonDetails] = [], batchCompanies: [Int] = []
            for index in start..<min(start + peopleBatch, counts.people) {
                let c = Int.random(in: 0..<companies.count, using: &random)
                batch.append(person(index, at: companies[c], emails: &emails, random: &random))
                batchCompanies.append(c)
            }
            let added = try await store.bulk.addPeople(batch, as: account)
            for (id, c) in zip(added, batchCompanies) {
                byCompany[c].append(id)
                companyOf[id] = c
            }
            ids += added
            start += batch.count
            progress?("people", ids.count)
        }

        // Conversations over the past year with their feedback, spread evenly (the first ones get the remainder).
        let day = 86_400.0
        var feedbackWritten = 0, logged = 0
        var heardThemes = Set<String>()
        start = 0
        while start < counts.conversations {
            var batch: [BulkConversation] = []
            for index in start..<min(start + conversationBatch, counts.conversations) {
                let first = ids[Int.random(in: 0..<ids.count, using: &random)]
                var d = ConversationDetails(kind: kinds.pick(&random), at: anchor.addingTimeInterval(-day * Double.random(in: 0.05...365, using: &random)).rounded)
                d.people = [first]
                if Int.random(in: 0..<5, using: &random) == 0, let c = companyOf[first], case let colleague = byCompany[c].pick(&random), colleague != first {
                    d.people.append(colleague)
                }
                if d.kind == .secondhand { d.via = ["Sam (sales)", "Alex (support)", "Jo (success)"].pick(&random) }
                d.direction = Bool.random(using: &random) ? .inbound : .outbound
                if Int.random(in: 0..<2, using: &random) == 0 { d.objective = DemoCircle.objectives.pick(&random) }
                d.notes = notes(&random)
                let share = counts.feedback / counts.conversations + (index < counts.feedback % counts.conversations ? 1 : 0)
                let heard = (0..<share).map { _ in feedback(by: d.people.pick(&random), random: &random) }
                for f in heard { heardThemes.formUnion(f.themes) }
                batch.append(BulkConversation(details: d, feedback: heard))
            }
            feedbackWritten += try await store.bulk.logConversations(batch, as: account)
            logged += batch.count
            start += batch.count
            progress?("conversations", logged)
        }
        return Summary(people: ids.count, companies: companies.count, personas: DemoCircle.personas.count, conversations: logged,
                       feedback: feedbackWritten, themes: heardThemes.count)
    }

    // MARK: What the circle is made of

    struct Place {
        let city: String, country: String, zone: String, phonePrefix: String
    }

    static let places = [
        Place(city: "Hamburg", country: "DE", zone: "Europe/Berlin", phonePrefix: "+49 40 "),
        Place(city: "Tokyo", country: "JP", zone: "Asia/Tokyo", phonePrefix: "+81 3 "),
        Place(city: "Sydney", country: "AU", zone: "Australia/Sydney", phonePrefix: "+61 2 "),
        Place(city: "Chicago", country: "US", zone: "America/Chicago", phonePrefix: "+1 312 "),
        Place(city: "San Francisco", country: "US", zone: "America/Los_Angeles", phonePrefix: "+1 415 "),
        Place(city: "New York", country: "US", zone: "America/New_York", phonePrefix: "+1 212 "),
        Place(city: "London", country: "GB", zone: "Europe/London", phonePrefix: "+44 20 "),
        Place(city: "São Paulo", country: "BR", zone: "America/Sao_Paulo", phonePrefix: "+55 11 "),
        Place(city: "Bangalore", country: "IN", zone: "Asia/Kolkata", phonePrefix: "+91 80 "),
        Place(city: "Paris", country: "FR", zone: "Europe/Paris", phonePrefix: "+33 1 "),
        Place(city: "Toronto", country: "CA", zone: "America/Toronto", phonePrefix: "+1 416 "),
        Place(city: "Singapore", country: "SG", zone: "Asia/Singapore", phonePrefix: "+65 6"),
    ]

    struct GeneratedCompany {
        let name: String, domain: String, place: Place, stage: Stage
    }

    static let companyFirst = ["Nordwind", "Sakura", "Harbour", "Acme", "Pacific", "Thames", "Lumen", "Ganges", "Atlas", "Cedar",
                               "Summit", "Bluewater", "Ironbridge", "Silverline", "Maple", "Coral", "Granite", "Juniper", "Orbit", "Keystone"]
    static let companySecond = ["Logistics", "Retail", "Health", "Freight", "Grocers", "Analytics", "Energy", "Software", "Foods",
                                "Labs", "Systems", "Mobility", "Pharma", "Logistik", "Textiles", "Shipping"]

    static func company(_ index: Int, random: inout SplitMix64) -> GeneratedCompany {
        let combos = companyFirst.count * companySecond.count
        var name = "\(companyFirst[index % companyFirst.count]) \(companySecond[(index / companyFirst.count) % companySecond.count])"
        if index >= combos { name += " \(index / combos + 1)" }
        let domain = name.lowercased().filter { $0.isLetter || $0.isNumber } + ".example"
        let stages: [Stage] = [.customer, .customer, .customer, .customer, .prospect, .prospect, .partner, .former]
        return GeneratedCompany(name: name, domain: domain, place: places.pick(&random), stage: stages.pick(&random))
    }

    static let firstNames = DemoCircle.firstNames + ["Nora", "Arjun", "Yara", "Mateo", "Ingrid", "Kwame", "Leila", "Sven", "Rosa", "Tariq",
                                                     "Elif", "Noah", "Camille", "Ravi", "Astrid", "Kofi", "Isabel", "Hiro", "Zainab", "Pavel"]
    static let lastNames = DemoCircle.lastNames + ["Novak", "Lindqvist", "Mensah", "Duarte", "Nakamura", "Petrov", "Osei", "Moreau", "Kaur", "Larsen",
                                                   "Yilmaz", "Schmidt", "Nguyen", "Dubois", "Ahmed", "Kowalski", "Ferreira", "Hoffmann", "Abe", "Reyes"]

    static func person(_ index: Int, at company: GeneratedCompany, emails: inout Set<String>, random: inout SplitMix64) -> PersonDetails {
        let first = firstNames.pick(&random), last = lastNames.pick(&random)
        let initial = String(UnicodeScalar(UInt8(65 + Int.random(in: 0..<26, using: &random))))
        var d = PersonDetails(name: "\(first) \(initial). \(last)")
        d.company = company.name
        d.stage = company.stage
        let role = DemoCircle.roles.pick(&random)
        d.title = role.title
        if Int.random(in: 0..<5, using: &random) != 0 { d.personas = [role.persona] }
        let local = "\(first.matchingKey).\(last.matchingKey)".filter { ($0.isLetter && $0.isASCII) || $0 == "." }
        var email = "\(local)@\(company.domain)"
        var n = 2
        while !emails.insert(email).inserted {
            email = "\(local)\(n)@\(company.domain)"
            n += 1
        }
        d.emails = [ContactPoint(value: email)]
        func four(_ n: Int) -> String { String(String(n + 10_000).suffix(4)) }
        d.phones = [ContactPoint(value: company.place.phonePrefix + four((index / 10_000) % 10_000) + " " + four(index % 10_000))]
        d.city = company.place.city
        d.country = company.place.country
        d.timeZone = company.place.zone
        d.warmth = Int.random(in: 1...5, using: &random)
        d.advocate = Int.random(in: 0..<15, using: &random) == 0
        if Int.random(in: 0..<2, using: &random) == 0 { d.notes = DemoCircle.notes.pick(&random) }
        // A rare note (about 1 in 500), so a search for a rare word has a few people to find.
        if Int.random(in: 0..<500, using: &random) == 0 { d.notes += (d.notes.isEmpty ? "" : " ") + "Runs forklift scheduling for the night shift." }
        if Int.random(in: 0..<5, using: &random) == 0 { d.cadenceDays = [14, 30, 60, 90].pick(&random) }
        return d
    }

    static let kinds: [ConversationKind] = [.call, .call, .call, .video, .video, .email, .visit, .chat, .inPerson, .event,
                                            .call, .video, .email, .chat, .call, .video, .call, .email, .video, .secondhand]

    static let sentences = [
        "They export every Monday and rebuild the pivot by hand.", "The team lead wants one view of every region.",
        "Drivers check the app on old phones; the buttons are too small with gloves on.", "Renewal depends on adoption per team.",
        "SSO is a must before the next rollout.", "Finance compares us with a cheaper tool every quarter.",
        "The analyst built the report in 14 steps, 3 of them copy-paste.", "Onboarding a new hire took three weeks.",
        "Forklift scheduling is still on a whiteboard.", "They asked for a shared view of open orders.",
        "API limits stopped their nightly sync twice this month.", "Billing confused two new customers.",
        "Search does not find orders by customer reference.", "Notifications arrive after the shift ends.",
    ]

    static func notes(_ random: inout SplitMix64) -> String {
        (0..<Int.random(in: 2...6, using: &random)).map { _ in sentences.pick(&random) }.joined(separator: " ")
    }

    static let themes = ["Slow exports", "Filters", "Permissions", "Performance", "Pricing", "Daily check", "Onboarding", "Mobile app",
                         "SSO", "Audit log", "Billing", "Integrations", "API limits", "Notifications", "Search", "Reporting",
                         "Data quality", "Dashboards", "Scheduling", "Offline mode", "Accessibility", "Localization",
                         "Support response", "Documentation", "Bulk edit", "Imports", "Custom fields", "Roles", "Approvals",
                         "Forecasting", "Inventory", "Routing", "Invoicing", "Compliance", "Uptime", "Latency", "Training",
                         "Templates", "Comments", "History"]

    static let said: [FeedbackKind: [String]] = [
        .pain: ["takes an hour every week", "breaks every time we rename a team", "is too slow on the yearly view", "needs three tools to finish"],
        .need: ["has to work for regional managers", "must be ready before the audit", "needs to fit on a phone", "should run overnight"],
        .request: ["could be scheduled", "should export to Excel", "could be shared with a link", "should have an approval step"],
        .praise: ["saved me a morning this week", "is the reason we renewed", "finally just works", "made onboarding easy"],
        .bug: ["times out after a minute", "shows yesterday's numbers", "loses the filter on reload", "fails with accents in names"],
        .usage: ["is the first thing I open", "runs every Monday at eight", "is used by the whole team", "is checked before stand-up"],
        .workaround: ["lives in a spreadsheet macro", "is copied by hand into email", "is done in a second tool", "is printed and retyped"],
        .churnRisk: ["is why finance looks at other tools", "could cost us the renewal", "made a team stop using us", "is a deal-breaker for IT"],
    ]

    static func feedback(by person: PersonID, random: inout SplitMix64) -> FeedbackDetails {
        let kind = FeedbackKind.allCases.pick(&random)
        let chosen = Array(Set((0..<(Int.random(in: 0..<4, using: &random) == 0 ? 2 : 1)).map { _ in themes.pick(&random) })).sorted()
        let phrase = (said[kind] ?? ["came up"]).pick(&random)
        var d = FeedbackDetails(text: "\(chosen[0]): it \(phrase)", person: person, kind: kind)
        d.themes = chosen
        d.quote = Int.random(in: 0..<5, using: &random) == 0
        if [.pain, .bug, .churnRisk, .need].contains(kind), Bool.random(using: &random) { d.severity = Int.random(in: 1...5, using: &random) }
        return d
    }
}

/// SplitMix64 (Steele, Lea and Flood, "Fast splittable pseudorandom number generators", OOPSLA 2014): a small,
/// seedable generator, so a seed gives the same circle on every machine.
public struct SplitMix64: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

private extension Array {
    func pick(_ random: inout SplitMix64) -> Element { self[Int.random(in: 0..<count, using: &random)] }
}

private extension Date {
    /// Whole seconds, as the store keeps them.
    var rounded: Date { Date(timeIntervalSince1970: timeIntervalSince1970.rounded(.down)) }
}
