import Foundation
import RapportCore

/// One row of a contacts CSV turned into a person: names joined, emails and phones with their labels (Google's
/// ` ::: ` lists and `* ` primary marks read), country names made codes, every value the person's rules would refuse
/// kept as a custom field instead (and said so), and every other non-empty column kept as a custom field.
enum CSVRow {
    static func contact(_ raw: [String], line: Int, layout: CSVLayout, timeZones: TimeZoneCatalog) -> ImportedContact {
        // A cell written inert for spreadsheets ("'=SUM…", "'+49…") reads as what it was.
        let cells = raw.map { cell -> String in
            let t = cell.nfc.trimmed
            if t.hasPrefix("'"), let next = t.dropFirst().first, "=+-@".contains(next) { return String(t.dropFirst()) }
            return t
        }
        var d = PersonDetails(name: "")
        var warnings: [String] = []
        var single: [String: String] = [:]
        var names: [ContactColumn: String] = [:]
        var emails: [(ContactPoint, Bool)] = [], phones: [(ContactPoint, Bool)] = []
        func keep(_ index: Int, _ value: String, because reason: String? = nil) {
            var key = ContactHeaders.customKey(layout.headers[index])
            if case .custom(let named) = layout.columns[index] { key = ContactHeaders.customKey(named) }
            d.fields[key] = String(value.prefix(PersonLimits.fieldValue))
            if let reason { warnings.append("\(layout.headers[index]): \(reason); kept as the custom field \"\(key)\"") }
        }
        guard cells.contains(where: { !$0.isEmpty }) else {
            return ImportedContact(line: line, details: d, skip: "blank row")
        }
        for (index, column) in layout.columns.enumerated() where index < cells.count && !cells[index].isEmpty {
            let value = cells[index]
            switch column {
            case .name, .firstName, .middleName, .lastName, .nickname:
                if names[column] == nil { names[column] = value }
            case .email(let label, let labelColumn), .phone(let label, let labelColumn):
                let isEmail: Bool = { if case .email = column { return true }; return false }()
                let labels = labelColumn.flatMap { $0 < cells.count ? cells[$0] : nil }
                for (item, primary) in split(value, labels: labels, fallback: label ?? "work") {
                    let valid = isEmail ? EmailAddress.isValid(item.value) : PhoneNumber.isValid(item.value)
                    if !valid {
                        keep(index, value, because: "\"\(item.value)\" is not \(isEmail ? "an email address" : "a phone number")")
                        continue
                    }
                    if isEmail { emails.append((item, primary)) } else { phones.append((item, primary)) }
                }
            case .label, .ignore:
                continue
            case .tags:
                d.tags += list(value).map { $0.replacingOccurrences(of: "* ", with: "") }.filter { $0.lowercased() != "mycontacts" }
            case .personas:
                d.personas += list(value)
            case .previousCompanies:
                d.previousCompanies += list(value)
            case .since:
                d.since = value
            case .hours:
                if let hours = try? BusinessHours.parse(value) { d.hours = hours } else { keep(index, value, because: "\"\(value)\" are not business hours") }
            case .source:
                if let source = Source(rawValue: value.lowercased()) { d.source = source } else { keep(index, value) }
            case .channel:
                if let channel = Channel(rawValue: value.lowercased()) { d.preferredChannel = channel } else { keep(index, value) }
            case .warmth:
                if let warmth = Int(value), (1...5).contains(warmth) { d.warmth = warmth } else { keep(index, value, because: "\"\(value)\" is not a warmth from 1 to 5") }
            case .cadence:
                if let days = Int(value), days > 0 { d.cadenceDays = days } else { keep(index, value, because: "\"\(value)\" is not a number of days") }
            case .offTheRecord, .advocate:
                let yes = ["yes", "true", "1", "x", "ja", "oui"].contains(value.lowercased())
                if column == .advocate { d.advocate = yes } else { d.offTheRecord = yes }
            case .link:
                for url in value.components(separatedBy: " ::: ").map(\.trimmed) where !url.isEmpty {
                    let link = url.lowercased().hasPrefix("http") ? url : "https://" + url
                    if PersonRules.isWebLink(link) { d.links.append(link) } else { keep(index, value, because: "\"\(url)\" is not a web link") }
                }
            case .country:
                if let code = Countries.isCode(value.uppercased()) ? value.uppercased() : Countries.code(forName: value) {
                    if single["country"] == nil { single["country"] = code }
                } else { keep(index, value, because: "\"\(value)\" is not a country Rapport knows") }
            case .timeZone:
                if let zone = timeZones.canonical(value) { if single["timeZone"] == nil { single["timeZone"] = zone } } else {
                    keep(index, value, because: "\"\(value)\" is not an IANA time zone")
                }
            case .birthday:
                if let birthday = readBirthday(value) { if d.birthday == nil { d.birthday = birthday } }
                else if !["0/0/00", "00.00.00"].contains(value) { keep(index, value, because: "\"\(value)\" is not a birthday") }
            case .stage:
                if let stage = stage(value) { d.stage = stage } else { keep(index, value) }
            case .notes:
                d.notes = d.notes.isEmpty ? value : d.notes + "\n\n" + value
            case .company, .title, .city:
                let field = column == .company ? "company" : column == .title ? "title" : "city"
                if single[field] == nil { single[field] = value }
            case .custom:
                keep(index, value)
            }
        }
        d.company = single["company"]
        d.title = single["title"]
        d.city = single["city"]
        d.country = single["country"]
        d.timeZone = single["timeZone"]
        // Primary (Google's `* `) first, then in column order.
        d.emails = emails.filter(\.1).map(\.0) + emails.filter { !$0.1 }.map(\.0)
        d.phones = phones.filter(\.1).map(\.0) + phones.filter { !$0.1 }.map(\.0)
        let full = [names[.firstName], names[.middleName], names[.lastName]].compactMap { $0 }.joined(separator: " ")
        d.name = names[.name] ?? full.nilIfEmpty ?? names[.nickname] ?? d.company ?? d.emails.first?.value ?? d.phones.first?.value ?? ""
        if d.name.isEmpty {
            return ImportedContact(line: line, details: d, skip: "no name, email or phone to know them by", warnings: warnings)
        }
        return ImportedContact(line: line, details: d, warnings: warnings)
    }

