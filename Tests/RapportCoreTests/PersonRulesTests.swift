import Foundation
import Testing
import RapportCore

@Suite("Person rules: every bad field is named with what to do")
struct PersonRulesTests {
    func validate(_ configure: (inout PersonDetails) -> Void) -> [FieldError] {
        var d = PersonDetails(name: "Dana Kim")
        configure(&d)
        return fieldErrors { _ = try PersonRules.validate(d, timeZones: zones, today: monday(9)) }
    }

    @Test("a malformed email names the email field", arguments: ["dana", "dana@", "@acme.com", "dana@acme", "da na@acme.com", "dana@acme.c", "<dana@acme.com>"])
    func badEmail(_ email: String) {
        let errors = validate { $0.emails = [ContactPoint(value: email)] }
        #expect(errors.map(\.field) == ["email"])
        #expect(errors.first?.message.contains("name@example.com") == true)
    }

    @Test("real emails pass", arguments: ["dana@acme.com", "dana.kim+rapport@mail.acme.co.uk", "d@x.io"])
    func goodEmail(_ email: String) {
        #expect(validate { $0.emails = [ContactPoint(value: email)] }.isEmpty)
    }

    @Test("a phone needs 7 to 15 digits and only phone punctuation", arguments: ["12345", "call me", "+49 30 1234567 ext", "1234567890123456"])
    func badPhone(_ phone: String) {
        #expect(validate { $0.phones = [ContactPoint(value: phone)] }.map(\.field) == ["phone"])
    }

    @Test("several problems are reported together, each with its field")
    func many() {
        let errors = validate {
            $0.name = "   "
            $0.warmth = 9
            $0.since = "2031-02"
            $0.country = "Germany"
            $0.timeZone = "Europe/Berlim"
            $0.links = ["javascript:alert(1)"]
            $0.cadenceDays = 0
            $0.fields = ["bad<key>": "x"]
        }
        #expect(Set(errors.map(\.field)) == ["name", "warmth", "since", "country", "timeZone", "links", "cadenceDays", "fields"])
        #expect(errors.first { $0.field == "country" }?.message.contains("did you mean DE?") == true)
        #expect(errors.first { $0.field == "timeZone" }?.message.contains("did you mean Europe/Berlin?") == true)
        #expect(errors.first { $0.field == "since" }?.message.contains("future") == true)
    }

    @Test("dates may be a year, a month or a day, and must exist")
    func partialDates() {
        #expect(PartialDate.normalise("2019") == "2019")
        #expect(PartialDate.normalise("2019-4") == "2019-04")
        #expect(PartialDate.normalise("2024-02-29") == "2024-02-29")
        #expect(PartialDate.normalise("2023-02-29") == nil)
        #expect(PartialDate.normalise("2019-13") == nil)
        #expect(PartialDate.normalise("last year") == nil)
    }

    @Test("oversized text is refused with the limit")
    func oversized() {
        let errors = validate { $0.notes = String(repeating: "x", count: PersonLimits.notes + 1); $0.company = String(repeating: "c", count: 201) }
        #expect(Set(errors.map(\.field)) == ["notes", "company"])
    }

    @Test("text is trimmed, blanks dropped and repeats removed")
    func cleaning() throws {
        var d = PersonDetails(name: "  Dana   Kim ")
        d.company = "   "
        d.tags = ["beta", " Beta ", ""]
        d.emails = [ContactPoint(value: " dana@acme.com ", label: " Home ")]
        let checked = try PersonRules.validate(d, timeZones: zones, today: monday(9)).details
        #expect(checked.name == "Dana Kim")
        #expect(checked.company == nil)
        #expect(checked.tags == ["beta"])
        #expect(checked.emails == [ContactPoint(value: "dana@acme.com", label: "home")])
    }

    @Test("the same email twice is refused")
    func duplicateEmail() {
        #expect(validate { $0.emails = [ContactPoint(value: "a@b.co"), ContactPoint(value: "A@b.co", label: "home")] }.map(\.field) == ["email"])
    }

    @Test("label:value sets a label; a bare value is work")
    func contactPoints() {
        #expect(ContactPoint.parse("mobile:+49 170 1234567") == ContactPoint(value: "+49 170 1234567", label: "mobile"))
        #expect(ContactPoint.parse("dana@acme.com") == ContactPoint(value: "dana@acme.com", label: "work"))
        #expect(ContactPoint.parse("+49 30 1234567") == ContactPoint(value: "+49 30 1234567", label: "work"))
    }
}

