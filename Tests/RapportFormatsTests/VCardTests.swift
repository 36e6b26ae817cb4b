import Foundation
import RapportCore
@testable import RapportFormats
import Testing

/// The contacts of a vCard file.
func cards(_ text: String, bytes: [UInt8]? = nil) throws -> [ImportedContact] {
    let file = try ScratchFile("cards.vcf", bytes: bytes ?? Array(text.utf8))
    defer { file.remove() }
    let source = try VCardContacts(url: file.url, timeZones: zones)
    var out: [ImportedContact] = []
    while let c = try source.next() { out.append(c) }
    return out
}

@Suite("vCard 2.1, 3.0 and 4.0: read as exporters write them, written by RFC 6350")
struct VCardTests {
    @Test("case 1: 2.1 quoted-printable whose soft line break falls between the two bytes of a Cyrillic letter")
    func quotedPrintableSplitLetter() throws {
        // "Олександра Шевченко": the soft break splits Ш (D0 A8) after its first byte.
        let file = "BEGIN:VCARD\r\nVERSION:2.1\r\n"
            + "N;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=A8=D0=B5=D0=B2=D1=87=D0=B5=D0=BD=D0=BA=D0=BE;=D0=9E=D0=BB=D0=B5=D0=BA=D1=81=D0=B0=D0=BD=D0=B4=D1=80=D0=B0;;;\r\n"
            + "FN;CHARSET=UTF-8;ENCODING=QUOTED-PRINTABLE:=D0=9E=D0=BB=D0=B5=D0=BA=D1=81=D0=B0=D0=BD=D0=B4=D1=80=D0=B0 =D0=\r\n"
            + "=A8=D0=B5=D0=B2=D1=87=D0=B5=D0=BD=D0=BA=D0=BE\r\n"
            + "TEL;CELL:+380 44 123 4567\r\nEND:VCARD\r\n"
        let read = try cards(file)
        #expect(read.count == 1)
        let name = read[0].details.name
        #expect(name == "Олександра Шевченко")
        #expect(!name.contains("=") && !name.unicodeScalars.contains("\u{FFFD}"))
        #expect(read[0].details.phones == [ContactPoint(value: "+380 44 123 4567", label: "mobile")])
    }

    @Test("case 2: 3.0 ORG with an escaped comma and a department, TITLE with \\,; written and read back unchanged")
    func escapedStructuredValues() throws {
        let file = """
            BEGIN:VCARD\r
            VERSION:3.0\r
            FN:Camille Dupont\r
            N:Dupont;Camille;;;\r
            ORG:Dupont\\, Fils & Cie;Achats\r
            TITLE:Directrice\\, achats\r
            END:VCARD\r

            """
        let camille = try cards(file)[0].details
        #expect(camille.company == "Dupont, Fils & Cie" && camille.title == "Directrice, achats" && camille.fields["Department"] == "Achats")
        let person = Person(id: PersonID(7), details: camille, createdAt: .distantPast, updatedAt: .distantPast)
        for version in VCardWriter.Version.allCases {
            let written = VCardWriter.card(person, version: version, owner: AccountID(1))
            #expect(written.contains("ORG:Dupont\\, Fils & Cie\r\n"))
            #expect(try cards(written)[0].details == camille)
        }
    }

    @Test("case 3: Apple's item1.EMAIL with an X-ABLabel and a _$!<Mobile>!$_ phone; Google's ITEM1.EMAIL with an empty label")
    func groupedLabels() throws {
        let apple = """
            BEGIN:VCARD
            VERSION:3.0
            N:Berg;Lina;;;
            FN:Lina Berg
            item1.EMAIL;type=INTERNET;type=pref:lina@board.example
            item1.X-ABLabel:Board
            item2.TEL;type=pref:+46 8 123 456 78
            item2.X-ABLabel:_$!<Mobile>!$_
            END:VCARD
            BEGIN:VCARD
            VERSION:3.0
            FN:Jonas Lind
            ITEM1.EMAIL;TYPE=INTERNET:jonas@lind.example
            ITEM1.X-ABLABEL:
            END:VCARD

            """
        let read = try cards(apple)
        #expect(read[0].details.emails == [ContactPoint(value: "lina@board.example", label: "board")])
        #expect(read[0].details.phones == [ContactPoint(value: "+46 8 123 456 78", label: "mobile")])
        #expect(read[1].details.emails.map(\.label) == ["work"])
        #expect(!read.flatMap { $0.details.emails + $0.details.phones }.contains { $0.label.contains("_$!<") })
    }

