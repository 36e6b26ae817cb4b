#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The limits on what a person's fields may hold.
public enum PersonLimits {
    public static let shortText = 200
    public static let notes = 100_000
    public static let listItems = 50
    public static let fieldKey = 64
    public static let fieldValue = 2_000
    public static let maxCadenceDays = 3_650
}

/// The outcome of checking a person's details: the cleaned details and what was inferred along the way.
public struct ValidatedPerson: Sendable, Equatable {
    public var details: PersonDetails
    /// Things the user should know that were done for them, e.g. "time zone Europe/Berlin inferred from the city Berlin".
    public var notices: [String]
}

/// Rules that decide whether a person's details may be stored.
public enum PersonRules {
    /// Trims and normalises `details`, infers a missing time zone, and collects every problem at once.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` naming each bad field and what to do.
    public static func validate(
        _ details: PersonDetails, timeZones: TimeZoneCatalog, today: Date
    ) throws -> ValidatedPerson {
        var d = details
        var errors: [FieldError] = []
        var notices: [String] = []

        d.name = collapse(d.name)
        if d.name.isEmpty {
            errors.append(FieldError("name", "a name is required"))
        } else if d.name.matchingKey.isEmpty || !d.name.unicodeScalars.contains(where: { $0.properties.isAlphabetic || $0.properties.numericType != nil }) {
            errors.append(FieldError("name", "\"\(d.name)\" has no letter or digit to know them by; write their name"))
        } else if let hidden = d.name.unicodeScalars.first(where: isHidden) {
            errors.append(FieldError("name", "the name holds an invisible control character (U+\(String(hidden.value, radix: 16, uppercase: true))); type it again without it"))
        }
        check(&errors, "name", d.name, PersonLimits.shortText)

        d.emails = cleanContacts(d.emails)
        for email in d.emails where !EmailAddress.isValid(email.value) {
            errors.append(FieldError("email", "\"\(email.value)\" is not an email address; write it as name@example.com"))
        }
        let emailKeys = d.emails.map { TextIdentity.emailKey($0.value) }
        if Set(emailKeys).count != emailKeys.count {
            errors.append(FieldError("email", "the same email is listed twice; keep one"))
        }
        d.phones = cleanContacts(d.phones)
        let phoneKeys = d.phones.map { PhoneNumber.key($0.value) }
        if Set(phoneKeys).count != phoneKeys.count {
            errors.append(FieldError("phone", "the same phone number is listed twice; keep one"))
        }
        for phone in d.phones where !PhoneNumber.isValid(phone.value) {
            errors.append(FieldError(
                "phone", "\"\(phone.value)\" is not a phone number; use 7 to 15 digits, ideally with the country code (+49 30 1234567)"))
        }
        for list in [d.emails, d.phones] where list.count > PersonLimits.listItems {
            errors.append(FieldError(list == d.emails ? "email" : "phone", "at most \(PersonLimits.listItems) entries"))
        }

        d.company = optional(d.company)
        d.title = optional(d.title)
        d.city = optional(d.city)
        check(&errors, "company", d.company, PersonLimits.shortText)
        check(&errors, "title", d.title, PersonLimits.shortText)
        check(&errors, "city", d.city, PersonLimits.shortText)

        d.since = optional(d.since)
        if let since = d.since {
            if let normalised = PartialDate.normalise(since) {
                d.since = normalised
                if normalised > PartialDate.string(for: today) {
                    errors.append(FieldError("since", "\"\(since)\" is in the future; give the date they joined their company"))
                }
            } else {
                errors.append(FieldError("since", "\"\(since)\" is not a date; use YYYY, YYYY-MM or YYYY-MM-DD"))
            }
        }

        d.previousCompanies = cleanList(d.previousCompanies)
        for company in d.previousCompanies { check(&errors, "previousCompanies", company, PersonLimits.shortText) }

        d.country = optional(d.country)?.uppercased()
        if let country = d.country, !Countries.isCode(country) {
            let hint = Countries.code(forName: country).map { "did you mean \($0)?" } ?? "use a two-letter ISO code such as DE, US or JP"
            errors.append(FieldError("country", "\"\(country)\" is not a country code; \(hint)"))
        }

        d.timeZone = optional(d.timeZone)
        if let zone = d.timeZone {
            if let canonical = timeZones.canonical(zone) {
                d.timeZone = canonical
            } else {
                errors.append(timeZones.unknownZoneError(zone))
            }
        } else if let city = d.city, let zone = timeZones.zone(forCity: city) {
            d.timeZone = zone
            notices.append("time zone \(zone) inferred from the city \(city)")
        } else if let (zone, country) = d.phones.lazy.compactMap({ timeZones.zone(forPhone: $0.value) }).first {
            d.timeZone = zone
            notices.append("time zone \(zone) inferred from the phone's country code (\(country))")
        } else if let country = d.country, let zone = timeZones.zone(forCountry: country) {
            d.timeZone = zone
            notices.append("time zone \(zone) inferred from the country \(country)")
        }

        if !(1...5).contains(d.warmth) {
            errors.append(FieldError("warmth", "\(d.warmth) is out of range; warmth is 1 (cold) to 5 (close)"))
        }
        if let cadence = d.cadenceDays, !(1...PersonLimits.maxCadenceDays).contains(cadence) {
            errors.append(FieldError("cadenceDays", "\(cadence) is out of range; give a number of days from 1 to \(PersonLimits.maxCadenceDays)"))
        }

        d.personas = cleanList(d.personas)
        d.tags = cleanList(d.tags)
        for persona in d.personas { check(&errors, "personas", persona, 60) }
        for tag in d.tags { check(&errors, "tags", tag, 60) }

        d.notes = d.notes.trimmed
        if d.notes.count > PersonLimits.notes {
            errors.append(FieldError("notes", "notes are \(d.notes.count) characters; keep them under \(PersonLimits.notes)"))
        }

        d.links = cleanList(d.links)
        for link in d.links where !isWebLink(link) {
            errors.append(FieldError("links", "\"\(link)\" is not a web link; start it with https:// or http://"))
        }
        check(&errors, "links", d.links.first { $0.count > 2_000 }, 2_000)

        var fields: [String: String] = [:]
        for (key, value) in d.fields {
            let key = key.trimmed
            if key.isEmpty || key.count > PersonLimits.fieldKey
                || !key.allSatisfy({ $0.isLetter || $0.isNumber || "_-. ".contains($0) }) {
                errors.append(FieldError("fields", "\"\(key)\" is not a field name; use letters, digits, spaces, - _ or . (up to \(PersonLimits.fieldKey))"))
            }
            if value.count > PersonLimits.fieldValue {
                errors.append(FieldError("fields", "the value of \"\(key)\" is too long; keep it under \(PersonLimits.fieldValue) characters"))
            }
            fields[key] = value.trimmed
        }
        d.fields = fields

        if !errors.isEmpty { throw RapportError.invalid(errors) }
        return ValidatedPerson(details: d, notices: notices)
    }

