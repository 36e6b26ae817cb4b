import Foundation
import Testing
@testable import RapportCore

@Suite("Reports: periods and scrubbing quotes")
struct ReportPrivacyTests {
    static let people = [
        person(1, "Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.example")] },
        person(2, "Zoë Müller"),
        person(3, "Jean-Luc Picard"),
        person(4, "Al Wu"),
    ]

    @Test("names, emails and phones of anyone in the circle are scrubbed; ordinary words stay")
    func scrub() {
        let s = Scrubber(people: Self.people)
        #expect(s.scrub("Dana Kim said exports take an hour.") == "[name] said exports take an hour.")
        #expect(s.scrub("Ask Dana's team, or write to dana@acme.example.") == "Ask [name] team, or write to [email].")
        #expect(s.scrub("Call Zoe Muller on +49 30 1234567 today") == "Call [name] on [phone] today")
        #expect(s.scrub("Jean-Luc thinks KIM is right") == "[name] thinks [name] is right")
        #expect(s.scrub("We sold 12 seats in 2026") == "We sold 12 seats in 2026")
        #expect(s.scrub("Al said the dashboard is slow") == "Al said the dashboard is slow", "two-letter names are too common to hide")
        #expect(s.scrub("Email someone@else.example (555) 123-4567") == "Email [email] [phone]")
        #expect(s.scrub("Picard's Monday export") == "[name] Monday export")
        let withCompanies = Scrubber(people: Self.people, companies: ["Nordwind Logistics"])
        #expect(withCompanies.scrub("Nordwind Logistics renews; Dana too") == "[company] renews; [name] too")
        #expect(withCompanies.scrub("logistics firms") == "logistics firms", "only the whole company name is hidden")
    }

    /// The scrubber files phrases under their first word; this compares its name pass with the plain search it
    /// replaced (every known phrase tried at every word, longest first) over random texts of names, parts of names,
    /// companies, possessives, punctuation, emails and phone numbers.
    @Test("scrubbing by first word hides exactly what trying every known name at every word hides")
    func scrubMatchesReference() {
        var rng = SplitMix(seed: 2026)
        let first = ["Dana", "Zoë", "Jean-Luc", "Ana", "Lee", "Mia", "Kenji"], last = ["Kim", "Müller", "Picard", "Park", "Kim Park", "Sato"]
        var people: [Person] = []
        for id in 1...40 { people.append(person(Int64(id), "\(first.randomElement(using: &rng)!) \(last.randomElement(using: &rng)!)")) }
        let scrubber = Scrubber(people: people, companies: ["Nordwind Logistics", "Kim Logistics"])
        let words = first + last + ["kim", "KIM", "Picard's", "Dana's", "said", "the", "exports", "Nordwind", "Logistics",
                                    "dana@acme.example", "+49 30 1234567", "12", "-", ",", ".", "  ", "\n", "Zoe", "Muller"]
        for _ in 0..<300 {
            var text = ""
            for _ in 0..<Int.random(in: 1...25, using: &rng) {
                text += words.randomElement(using: &rng)! + ([" ", " ", " ", ", ", "-", ""].randomElement(using: &rng)!)
            }
            #expect(scrubber.scrub(text) == Self.referenceScrub(scrubber, text), "\(text)")
        }
    }

    /// The scrubber's name pass as it was: every name tried in order at every word, after the same contact pass.
    static func referenceScrub(_ s: Scrubber, _ text: String) -> String {
        let out = Scrubber.maskingContacts(text)
        func match(_ tokens: [Scrubber.Token], at start: Int) -> (Int, String)? {
            for name in s.names {
                let parts = name.split(separator: " ").map(String.init)
                var k = start, matched = 0, consumed = 0
                while matched < parts.count, k < tokens.count {
                    if !tokens[k].isWord {
                        guard matched > 0, tokens[k].text == " " else { break }
                        k += 1
                        consumed += 1
                        continue
                    }
                    let word = tokens[k].text.matchingKey
                    let bare = word.hasSuffix("'s") ? String(word.dropLast(2)) : word
                    guard bare == parts[matched] else { break }
                    matched += 1
                    k += 1
                    consumed += 1
                }
                if matched == parts.count { return (consumed, name) }
            }
            return nil
        }
        var result = ""
        var k = 0
        while k < out.count {
            if out[k].isWord, let (length, name) = match(out, at: k) {
                result += s.companies.contains(name) ? "[company]" : "[name]"
                k += length
                continue
            }
            result += out[k].text
            k += 1
        }
        return result
    }

    @Test("periods: the last full week or month by default, ISO weeks and months by name, ranges checked")
    func periods() throws {
        let today = CalendarDay(year: 2026, month: 11, day: 23)
        let week = try ReportPeriod.week(nil, today: today)
        #expect(week.from == CalendarDay(year: 2026, month: 11, day: 16) && week.to == CalendarDay(year: 2026, month: 11, day: 22))
        #expect(try ReportPeriod.week("2026-W53", today: today).to == CalendarDay(year: 2027, month: 1, day: 3))
        #expect(try ReportPeriod.month(nil, today: today).label == "October 2026")
        let feb = try ReportPeriod.month("2028-02", today: today)
        #expect(feb.to == CalendarDay(year: 2028, month: 2, day: 29))
        #expect(try ReportPeriod.month(nil, today: CalendarDay(year: 2027, month: 1, day: 5)).label == "December 2026")
        #expect(fieldErrors { _ = try ReportPeriod.month("2026-13", today: today) }.first?.field == "month")
        #expect(fieldErrors { _ = try ReportPeriod.range(from: today, to: today.adding(days: -1)) }.first?.field == "until")
    }
}

@Suite("Reports: anonymised names")
struct ReportNamesTests {
    @Test("a person becomes their title, persona and company kind; names only when asked or shareable")
    func names() {
        let dana = person(1, "Dana Kim") { $0.title = "Head of Operations"; $0.personas = ["Ops Lead"]; $0.company = "Acme" }
        #expect(ReportNames.person(dana, industry: "logistics", shareable: false, named: false)
                == "a Head of Operations (Ops Lead persona) at a logistics customer")
        #expect(ReportNames.person(dana, industry: nil, shareable: false, named: false) == "a Head of Operations (Ops Lead persona) at a customer")
        #expect(ReportNames.person(dana, industry: "logistics", shareable: true, named: false) == "a Head of Operations (Ops Lead persona) at Acme")
        #expect(ReportNames.person(dana, industry: "logistics", shareable: false, named: true) == "Dana Kim, Acme")
        let lee = person(2, "Lee Park") { $0.stage = .prospect; $0.title = "Operations Analyst" }
        #expect(ReportNames.person(lee, industry: "insurance", shareable: false, named: false) == "an Operations Analyst at an insurance prospect")
        let anon = person(3, "Sam Ode") { $0.stage = .former }
        #expect(ReportNames.person(anon, industry: nil, shareable: false, named: false) == "someone at a former customer")
        #expect(ReportNames.person(anon, industry: "logistics", shareable: false, named: false) == "someone at a former logistics customer")
    }
}

/// SplitMix64, so a failing text can be made again.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
