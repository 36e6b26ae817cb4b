import Foundation
import RapportCore
import Synchronization

/// The contacts of a vCard file (2.1, 3.0 or 4.0), one per card. The whole file is read first, so a card that never
/// ends refuses the file before anything is written.
public final class VCardContacts: ContactSource, @unchecked Sendable {
    public let count: Int
    public let version: String?
    private let contacts: Mutex<[ImportedContact]>

    /// - Throws: ``RapportError/invalid(_:)`` under `file` when the file cannot be read, holds no card, or has a card
    ///   that never ends.
    public init(url: URL, timeZones: TimeZoneCatalog) throws {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw RapportError.invalid("file", "cannot read \(url.path); check the path and that you may read it")
        }
        let cards = try VCardReader.cards(data, file: url.lastPathComponent)
        version = cards.first?.properties.first { $0.name == "VERSION" }?.value.trimmed
        let read = cards.map { VCardCardReader.contact($0, timeZones: timeZones) }
        count = read.count
        contacts = Mutex(read.reversed())
    }

    public func next() throws -> ImportedContact? {
        contacts.withLock { $0.popLast() }
    }
}

/// The Rapport fields a vCard carries as `X-RAPPORT-…` properties, so an export comes back whole.
enum RapportVCardProperty {
    static let stage = "X-RAPPORT-STAGE", warmth = "X-RAPPORT-WARMTH", source = "X-RAPPORT-SOURCE", channel = "X-RAPPORT-CHANNEL"
    static let cadence = "X-RAPPORT-CADENCE", hours = "X-RAPPORT-HOURS", since = "X-RAPPORT-SINCE"
    static let previous = "X-RAPPORT-PREVIOUS-COMPANY", persona = "X-RAPPORT-PERSONA", field = "X-RAPPORT-FIELD"
    static let offTheRecord = "X-RAPPORT-OFF-THE-RECORD", advocate = "X-RAPPORT-ADVOCATE"
}

