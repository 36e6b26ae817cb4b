import Foundation
import Testing
import RapportCore

@Suite("Time zones: checked against IANA, suggested when misspelt, inferred when missing")
struct TimeZoneTests {
    @Test("a misspelt zone suggests the closest real one")
    func suggestion() {
        #expect(zones.suggestions(for: "Europe/Berlim") == ["Europe/Berlin"])
        #expect(zones.unknownZoneError("Europe/Berlim").message == "no time zone \"Europe/Berlim\"; did you mean Europe/Berlin?")
        #expect(zones.suggestions(for: "America/New_Yrok").first == "America/New_York")
        #expect(zones.suggestions(for: "Tokyo") == ["Asia/Tokyo"])
    }

    @Test("nonsense gets a hint instead of a wrong guess")
    func nonsense() {
        #expect(zones.suggestions(for: "qqqqqqqqqqqqqqq").isEmpty)
        #expect(zones.unknownZoneError("qqqqqqqqqqqqqqq").message.contains("use an IANA name"))
    }

    @Test("zones are matched in any letter case and modern names are accepted")
    func canonical() {
        #expect(zones.canonical("europe/berlin") == "Europe/Berlin")
        #expect(zones.canonical("Asia/Kolkata") == "Asia/Kolkata")
        #expect(zones.canonical("Mars/Olympus") == nil)
    }

    @Test("a city names its zone, including cities that are not zone names", arguments: [
        ("Berlin", "Europe/Berlin"), ("São Paulo", "America/Sao_Paulo"), ("san francisco", "America/Los_Angeles"),
        ("Munich", "Europe/Berlin"), ("Bangalore", "Asia/Kolkata"), ("New York", "America/New_York"),
    ])
    func city(_ city: String, _ zone: String) {
        #expect(zones.zone(forCity: city) == zone)
    }

    @Test("a phone's country code gives the zone only where the country has one")
    func phone() {
        #expect(zones.zone(forPhone: "+49 30 1234567")?.zone == "Europe/Berlin")
        #expect(zones.zone(forPhone: "+44 (20) 7946 0000")?.country == "GB")
        #expect(zones.zone(forPhone: "+353 1 555 0000")?.zone == "Europe/Dublin")
        #expect(zones.zone(forPhone: "+1 415 555 0100") == nil)
        #expect(zones.zone(forPhone: "+61 2 5550 1000") == nil)
        #expect(zones.zone(forPhone: "030 1234567") == nil)
    }

    @Test("validation infers a missing zone and says so; an explicit zone wins")
    func inference() throws {
        var d = PersonDetails(name: "Dana")
        d.city = "Hamburg"
        d.phones = [ContactPoint(value: "+81 3 5555 0000")]
        let fromCity = try PersonRules.validate(d, timeZones: zones, today: monday(9))
        #expect(fromCity.details.timeZone == "Europe/Berlin")
        #expect(fromCity.notices == ["time zone Europe/Berlin inferred from the city Hamburg"])

        d.city = "Nowhere Springs"
        let fromPhone = try PersonRules.validate(d, timeZones: zones, today: monday(9))
        #expect(fromPhone.details.timeZone == "Asia/Tokyo")
        #expect(fromPhone.notices.first?.contains("phone's country code (JP)") == true)

        d.phones = []
        d.country = "fr"
        let fromCountry = try PersonRules.validate(d, timeZones: zones, today: monday(9))
        #expect(fromCountry.details.timeZone == "Europe/Paris")
        #expect(fromCountry.details.country == "FR")

        d.timeZone = "America/Chicago"
        let explicit = try PersonRules.validate(d, timeZones: zones, today: monday(9))
        #expect(explicit.details.timeZone == "America/Chicago" && explicit.notices.isEmpty)
    }

    @Test("a US number with no city leaves the zone unset rather than guessing")
    func noGuess() throws {
        var d = PersonDetails(name: "Sam")
        d.phones = [ContactPoint(value: "+1 312 555 0100")]
        let checked = try PersonRules.validate(d, timeZones: zones, today: monday(9))
        #expect(checked.details.timeZone == nil && checked.notices.isEmpty)
    }
}
