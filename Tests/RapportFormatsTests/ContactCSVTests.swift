import Foundation
import RapportCore
@testable import RapportFormats
import Testing

/// A scratch file for one test.
struct ScratchFile {
    let url: URL

    init(_ name: String, bytes: [UInt8]) throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-formats-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        url = dir.appendingPathComponent(name)
        try Data(bytes).write(to: url)
    }

    init(_ name: String, _ text: String) throws { try self.init(name, bytes: Array(text.utf8)) }

    func remove() { try? FileManager.default.removeItem(at: url.deletingLastPathComponent()) }
}

let zones = TimeZoneCatalog(identifiers: TimeZone.knownTimeZoneIdentifiers, accepts: { TimeZone(identifier: $0) != nil })

/// Every contact of a CSV file.
func contacts(_ file: ScratchFile, preset: ContactPreset? = nil, map: [(String, ContactColumn)] = []) throws -> (CSVLayout, [ImportedContact]) {
    let csv = try CSVContacts(url: file.url, preset: preset, overrides: map, timeZones: zones)
    var out: [ImportedContact] = []
    while let c = try csv.next() { out.append(c) }
    return (csv.layout, out)
}

@Suite("Contacts CSV: vendors' exports, encodings and separators read row by row")
struct ContactCSVTests {
    @Test("a quote that never closes refuses the file naming the line, instead of reading the rest as one value",
          arguments: ["Name,Email\n\"Unclosed,a@b.example\nBob,bob@example.com\n", "Name,Email\nAnn,ann@example.com\n\"Ann\" Lee,ann@x.example\nBob,\"bob@example.com\n"])
    func unclosedQuote(_ text: String) throws {
        let file = try ScratchFile("stray.csv", text)
        defer { file.remove() }
        #expect(throws: RapportError.self) { _ = try contacts(file) }
        do { _ = try contacts(file) } catch let error as RapportError {
            #expect(error.message.contains("never closes") && error.message.contains("line"), "\(error.message)")
        }
        // Quotes in pairs, escaped ones too, still read as they should.
        let fine = try ScratchFile("fine.csv", "Name,Notes\n\"Ann \"\"AJ\"\" Lee\",\"two\nlines, with a comma\"\nBob,plain\n")
        defer { fine.remove() }
        let (_, rows) = try contacts(fine)
        #expect(rows.map(\.details.name) == ["Ann \"AJ\" Lee", "Bob"])
    }

    @Test("case 4: Google's older scheme: ' ::: ' lists, '* ' primary labels, a row with only a phone is kept")
    func googleOld() throws {
        let file = try ScratchFile("google.csv", """
            Name,Given Name,Family Name,Group Membership,E-mail 1 - Type,E-mail 1 - Value,Phone 1 - Type,Phone 1 - Value,Organization 1 - Name\r
            Maren Holt,Maren,Holt,* myContacts ::: Beta,* Work,a@x.example ::: b@x.example,Mobile,+47 22 33 44 55,Fjordlog\r
            ,,,,,,Mobile,+1 212 555 0147,\r

            """)
        defer { file.remove() }
        let (layout, rows) = try contacts(file)
        #expect(layout.preset == .google)
        #expect(rows.count == 2)
        let maren = rows[0].details
        #expect(maren.emails == [ContactPoint(value: "a@x.example", label: "work"), ContactPoint(value: "b@x.example", label: "work")])
        #expect(maren.phones == [ContactPoint(value: "+47 22 33 44 55", label: "mobile")])
        #expect(maren.tags == ["Beta"] && maren.company == "Fjordlog")
        #expect(rows[1].skip == nil && rows[1].details.phones.map(\.value) == ["+1 212 555 0147"] && rows[1].details.name == "+1 212 555 0147")
        #expect(rows.map(\.line) == [2, 3])
    }

    @Test("Google's current scheme: 'E-mail 1 - Label' with a primary mark puts that email first")
    func googleCurrent() throws {
        let file = try ScratchFile("contacts.csv", """
            First Name,Last Name,Organization Name,Organization Title,E-mail 1 - Label,E-mail 1 - Value,E-mail 2 - Label,E-mail 2 - Value,Birthday,Labels
            Ines,Duarte,Lisboa Logística,COO,Home,ines@home.example,* Work,ines@lisboa.example,--04-15,myContacts ::: Customers

            """)
        defer { file.remove() }
        let (layout, rows) = try contacts(file)
        #expect(layout.preset == .google)
        let ines = rows[0].details
        #expect(ines.name == "Ines Duarte" && ines.title == "COO" && ines.company == "Lisboa Logística")
        #expect(ines.emails.map(\.value) == ["ines@lisboa.example", "ines@home.example"])
        #expect(ines.emails.map(\.label) == ["work", "home"])
        #expect(ines.birthday?.description == "--04-15" && ines.tags == ["Customers"])
    }