    /// Whether a link is safe to show as a clickable `href`.
    public static func isWebLink(_ link: String) -> Bool {
        let lower = link.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return false }
        return !link.contains(where: { $0.isWhitespace || $0 == "<" || $0 == ">" || $0 == "\"" }) && link.count > 8
    }

    static func collapse(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    static func optional(_ text: String?) -> String? {
        guard let text else { return nil }
        let collapsed = collapse(text)
        return collapsed.isEmpty ? nil : collapsed
    }

    /// Trims, drops empties and repeats (by matching key: another case, accents or Unicode form is a repeat),
    /// keeping the first spelling.
    static func cleanList(_ items: [String]) -> [String] {
        var seen = Set<String>()
        return items.map(collapse).filter { !$0.isEmpty && seen.insert($0.matchingKey).inserted }
    }

    static func cleanContacts(_ items: [ContactPoint]) -> [ContactPoint] {
        items.map { ContactPoint(value: $0.value.trimmed, label: optional($0.label)?.lowercased() ?? "work") }
            .filter { !$0.value.isEmpty }
    }

    /// Characters a name must not hide: controls (NUL, escape…) and the direction overrides that make text read
    /// other than it is stored (U+202A–U+202E, U+2066–U+2069).
    static func isHidden(_ s: Unicode.Scalar) -> Bool {
        s.properties.generalCategory == .control || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }

    /// Refuses text over `limit` characters, or over four code points a character (a letter drowned in accents).
    static func check(_ errors: inout [FieldError], _ field: String, _ value: String?, _ limit: Int) {
        if let value, value.count > limit || value.unicodeScalars.count > 4 * limit {
            errors.append(FieldError(field, "is \(max(value.count, value.unicodeScalars.count / 4)) characters; keep it under \(limit)"))
        }
    }
}

/// Checks email addresses.
public enum EmailAddress {
    /// A practical check: one `@`, a local part, a domain with a dot, no spaces or angle brackets, at most 254 characters.
    public static func isValid(_ email: String) -> Bool {
        guard email.count <= 254, !email.contains(where: { $0.isWhitespace || "<>()[],;:\\\"".contains($0) }) else {
            return false
        }
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 64 else { return false }
        let domain = parts[1]
        let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
        return labels.count >= 2 && labels.allSatisfy { !$0.isEmpty && !$0.hasPrefix("-") && !$0.hasSuffix("-") }
            && (labels.last?.count ?? 0) >= 2
    }
}

/// A date that may be only a year or a month: `2019`, `2019-04`, `2019-04-15`.
public enum PartialDate {
    /// The normalised form of `text`, or nil when it is not a valid partial date.
    public static func normalise(_ text: String) -> String? {
        let parts = text.trimmed.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...3).contains(parts.count), parts[0].count == 4,
              let year = Int(parts[0]), (1900...2200).contains(year) else { return nil }
        var out = String(format4(year))
        if parts.count >= 2 {
            guard let month = Int(parts[1]), (1...12).contains(month), parts[1].count <= 2 else { return nil }
            out += "-" + pad(month)
            if parts.count == 3 {
                guard let day = Int(parts[2]), parts[2].count <= 2, (1...daysIn(month: month, year: year)).contains(day) else {
                    return nil
                }
                out += "-" + pad(day)
            }
        }
        return out
    }

    /// `YYYY-MM-DD` of a moment, in UTC.
    public static func string(for date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 0) ?? calendar.timeZone
        let c = calendar.dateComponents([.year, .month, .day], from: date)
        return "\(format4(c.year ?? 1970))-\(pad(c.month ?? 1))-\(pad(c.day ?? 1))"
    }

    static func pad(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
    static func format4(_ n: Int) -> String { String(repeating: "0", count: max(0, 4 - String(n).count)) + String(n) }
    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }
}