    @Test("folded lines (also inside a multi-byte letter), a BOM, LF ends, BDAY without a year, a photo dropped and said")
    func foldsAndOddities() throws {
        let text = "BEGIN:VCARD\nVERSION:4.0\nFN:Zoë Mül\n ler\nBDAY:--0415\nPHOTO;MEDIATYPE=image/jpeg:data:image/jpeg;base64,/9j/4AAQ\nNOTE:Line one\\nLine two\nEND:VCARD\n"
        var bytes = [UInt8](text.utf8)
        // Fold again in the middle of ü (C3 BC): "Mül" + CRLF + space + "ler" already; now split ü itself.
        let u = Array("ü".utf8)
        if let at = bytes.firstIndex(of: u[0]), bytes[at + 1] == u[1] { bytes.insert(contentsOf: [0x0D, 0x0A, 0x20], at: at + 1) }
        let read = try cards("", bytes: [0xEF, 0xBB, 0xBF] + bytes)
        #expect(read[0].details.name == "Zoë Müller")
        #expect(read[0].details.birthday?.description == "--04-15" && read[0].details.notes == "Line one\nLine two")
        #expect(read[0].warnings.contains { $0.contains("photo was left out") })
    }

    @Test("a card that never ends refuses the whole file with its name and line")
    func unterminated() throws {
        let text = "BEGIN:VCARD\r\nVERSION:3.0\r\nFN:Ana\r\nEND:VCARD\r\nBEGIN:VCARD\r\nVERSION:3.0\r\nFN:Bo Open\r\nEMAIL:bo@x.example\r\n"
        do {
            _ = try cards(text)
            Issue.record("an unterminated card was accepted")
        } catch let error as RapportError {
            #expect(error.fieldErrors.first?.field == "file")
            #expect(error.message.contains("\"Bo Open\" starting on line 5"))
        }
    }

    @Test("a person written and read back comes back field by field, in 4.0 and 3.0")
    func roundTrip() throws {
        var d = PersonDetails(name: "Ingrid Øvergård")
        d.emails = [ContactPoint(value: "ingrid@fjord.example"), ContactPoint(value: "ingrid@home.example", label: "home"),
                    ContactPoint(value: "ingrid@board.example", label: "board")]
        d.phones = [ContactPoint(value: "+47 22 33 44 55", label: "mobile"), ContactPoint(value: "+47 23 00 00 00")]
        d.company = "Fjord; Freight, AS"
        d.title = "COO"
        d.since = "2019-04"
        d.previousCompanies = ["Nordlog", "Havn, AS"]
        d.city = "Oslo"
        d.country = "NO"
        d.timeZone = "Europe/Oslo"
        d.stage = .partner
        d.source = .event
        d.warmth = 5
        d.offTheRecord = true
        d.advocate = true
        d.preferredChannel = .phone
        d.cadenceDays = 21
        d.hours = try BusinessHours.parse("08:00-16:00")
        d.birthday = try Birthday.parse("1985-04-15")
        d.personas = ["Ops Lead"]
        d.tags = ["beta", "vip, gold"]
        d.notes = "Runs the **night shift**;\nwants exports before 6am.\\ And a backslash."
        d.links = ["https://fjord.example/ingrid"]
        d.fields = ["plan": "Enterprise", "seats": "120; more soon"]
        let person = Person(id: PersonID(3), details: d, createdAt: .distantPast, updatedAt: .distantPast)
        for version in VCardWriter.Version.allCases {
            let written = VCardWriter.card(person, version: version, owner: AccountID(1))
            #expect(written.split(separator: "\r\n").allSatisfy { $0.utf8.count <= 75 })
            #expect(!written.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
            let back = try cards(written)[0].details
            #expect(back == d, "\(version.rawValue): \(back)")
        }
    }

    @Test("each person keeps one UID across exports; two people never share one")
    func stableUID() {
        #expect(VCardWriter.uid(PersonID(3), owner: AccountID(1)) == VCardWriter.uid(PersonID(3), owner: AccountID(1)))
        #expect(VCardWriter.uid(PersonID(3), owner: AccountID(1)) != VCardWriter.uid(PersonID(4), owner: AccountID(1)))
        #expect(VCardWriter.uid(PersonID(3), owner: AccountID(1)).split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
    }
}
