import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import HTTPTypes
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

@Suite("Web and API: the dashboard, goals and the streak")
struct DashboardWebTests {
    @Test("an empty database greets with a short start; the API says empty")
    func empty() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let page = try await client.execute(uri: "/", method: .get).text
            #expect(page.contains("Welcome to Rapport") && page.contains("/people/new") && page.contains("--demo"))
            #expect(try await client.execute(uri: "/api/v1/dashboard", method: .get).json()["empty"] as? Bool == true)
        }
    }

    @Test("the dashboard shows the habit, the streak, goals with bars, charts with text equivalents; the API adds goals and reads the streak")
    func dashboard() async throws {
        let h = try await WebHarness.make()
        _ = try await h.store.settings.set("timezone", to: "UTC", as: h.account)
        _ = try await h.store.personas.add(PersonaDetails(name: "Ops Lead"), as: h.account)
        let dana = try await h.add("Dana Kim") { $0.personas = ["Ops Lead"] }
        for days in [1.0, 8, 15] {
            var d = ConversationDetails(kind: .call, at: fixedNow.addingTimeInterval(-days * 86_400))
            d.people = [dana.id]
            _ = try await h.store.conversations.log(d, as: h.account)
        }
        try await h.test { client in
            let bad = try await client.execute(uri: "/api/v1/goals", method: .post, headers: jsonHeaders,
                                               body: ByteBuffer(string: #"{"title": "x", "metric": "conversations", "target": 0, "from": "2026-12-01", "to": "2026-11-01"}"#))
            #expect(bad.status == .unprocessableContent && bad.text.contains("\"target\"") && bad.text.contains("\"to\""))
            let created = try await client.execute(uri: "/api/v1/goals", method: .post, headers: jsonHeaders,
                                                   body: ByteBuffer(string: #"{"title": "Six calls in November", "metric": "conversations", "target": 6, "from": "2026-11-01", "to": "2026-11-30"}"#))
            #expect(created.status == .created)
            #expect((try created.json()["progress"] as? [String: Any])?["value"] as? Int == 3)
            let streak = try await client.execute(uri: "/api/v1/streak?min=1", method: .get).json()
            #expect(streak["current"] as? Int == 3)
            let page = try await client.execute(uri: "/", method: .get).text
            #expect(page.contains("This week (2026-W48)") && page.contains("weeks in a row"))
            #expect(page.contains("Six calls in November") && page.contains("3 of 6 conversations (50%)"))
            #expect(page.contains("<title id=\"weekly-title\">Conversations per week, last 26 weeks, by kind</title>"))
            #expect(page.contains("<title id=\"goals-title\">Goal progress against pace</title>"))
            let json = try await client.execute(uri: "/api/v1/dashboard", method: .get).json()
            #expect((json["weekly"] as? [Any])?.count == 26 && (json["goals"] as? [Any])?.count == 1)
        }
    }

    @Test("the goals page adds a goal, refuses a bad one with the reasons and keeps what was typed, and archives")
    func goalsPage() async throws {
        let h = try await WebHarness.make()
        try await h.test { client in
            let bad = try await submit(client, "/goals", [("title", "Talk <more>"), ("metric", "conversations"), ("target", "0"), ("from", "2026-12-01"), ("to", "2026-11-01")], from: "/goals")
            #expect(bad.status == .unprocessableContent && bad.text.contains("not measurable") && bad.text.contains("value=\"Talk &lt;more&gt;\""))
            let good = try await submit(client, "/goals", [("title", "Six calls"), ("metric", "conversations"), ("target", "6"), ("from", "2026-11-01"), ("to", "2026-11-30")], from: "/goals")
            #expect(good.status == .seeOther)
            let goal = try #require(try await h.store.goals.list(as: h.account).first)
            #expect(try await client.execute(uri: "/goals", method: .get).text.contains("0 of 6 conversations"))
            _ = try await submit(client, "/goals/\(goal.id)/archive", [], from: "/goals")
            #expect(try await h.store.goals.list(as: h.account).isEmpty)
        }
    }

    @Test("the dashboard's charts are well-formed XML")
    func charts() throws {
        let weeks = (0..<26).map { i in WeekKinds(week: ISOWeek(year: 2026, week: 23 + i), total: i % 3,
                                                  kinds: i % 3 == 0 ? [] : [.init(kind: .call, count: i % 3)]) }
        let goal = Goal(id: GoalID(1), details: GoalDetails(title: "A & B", metric: .people, target: 4, from: CalendarDay(year: 2026, month: 11, day: 1),
                                                            to: CalendarDay(year: 2026, month: 11, day: 30)),
                        archived: false, progress: GoalProgress.of(GoalDetails(title: "A & B", metric: .people, target: 4, from: CalendarDay(year: 2026, month: 11, day: 1),
                                                                               to: CalendarDay(year: 2026, month: 11, day: 30)), events: [], now: fixedNow, zone: .gmt),
                        createdAt: fixedNow, updatedAt: fixedNow)
        let coverage = [PersonaCoverage(persona: "Ops <Lead>", lastHeard: nil, weeksSince: nil, quiet: true)]
        for svg in [DashboardCharts.weekly(weeks), DashboardCharts.goals([goal]), DashboardCharts.coverage(coverage)] {
            let document = try XMLDocument(xmlString: svg)
            #expect(document.rootElement()?.name == "svg")
        }
    }
}