    @Test("case 5: Excel's CSV UTF-8 from a German locale: BOM, ';', Email first, a company with ';' in quotes")
    func excelGerman() throws {
        let file = try ScratchFile("excel.csv", bytes: [0xEF, 0xBB, 0xBF] + Array("""
            Email;Name;Firma;Telefon\r
            anna@beispiel.de;Anna Schäfer;"Müller; Söhne GmbH";+49 30 1234567\r
            bernd@beispiel.de;Bernd Groß;"Globex";\r

            """.utf8))
        defer { file.remove() }
        let (layout, rows) = try contacts(file)
        #expect(layout.encoding == .utf8BOM && layout.delimiter == ";" && layout.headers.first == "Email")
        #expect(rows.map { $0.details.emails.first?.value } == ["anna@beispiel.de", "bernd@beispiel.de"])
        #expect(rows[0].details.company == "Müller; Söhne GmbH")
    }

    @Test("LinkedIn's Connections.csv: the notes above the header are passed over and lines count from the file's top")
    func linkedIn() throws {
        let file = try ScratchFile("Connections.csv", """
            Notes:
            "When exporting your connection data, you may notice that some of the email addresses are missing.
            You will only see email addresses for connections who have allowed it."

            First Name,Last Name,URL,Email Address,Company,Position,Connected On
            Priya,Raman,https://www.linkedin.com/in/priya-raman,,Acme Robotics,Head of Ops,12 Mar 2024
            Tomás,García,www.linkedin.com/in/tgarcia,tomas@garcia.example,Andes SA,CTO,01 Feb 2023

            """)
        defer { file.remove() }
        let (layout, rows) = try contacts(file)
        #expect(layout.preset == .linkedin && layout.headerLine == 5)
        #expect(rows.map(\.line) == [6, 7])
        #expect(rows[0].details.title == "Head of Ops" && rows[0].details.links == ["https://www.linkedin.com/in/priya-raman"])
        #expect(rows[1].details.links == ["https://www.linkedin.com/in/tgarcia"] && rows[1].details.fields["Connected On"] == "01 Feb 2023")
    }