@Suite("Merging two records of one person")
struct PersonMergeTests {
    @Test("everything of both is kept; the target's single values win")
    func merge() {
        var target = PersonDetails(name: "Dana Kim")
        target.emails = [ContactPoint(value: "dana@acme.com")]
        target.company = "Acme"
        target.warmth = 2
        target.tags = ["beta"]
        target.fields = ["plan": "Team"]
        target.notes = "Met at the summit."
        var source = PersonDetails(name: "D. Kim")
        source.emails = [ContactPoint(value: "DANA@acme.com"), ContactPoint(value: "dana@home.example", label: "home")]
        source.phones = [ContactPoint(value: "+49 30 1234567")]
        source.company = "Globex"
        source.title = "Head of Ops"
        source.warmth = 4
        source.advocate = true
        source.tags = ["Beta", "renewal"]
        source.fields = ["plan": "Enterprise", "seats": "40"]
        source.notes = "Exports take an hour."
        let merged = PersonMerge.merged(target, with: source)
        #expect(merged.name == "Dana Kim")
        #expect(merged.emails.map(\.value) == ["dana@acme.com", "dana@home.example"])
        #expect(merged.phones.count == 1)
        #expect(merged.company == "Acme" && merged.previousCompanies == ["Globex"])
        #expect(merged.title == "Head of Ops")
        #expect(merged.warmth == 4 && merged.advocate)
        #expect(merged.tags == ["beta", "renewal"])
        #expect(merged.fields == ["plan": "Team", "plan (from D. Kim)": "Enterprise", "seats": "40"])
        #expect(merged.notes.contains("Met at the summit.") && merged.notes.contains("## Merged from D. Kim") && merged.notes.contains("Exports take an hour."))
    }
}

@Suite("Filters applied to search results")
struct PersonFilterTests {
    let ann = person(1, "Ann") { $0.personas = ["Ops Lead"]; $0.tags = ["Beta"]; $0.company = "Acme"; $0.advocate = true; $0.stage = .prospect }
    let ben = person(2, "Ben") { $0.offTheRecord = true }

    @Test("admits checks every condition the store's list checks, ignoring letter case")
    func admits() {
        #expect(PersonFilter().admits(ann) && PersonFilter().admits(ben))
        #expect(PersonFilter(persona: "ops lead", tag: "beta", stage: .prospect, company: "ACME", advocate: true).admits(ann))
        #expect(!PersonFilter(company: "Acme").admits(ben))
        #expect(!PersonFilter(company: "Globex").admits(ann))
        #expect(!PersonFilter(advocate: true).admits(ben))
        #expect(PersonFilter(offTheRecord: true).admits(ben) && !PersonFilter(offTheRecord: true).admits(ann))
        #expect(!PersonFilter(archived: true).admits(ann))
        #expect(!PersonFilter(stage: .customer).admits(ann) && !PersonFilter(tag: "vip").admits(ann))
    }
}

@Suite("A name must be one a person can read")
struct ReadableNameTests {
    let zones = TimeZoneCatalog(identifiers: ["Europe/Berlin"], accepts: { _ in true })

    @Test("names with no letter, with a control character or a direction override, or drowned in accents are refused under name",
          arguments: ["\u{0301}\u{0301}", "\u{200B}", "!!!", "Dana\u{0000}Kim", "Dana \u{202E}miK", "Z" + String(repeating: "\u{0301}", count: 5_000)])
    func unreadable(_ name: String) {
        do {
            _ = try PersonRules.validate(PersonDetails(name: name), timeZones: zones, today: Date(timeIntervalSince1970: 0))
            Issue.record("\(name.unicodeScalars.map { String($0.value, radix: 16) }) was accepted")
        } catch let error as RapportError {
            #expect(error.fieldErrors.map(\.field) == ["name"])
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("the same phone written twice, however spelt, is refused")
    func samePhoneTwice() {
        var d = PersonDetails(name: "Dana Kim")
        d.phones = [ContactPoint(value: "+49 30 1234567"), ContactPoint(value: "0049 (0)30 1234567")]
        #expect(throws: RapportError.self) { _ = try PersonRules.validate(d, timeZones: zones, today: Date(timeIntervalSince1970: 0)) }
    }
}