/// One card turned into a person.
enum VCardCardReader {
    static func contact(_ card: VCardCard, timeZones: TimeZoneCatalog) -> ImportedContact {
        var d = PersonDetails(name: "")
        var warnings: [String] = []
        var primaryEmails: [ContactPoint] = [], emails: [ContactPoint] = [], primaryPhones: [ContactPoint] = [], phones: [ContactPoint] = []
        // Apple and Google label a grouped email or phone in a sibling property: item1.X-ABLabel.
        var groupLabels: [String: String] = [:]
        for p in card.properties where p.name == "X-ABLABEL" {
            if let group = p.group { groupLabels[group] = VCardValue.unescape(p.value).trimmed }
        }
        var structuredName: [String] = []
        for p in card.properties {
            let text = VCardValue.unescape(p.value).trimmed
            switch p.name {
            case "FN":
                if d.name.isEmpty { d.name = text }
            case "N":
                structuredName = VCardValue.split(p.value, at: ";").map(\.trimmed)
            case "EMAIL", "TEL":
                let value = p.name == "TEL" && text.lowercased().hasPrefix("tel:") ? String(text.dropFirst(4)) : text
                guard !value.isEmpty else { continue }
                let label = p.group.flatMap { groupLabels[$0] }.flatMap { $0.isEmpty ? nil : CSVRow.label($0) } ?? typeLabel(p.types, phone: p.name == "TEL")
                let point = ContactPoint(value: value, label: label)
                let valid = p.name == "EMAIL" ? EmailAddress.isValid(value) : PhoneNumber.isValid(value)
                if !valid {
                    d.fields[p.name == "EMAIL" ? "Email" : "Phone"] = value
                    warnings.append("\(p.name) \"\(value)\" cannot be read; kept as a custom field")
                    continue
                }
                let pref = p.types.contains("pref") || p.parameters["PREF"] != nil
                if p.name == "EMAIL" { if pref { primaryEmails.append(point) } else { emails.append(point) } }
                else { if pref { primaryPhones.append(point) } else { phones.append(point) } }
            case "ORG":
                let parts = VCardValue.split(p.value, at: ";").map(\.trimmed)
                if d.company == nil, let company = parts.first, !company.isEmpty { d.company = company }
                if parts.count > 1, !parts[1].isEmpty { d.fields["Department"] = parts[1] }
            case "TITLE":
                if d.title == nil, !text.isEmpty { d.title = text }
            case "ROLE":
                if !text.isEmpty { d.fields["Role"] = text }
            case "ADR":
                let parts = VCardValue.split(p.value, at: ";").map(\.trimmed)
                if parts.count > 3, d.city == nil, !parts[3].isEmpty { d.city = parts[3] }
                if parts.count > 6, d.country == nil, !parts[6].isEmpty {
                    if let code = Countries.isCode(parts[6].uppercased()) ? parts[6].uppercased() : Countries.code(forName: parts[6]) {
                        d.country = code
                    } else {
                        d.fields["Country"] = parts[6]
                    }
                }
            case "BDAY":
                if let birthday = try? Birthday.parse(text) { d.birthday = birthday } else if !text.isEmpty {
                    d.fields["Birthday"] = text
                    warnings.append("BDAY \"\(text)\" is not a birthday; kept as a custom field")
                }
            case "NOTE":
                d.notes = d.notes.isEmpty ? text : d.notes + "\n\n" + text
            case "URL", "X-SOCIALPROFILE":
                let link = text.lowercased().hasPrefix("http") ? text : "https://" + text
                if PersonRules.isWebLink(link) { d.links.append(link) }
            case "CATEGORIES":
                d.tags += VCardValue.split(p.value, at: ",").map(\.trimmed).filter { !$0.isEmpty }
            case "TZ":
                if let zone = timeZones.canonical(text) { d.timeZone = zone }
            case "PHOTO", "LOGO", "SOUND", "KEY":
                warnings.append("the \(p.name == "PHOTO" ? "photo" : p.name.lowercased()) was left out: Rapport keeps no pictures or files")
            case RapportVCardProperty.stage: if let stage = Stage(rawValue: text) { d.stage = stage }
            case RapportVCardProperty.warmth: if let warmth = Int(text) { d.warmth = warmth }
            case RapportVCardProperty.source: d.source = Source(rawValue: text)
            case RapportVCardProperty.channel: d.preferredChannel = Channel(rawValue: text)
            case RapportVCardProperty.cadence: d.cadenceDays = Int(text)
            case RapportVCardProperty.hours: d.hours = try? BusinessHours.parse(text)
            case RapportVCardProperty.since: d.since = text
            case RapportVCardProperty.previous: d.previousCompanies.append(text)
            case RapportVCardProperty.persona: d.personas.append(text)
            case RapportVCardProperty.offTheRecord: d.offTheRecord = text.lowercased() == "true"
            case RapportVCardProperty.advocate: d.advocate = text.lowercased() == "true"
            case RapportVCardProperty.field:
                if let key = p.parameters["X-KEY"]?.first { d.fields[key] = VCardValue.unescape(p.value) }
            default:
                continue
            }
        }
        d.emails = primaryEmails + emails
        d.phones = primaryPhones + phones
        if d.name.isEmpty, structuredName.count >= 2 {
            // N is family;given;additional;prefix;suffix.
            d.name = [structuredName.count > 3 ? structuredName[3] : "", structuredName[1], structuredName.count > 2 ? structuredName[2] : "",
                      structuredName[0], structuredName.count > 4 ? structuredName[4] : ""].filter { !$0.isEmpty }.joined(separator: " ")
        }
        if d.name.isEmpty { d.name = d.company ?? d.emails.first?.value ?? d.phones.first?.value ?? "" }
        if d.name.isEmpty {
            return ImportedContact(line: card.line, details: d, skip: "the card has no name, email or phone to know them by", warnings: warnings)
        }
        return ImportedContact(line: card.line, details: d, warnings: warnings)
    }

    /// The label `TYPE` values give an email or phone: `cell` → mobile; work, home, fax and other kept; the rest
    /// (internet, voice, pref…) say nothing a person needs.
    static func typeLabel(_ types: [String], phone: Bool) -> String {
        for type in types {
            switch type {
            case "cell", "mobile", "iphone": return "mobile"
            case "work", "home", "other", "fax", "pager", "main": return type == "main" ? "work" : type
            default: continue
            }
        }
        return "work"
    }
}
