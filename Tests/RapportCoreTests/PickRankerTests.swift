import Foundation
import Testing
import RapportCore

@Suite("pick: who should I ask, and why")
struct PickRankerTests {
    let berlin = person(1, "Bea Berlin") { $0.timeZone = "Europe/Berlin"; $0.city = "Berlin"; $0.warmth = 3 }
    let tokyo = person(2, "Taro Tokyo") { $0.timeZone = "Asia/Tokyo"; $0.warmth = 5; $0.advocate = true }
    let unknown = person(3, "Uma Unknown") { $0.warmth = 4; $0.offTheRecord = true }
    let blocked = Person(id: PersonID(4), details: { var d = PersonDetails(name: "Dee Blocked"); d.warmth = 5; return d }(),
                         doNotContact: DoNotContact(reason: "asked us to stop", since: monday(0)), createdAt: monday(0), updatedAt: monday(0))
    let archived = Person(id: PersonID(5), details: PersonDetails(name: "Archie"), archived: true, createdAt: monday(0), updatedAt: monday(0))

    @Test("do-not-contact and archived people are left out, with the reason")
    func exclusions() {
        let result = PickRanker.rank([berlin, blocked, archived], now: monday(9), count: 5)
        #expect(result.suggestions.map(\.person.id) == [berlin.id])
        #expect(result.excluded.map(\.reason) == ["do not contact: asked us to stop", "archived"])
    }

    @Test("at 09:00 UTC on a Monday Berlin is in business hours and Tokyo (18:00) is not")
    func businessHours() {
        let result = PickRanker.rank([berlin, tokyo], now: monday(9), count: 2)
        let bea = result.suggestions.first { $0.person.id == berlin.id }
        let taro = result.suggestions.first { $0.person.id == tokyo.id }
        #expect(bea?.businessHoursNow == true && bea?.localTime == "Mon 10:00")
        #expect(taro?.businessHoursNow == false && taro?.localTime == "Mon 18:00")
        #expect(bea?.reasons.contains(PickReason(20, "Mon 10:00 in Berlin: business hours now")) == true)
        #expect(taro?.reasons.contains(PickReason(-20, "Mon 18:00 in Asia/Tokyo: outside business hours")) == true)
        // Taro: 40 warmth + 15 advocate - 20 = 35; Bea: 20 + 20 = 40.
        #expect(result.suggestions.map(\.person.id) == [berlin.id, tokyo.id])
        #expect(result.suggestions.map(\.score) == [40, 35])
    }

    @Test("at 01:00 UTC Tokyo's morning puts Taro first")
    func tokyoMorning() {
        let result = PickRanker.rank([berlin, tokyo], now: monday(1), count: 2)
        #expect(result.suggestions.map(\.person.id) == [tokyo.id, berlin.id])
        #expect(result.suggestions[0].score == 75)
    }

    @Test("weekends are outside business hours everywhere")
    func weekend() {
        let saturday = monday(10).addingTimeInterval(-2 * 86_400)
        let result = PickRanker.rank([berlin], now: saturday, count: 1)
        #expect(result.suggestions[0].businessHoursNow == false)
        #expect(result.suggestions[0].localTime == "Sat 11:00")
    }

    @Test("an unknown zone scores nothing for hours and says so; off the record adds 10")
    func unknownZone() {
        let s = PickRanker.rank([unknown], now: monday(9), count: 1).suggestions[0]
        #expect(s.businessHoursNow == nil && s.localTime == nil)
        #expect(s.reasons == [PickReason(30, "warmth 4/5"), PickReason(10, "off the record: you can call without clearing it"),
                              PickReason(0, "never asked yet"), PickReason(0, "local time unknown: no time zone set")])
        #expect(s.score == 40)
    }

    @Test("n limits the list and ranks count from 1")
    func limit() {
        let result = PickRanker.rank([berlin, tokyo, unknown], now: monday(9), count: 2)
        #expect(result.suggestions.map(\.rank) == [1, 2])
    }
}