    /// Values of one cell with their labels: Google joins several with ` ::: ` (the label cell likewise, or one
    /// label for all), and marks the primary with a leading `* `.
    static func split(_ value: String, labels: String?, fallback: String) -> [(ContactPoint, Bool)] {
        let values = value.components(separatedBy: " ::: ").map(\.trimmed).filter { !$0.isEmpty }
        let labelList = labels?.components(separatedBy: " ::: ").map(\.trimmed) ?? []
        return values.enumerated().map { index, item in
            // One label for several values labels them all; only the first of them is the primary.
            let own = index < labelList.count ? labelList[index] : nil
            let raw = own ?? labelList.first ?? fallback
            let primary = own.map { $0.hasPrefix("*") } ?? false
            return (ContactPoint(value: item, label: label(raw)), primary)
        }
    }

    /// A list in one cell: items joined by ` ::: ` (Google, and Rapport's own export, whose items may hold commas),
    /// or else by commas or semicolons.
    static func list(_ value: String) -> [String] {
        let parts = value.contains(" ::: ") ? value.components(separatedBy: " ::: ")
            : value.split(whereSeparator: { ",;".contains($0) }).map(String.init)
        return parts.map(\.trimmed).filter { !$0.isEmpty }
    }

    /// A label as a person reads it: `* Work` → `work`, Apple's `_$!<Mobile>!$_` → `mobile`, `INTERNET` → `work`.
    static func label(_ raw: String) -> String {
        var t = raw.trimmed
        if t.hasPrefix("*") { t = String(t.dropFirst()).trimmed }
        if t.hasPrefix("_$!<") && t.hasSuffix(">!$_") { t = String(t.dropFirst(4).dropLast(4)) }
        let lower = t.lowercased()
        if ["", "internet", "smtp", "pref", "x400", "voice", "main"].contains(lower) { return "work" }
        if lower == "cell" { return "mobile" }
        let cleaned = String(lower.map { $0.isLetter || $0 == "-" ? $0 : "-" }).split(separator: "-").joined(separator: "-")
        return String(cleaned.prefix(20)).nilIfEmpty ?? "work"
    }

    /// Birthdays as exports write them: ISO, vCard forms, and Outlook's `4/15/1985` (US order, as Outlook writes it).
    static func readBirthday(_ value: String) -> Birthday? {
        if let birthday = try? Birthday.parse(value) { return birthday }
        let parts = value.split(separator: "/").compactMap { Int($0) }
        guard parts.count == 3 else { return nil }
        return try? Birthday(month: parts[0], day: parts[1], year: parts[2] < 100 ? nil : parts[2])
    }

    /// HubSpot's lifecycle stages and plain stage names.
    static func stage(_ value: String) -> Stage? {
        let key = ContactHeaders.key(value)
        if let stage = Stage(rawValue: key) { return stage }
        switch key {
        case "subscriber", "lead", "marketingqualifiedlead", "salesqualifiedlead", "opportunity": return .prospect
        case "evangelist": return .customer
        case "partner": return .partner
        default: return nil
        }
    }
}
