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
