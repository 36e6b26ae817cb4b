import Foundation
import RapportCore
import RapportStore
import Testing

@Suite("Store contract: companies for reports")
struct CompanyContractTests {
    @Test("a company's industry and shareability are set by name in any case; an unknown name says the closest", arguments: Backend.available)
    func companies(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.people.add(details("Dana Kim") { $0.company = "Acme Logistics" }, as: t.account)
            _ = try await t.people.add(details("Lee Park") { $0.company = "Acme Logistics" }, as: t.account)
            let before = try await t.store.companies.list(as: t.account)
            #expect(before == [CompanyInfo(name: "Acme Logistics", industry: nil, shareable: false, people: 2)])
            let set = try await t.store.companies.set("acme logistics", industry: "logistics", shareable: true, as: t.account)
            #expect(set.industry == "logistics" && set.shareable)
            let cleared = try await t.store.companies.set("Acme Logistics", industry: "", shareable: nil, as: t.account)
            #expect(cleared.industry == nil && cleared.shareable)
            let typo = await failure { _ = try await t.store.companies.set("Acme Logistic", industry: "x", shareable: nil, as: t.account) }
            #expect(typo?.message.contains("did you mean \"Acme Logistics\"?") == true)
        }
    }
}

@Suite("Store contract: reports")
struct ReportContractTests {
    @Test("a week's report gathers conversations, feedback, requests and companies from the store; filters must exist", arguments: Backend.available)
    func report(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.store.settings.set("timezone", to: "UTC", as: t.account)
            _ = try await t.store.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let dana = try await t.people.add(details("Dana Kim") {
                $0.company = "Acme Logistics"; $0.title = "Head of Operations"; $0.personas = ["Ops Lead"]
                $0.emails = [ContactPoint(value: "dana@acme.example")]
            }, as: t.account)
            _ = try await t.store.companies.set("Acme Logistics", industry: "logistics", shareable: nil, as: t.account)
            // Wednesday of last week (2026-W47), and one this week that a report on last week leaves out.
            for (at, text) in [(fixedNow.addingTimeInterval(-5 * 86_400), "Dana Kim says exports take an hour at Acme Logistics"),
                               (fixedNow.addingTimeInterval(-3600), "Later")] {
                var call = ConversationDetails(kind: .call, at: at)
                call.people = [dana.person.id]
                _ = try await t.store.conversations.log(call, feedback: [NewFeedback(kind: .pain, text: text, quote: true, themes: ["Exports"])], as: t.account)
            }
            _ = try await t.store.requests.add(FeatureRequestDetails(title: "Scheduled exports"), as: t.account)
            let r = try await t.store.reports.build(.week(nil), as: t.account)
            #expect(r.period.label == "Week 2026-W47 (Mon 16 Nov 2026 to Sun 22 Nov 2026)")
            #expect(r.conversations?.total == 1 && r.conversations?.companies == 1)
            #expect(r.conversations?.heardFrom.map(\.label) == ["Ops Lead persona at a logistics customer"])
            #expect(r.quotes.map(\.text) == ["[name] says exports take an hour at [company]"])
            #expect(r.topThemes.map(\.name) == ["Exports"] && r.topThemes[0].count == 1)
            let thisWeek = try await t.store.reports.build(.range(since: "today", until: "today"), as: t.account)
            #expect(thisWeek.quotes.map(\.text) == ["Later"])
            #expect(try await t.store.reports.build(.week(nil), personas: ["ops lead"], as: t.account).filters == ["Persona: Ops Lead"])
            let persona = await failure { _ = try await t.store.reports.build(.week(nil), personas: ["Nobody"], as: t.account) }
            #expect(persona?.fieldErrors.first?.field == "persona")
            let theme = await failure { _ = try await t.store.reports.build(.month("2026-13"), as: t.account) }
            #expect(theme?.fieldErrors.first?.field == "month")
        }
    }
}
