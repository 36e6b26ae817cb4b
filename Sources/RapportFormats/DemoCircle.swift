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
    }

    static let companies: [Company] = [
        Company(name: "Nordwind Logistics", city: "Hamburg", country: "DE", zone: "Europe/Berlin", phonePrefix: "+49 40 ", domain: "nordwind.example", stage: .customer),
        Company(name: "Sakura Retail", city: "Tokyo", country: "JP", zone: "Asia/Tokyo", phonePrefix: "+81 3 ", domain: "sakura-retail.example", stage: .customer),
        Company(name: "Harbour Health", city: "Sydney", country: "AU", zone: "Australia/Sydney", phonePrefix: "+61 2 ", domain: "harbourhealth.example", stage: .customer),
        Company(name: "Acme Freight", city: "Chicago", country: "US", zone: "America/Chicago", phonePrefix: "+1 312 ", domain: "acmefreight.example", stage: .customer),
        Company(name: "Pacific Grocers", city: "San Francisco", country: "US", zone: "America/Los_Angeles", phonePrefix: "+1 415 ", domain: "pacificgrocers.example", stage: .prospect),
        Company(name: "Thames Analytics", city: "London", country: "GB", zone: "Europe/London", phonePrefix: "+44 20 ", domain: "thames-analytics.example", stage: .customer),
        Company(name: "Lumen Energia", city: "São Paulo", country: "BR", zone: "America/Sao_Paulo", phonePrefix: "+55 11 ", domain: "lumen.example", stage: .partner),
        Company(name: "Ganges Software", city: "Bangalore", country: "IN", zone: "Asia/Kolkata", phonePrefix: "+91 80 ", domain: "ganges.example", stage: .prospect),
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

    /// Fills an empty account with the demo circle. Returns how many people were added.
    @discardableResult
    public static func fill(_ store: Store, as account: AccountID) async throws -> Int {
        for persona in personas { _ = try await store.personas.add(persona, as: account) }
        var added = 0
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
            added += 1
        }
        return added
    }
}