    @Test("Outlook's ANSI export (Windows-1252, no BOM) and its UTF-16 export read the same letters")
    func outlookEncodings() throws {
        let text = "First Name,Last Name,Title,Company,Job Title,Business Phone,Mobile Phone,E-mail Address,E-mail Type,Birthday,Notes,Categories\r\n"
            + "René,Müller,Dr.,Société Générale,Analyst,+33 1 42 14 20 00,+33 6 12 34 56 78,rene@socgen.example,SMTP,4/15/1985,“Quoted” €,Beta;VIP\r\n"
        let ansi = try ScratchFile("ansi.csv", bytes: windows1252(text))
        let utf16 = try ScratchFile("utf16.csv", bytes: [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] })
        defer { ansi.remove(); utf16.remove() }
        let (ansiLayout, fromAnsi) = try contacts(ansi)
        let (utf16Layout, fromUTF16) = try contacts(utf16)
        #expect(ansiLayout.encoding == .windows1252 && utf16Layout.encoding == .utf16LE)
        #expect(ansiLayout.preset == .outlook)
        for rene in [fromAnsi[0].details, fromUTF16[0].details] {
            #expect(rene.name == "René Müller" && rene.company == "Société Générale" && rene.title == "Analyst")
            #expect(rene.phones.map(\.label) == ["work", "mobile"] && rene.emails.map(\.label) == ["work"])
            #expect(rene.birthday?.description == "1985-04-15" && rene.notes == "“Quoted” €" && rene.tags == ["Beta", "VIP"])
            #expect(rene.fields["Name prefix"] == "Dr.")
        }
    }

    @Test("HubSpot and Salesforce exports are recognised by their columns")
    func crmExports() throws {
        let hubspot = try ScratchFile("hubspot.csv", "Record ID,First Name,Last Name,Email,Phone Number,Mobile Phone Number,Company Name,Job Title,Lifecycle Stage,Time Zone\n101,Kai,Brandt,kai@nord.example,+49 40 123456,+49 170 1234567,Nord AG,Buyer,Lead,Europe/Berlin\n")
        let salesforce = try ScratchFile("sf.csv", "Salutation,First Name,Last Name,Title,Account Name,Email,Phone,Mobile,Mailing City,Mailing Country,Description\nMs.,Lena,Vogt,CFO,Vogt GmbH,lena@vogt.example,+41 44 123 45 67,,Zürich,Switzerland,Met at SaaStr\n")
        defer { hubspot.remove(); salesforce.remove() }
        let (hl, hrows) = try contacts(hubspot)
        #expect(hl.preset == .hubspot)
        #expect(hrows[0].details.stage == .prospect && hrows[0].details.timeZone == "Europe/Berlin")
        #expect(hrows[0].details.phones.map(\.label) == ["work", "mobile"] && hrows[0].details.fields["Record ID"] == "101")
        let (sl, srows) = try contacts(salesforce)
        #expect(sl.preset == .salesforce)
        #expect(srows[0].details.company == "Vogt GmbH" && srows[0].details.country == "CH" && srows[0].details.notes == "Met at SaaStr")
        #expect(srows[0].details.city == "Zürich" && srows[0].details.fields["Name prefix"] == "Ms.")
    }

    @Test("any file: common header names, tabs, quoted line breaks, unreadable values kept as custom fields, unknown columns too")
    func generic() throws {
        let file = try ScratchFile("any.tsv", "Full Name\tE-Mail\tOrganisation\tCountry\tPlan\tBirthday\n\"Ola\nNordmann\"\tola@x.example\tFjord AS\tNorway\tEnterprise\t31/02\nNo Mail\tnope\t\tAtlantis\t\t\n\t\t\t\t\t\n")
        defer { file.remove() }
        let (layout, rows) = try contacts(file)
        #expect(layout.delimiter == "\t" && layout.preset == nil)
        #expect(rows[0].details.name == "Ola\nNordmann" && rows[0].details.country == "NO" && rows[0].details.fields["Plan"] == "Enterprise")
        #expect(rows[0].details.fields["Birthday"] == "31/02" && rows[0].warnings.count == 1)
        #expect(rows[1].line == 4 && rows[1].details.emails.isEmpty && rows[1].details.fields["E-Mail"] == "nope")
        #expect(rows[1].details.fields["Country"] == "Atlantis")
        #expect(rows[2].skip == "blank row" && rows[2].line == 5)
    }

    @Test("--map overrides a column; a column the file lacks is named with the closest one")
    func mapping() throws {
        let file = try ScratchFile("m.csv", "Who,Reach,Notes\nDana Kim,dana@acme.example,hi\n")
        defer { file.remove() }
        let (_, rows) = try contacts(file, map: [("Who", .name), ("reach", .email(label: "home", labelColumn: nil))])
        #expect(rows[0].details.name == "Dana Kim" && rows[0].details.emails == [ContactPoint(value: "dana@acme.example", label: "home")])
        do {
            _ = try contacts(file, map: [("Mail", .email(label: nil, labelColumn: nil))])
            Issue.record("an unknown column was accepted")
        } catch let error as RapportError {
            #expect(error.fieldErrors.first?.field == "map" && error.message.contains("no column \"Mail\""))
        }
        #expect(throws: RapportError.self) { _ = try ContactColumn.parse("emial") }
    }

    @Test("a file with no header, or one that is not there, says so under the file field")
    func unreadable() throws {
        let empty = try ScratchFile("empty.csv", "")
        defer { empty.remove() }
        #expect(throws: RapportError.self) { _ = try CSVContacts(url: empty.url, timeZones: zones) }
        #expect(throws: RapportError.self) { _ = try CSVContacts(url: URL(fileURLWithPath: "/nonexistent/file.csv"), timeZones: zones) }
    }
}

/// `text` in Windows-1252 (every letter used here exists there).
func windows1252(_ text: String) -> [UInt8] {
    text.unicodeScalars.map { scalar in
        if let index = TextFileEncoding.windows1252High.firstIndex(of: scalar.value), scalar.value > 0xFF { return UInt8(0x80 + index) }
        return UInt8(scalar.value)
    }
}
