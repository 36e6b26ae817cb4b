import Testing
import RapportCore

@Suite("Naming a person: id, email or part of the name")
struct PersonReferenceTests {
    @Test("a number or #number is an id, text with @ an email, anything else a name")
    func parsing() throws {
        #expect(try PersonReference(parsing: "12") == .id(PersonID(12)))
        #expect(try PersonReference(parsing: "#7") == .id(PersonID(7)))
        #expect(try PersonReference(parsing: " Dana@Acme.com ") == .email("dana@acme.com"))
        #expect(try PersonReference(parsing: "dana") == .name("dana"))
        #expect(try PersonReference(parsing: "0") == .name("0"))
    }

    @Test("an empty reference is refused naming the person field")
    func empty() {
        #expect(fieldErrors { _ = try PersonReference(parsing: "  ") }.map(\.field) == ["person"])
    }

    @Test("a single match wins")
    func single() throws {
        let dana = person(1, "Dana Kim")
        #expect(try PersonReference.choose("dan", among: [dana]) == dana)
    }

    @Test("an exact full name wins over longer names that contain it")
    func exact() throws {
        let dana = person(1, "Dana Kim"), danaK = person(2, "Dana Kimball")
        #expect(try PersonReference.choose("dana kim", among: [danaK, dana]).id == PersonID(1))
    }

    @Test("an ambiguous part of a name fails and lists every candidate with id and email")
    func ambiguous() {
        let a = person(1, "Dana Kim") { $0.emails = [ContactPoint(value: "dana@acme.com")] }
        let b = person(2, "Dana Lee") { $0.company = "Globex" }
        #expect(throws: RapportError.ambiguous(.person, "dana", candidates: ["#1 Dana Kim <dana@acme.com>", "#2 Dana Lee at Globex"])) {
            try PersonReference.choose("dana", among: [b, a])
        }
        let message = RapportError.ambiguous(.person, "dana", candidates: ["#1 Dana Kim", "#2 Dana Lee"]).message
        #expect(message.contains("matches 2 people") && message.contains("#2 Dana Lee"))
    }

    @Test("no match is not found")
    func none() {
        #expect(throws: RapportError.notFound(.person, "zed")) { try PersonReference.choose("zed", among: []) }
    }
}

@Suite("Closest names for \"did you mean …?\"")
struct ClosestNamesTests {
    @Test("closest first, letter case ignored, within the distance, ties in the given order")
    func closest() {
        let keys = ["timeZone", "title", "tags", "name"]
        #expect(ClosestNames.to("timezone", among: keys, maxDistance: 3, limit: 1) == ["timeZone"])
        #expect(ClosestNames.to("tagz", among: ["name", "tags", "tage"], maxDistance: 2, limit: 3) == ["tags", "tage"])
        #expect(ClosestNames.to("qqqqqqq", among: keys, maxDistance: 2, limit: 3).isEmpty)
    }
}
