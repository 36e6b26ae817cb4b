#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Where a person stands with the product.
public enum Stage: String, Sendable, Codable, CaseIterable {
    case customer, prospect, former, partner, other
}

/// How the PM came to know a person.
public enum Source: String, Sendable, Codable, CaseIterable {
    case theyContactedMe = "they-contacted-me"
    case support
    case salesIntro = "sales-intro"
    case event
    case referral
    case outreach
}

/// The way a person prefers to be reached.
public enum Channel: String, Sendable, Codable, CaseIterable {
    case email, phone, video, chat
    case inPerson = "in-person"
}

/// An email address or phone number with a label such as `work` or `mobile`.
public struct ContactPoint: Sendable, Codable, Equatable, Hashable {
    public var value: String
    public var label: String
    /// Marked bad by Rapport: a wrong number on a call, a bounced email. Kept (it may come back), never used.
    public var bad: Bool

    public init(value: String, label: String = "work", bad: Bool = false) {
        self.value = value
        self.label = label
        self.bad = bad
    }

    private enum CodingKeys: String, CodingKey { case value, label, bad }

    /// Reads `{"value": ..., "label": ...}` (label optional, default `work`) or a bare string.
    public init(from decoder: any Decoder) throws {
        if let text = try? decoder.singleValueContainer().decode(String.self) {
            self.init(value: text)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(value: try c.decode(String.self, forKey: .value), label: try c.decodeIfPresent(String.self, forKey: .label) ?? "work",
                  bad: try c.decodeIfPresent(Bool.self, forKey: .bad) ?? false)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(value, forKey: .value)
        try c.encode(label, forKey: .label)
        // Only when set, so a plain contact stays `{"value", "label"}`.
        if bad { try c.encode(bad, forKey: .bad) }
    }

    /// Reads `label:value` (`mobile:+49 30 1234567`) or a bare value, which gets `defaultLabel`.
    public static func parse(_ text: String, defaultLabel: String = "work") -> ContactPoint {
        let trimmed = text.trimmed
        if let colon = trimmed.firstIndex(of: ":") {
            let label = trimmed[..<colon]
            if !label.isEmpty, label.count <= 20, label.allSatisfy({ $0.isLetter || $0 == "-" }) {
                let value = trimmed[trimmed.index(after: colon)...].trimmed
                return ContactPoint(value: value, label: label.lowercased())
            }
        }
        return ContactPoint(value: trimmed, label: defaultLabel)
    }
}

/// Why and since when a person must not be contacted.
public struct DoNotContact: Sendable, Codable, Equatable {
    public var reason: String
    public var since: Date

    public init(reason: String, since: Date) {
        self.reason = reason
        self.since = since
    }
}

/// Everything about a person that the PM edits directly.
///
/// Adding a person stores one of these; editing applies a ``PersonPatch`` to one.
public struct PersonDetails: Sendable, Codable, Equatable {
    public var name: String
    public var emails: [ContactPoint] = []
    public var phones: [ContactPoint] = []
    public var company: String?
    public var title: String?
    /// When they joined their company: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`.
    public var since: String?
    public var previousCompanies: [String] = []
    public var city: String?
    /// ISO 3166-1 alpha-2 country code, upper case.
    public var country: String?
    /// IANA time zone identifier.
    public var timeZone: String?
    public var stage: Stage = .customer
    public var source: Source?
    public var warmth: Int = 3
    public var offTheRecord = false
    public var advocate = false
    public var preferredChannel: Channel?
    public var cadenceDays: Int?
    /// Their business hours, in their zone; nil means the standard 09:00-18:00 on weekdays.
    public var hours: BusinessHours?
    /// Month and day, the year when known.
    public var birthday: Birthday?
    public var personas: [String] = []
    public var tags: [String] = []
    /// Markdown.
    public var notes: String = ""
    public var links: [String] = []
    public var fields: [String: String] = [:]

    public init(name: String) {
        self.name = name
    }

    /// Warmth as five dots, `●●●○○`.
    public var warmthDots: String {
        String(repeating: "●", count: warmth) + String(repeating: "○", count: max(0, 5 - warmth))
    }
}

/// A person in the PM's private circle, as stored.
public struct Person: Sendable, Codable, Equatable, Identifiable {
    public var id: PersonID
    public var details: PersonDetails
    public var doNotContact: DoNotContact?
    public var archived: Bool
    /// Out of `due` (and later `plan`) until this day, in the user's zone.
    public var snoozedUntil: CalendarDay?
    /// Out of `pick` and `plan` until this day after missing scheduled calls in a row.
    public var pausedUntil: CalendarDay?
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: PersonID, details: PersonDetails, doNotContact: DoNotContact? = nil,
        archived: Bool = false, snoozedUntil: CalendarDay? = nil, pausedUntil: CalendarDay? = nil, createdAt: Date, updatedAt: Date
    ) {
        self.pausedUntil = pausedUntil
        self.id = id
        self.details = details
        self.doNotContact = doNotContact
        self.archived = archived
        self.snoozedUntil = snoozedUntil
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var name: String { details.name }

    public var summary: PersonSummary { PersonSummary(id: id, name: details.name) }

    /// The first name, for greetings and templates.
    public var firstName: String {
        String(details.name.split(separator: " ").first ?? Substring(details.name))
    }

    /// The first phone not marked bad.
    public var callablePhone: ContactPoint? { details.phones.first { !$0.bad } }

    /// The first email not marked bad.
    public var mailableEmail: ContactPoint? { details.emails.first { !$0.bad } }

    /// A one-line label that tells people apart: `Dana Kim <dana@acme.com> (#12)`.
    public var disambiguationLabel: String {
        var parts = ["#\(id)", details.name]
        if let email = details.emails.first?.value { parts.append("<\(email)>") }
        if let company = details.company { parts.append("at \(company)") }
        return parts.joined(separator: " ")
    }

    private enum CodingKeys: String, CodingKey {
        case id, name, emails, phones, company, title, since, previousCompanies, city, country, timeZone, stage,
             source, warmth, offTheRecord, advocate, doNotContact, preferredChannel, cadenceDays, hours, birthday, personas, tags,
             notes, links, fields, archived, snoozedUntil, pausedUntil, createdAt, updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var d = PersonDetails(name: try c.decode(String.self, forKey: .name))
        d.emails = try c.decodeIfPresent([ContactPoint].self, forKey: .emails) ?? []
        d.phones = try c.decodeIfPresent([ContactPoint].self, forKey: .phones) ?? []
        d.company = try c.decodeIfPresent(String.self, forKey: .company)
        d.title = try c.decodeIfPresent(String.self, forKey: .title)
        d.since = try c.decodeIfPresent(String.self, forKey: .since)
        d.previousCompanies = try c.decodeIfPresent([String].self, forKey: .previousCompanies) ?? []
        d.city = try c.decodeIfPresent(String.self, forKey: .city)
        d.country = try c.decodeIfPresent(String.self, forKey: .country)
        d.timeZone = try c.decodeIfPresent(String.self, forKey: .timeZone)
        d.stage = try c.decodeIfPresent(Stage.self, forKey: .stage) ?? .customer
        d.source = try c.decodeIfPresent(Source.self, forKey: .source)
        d.warmth = try c.decodeIfPresent(Int.self, forKey: .warmth) ?? 3
        d.offTheRecord = try c.decodeIfPresent(Bool.self, forKey: .offTheRecord) ?? false
        d.advocate = try c.decodeIfPresent(Bool.self, forKey: .advocate) ?? false
        d.preferredChannel = try c.decodeIfPresent(Channel.self, forKey: .preferredChannel)
        d.cadenceDays = try c.decodeIfPresent(Int.self, forKey: .cadenceDays)
        d.hours = try c.decodeIfPresent(BusinessHours.self, forKey: .hours)
        d.birthday = try c.decodeIfPresent(Birthday.self, forKey: .birthday)
        d.personas = try c.decodeIfPresent([String].self, forKey: .personas) ?? []
        d.tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        d.notes = try c.decodeIfPresent(String.self, forKey: .notes) ?? ""
        d.links = try c.decodeIfPresent([String].self, forKey: .links) ?? []
        d.fields = try c.decodeIfPresent([String: String].self, forKey: .fields) ?? [:]
        self.init(
            id: try c.decode(PersonID.self, forKey: .id), details: d,
            doNotContact: try c.decodeIfPresent(DoNotContact.self, forKey: .doNotContact),
            archived: try c.decodeIfPresent(Bool.self, forKey: .archived) ?? false,
            snoozedUntil: try c.decodeIfPresent(CalendarDay.self, forKey: .snoozedUntil),
            pausedUntil: try c.decodeIfPresent(CalendarDay.self, forKey: .pausedUntil),
            createdAt: try c.decode(Date.self, forKey: .createdAt),
            updatedAt: try c.decode(Date.self, forKey: .updatedAt))
    }

    /// Encodes flat, with `null` for every unset field, so API clients see every key.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        let d = details
        try c.encode(id, forKey: .id)
        try c.encode(d.name, forKey: .name)
        try c.encode(d.emails, forKey: .emails)
        try c.encode(d.phones, forKey: .phones)
        try c.encode(d.company, forKey: .company)
        try c.encode(d.title, forKey: .title)
        try c.encode(d.since, forKey: .since)
        try c.encode(d.previousCompanies, forKey: .previousCompanies)
        try c.encode(d.city, forKey: .city)
        try c.encode(d.country, forKey: .country)
        try c.encode(d.timeZone, forKey: .timeZone)
        try c.encode(d.stage, forKey: .stage)
        try c.encode(d.source, forKey: .source)
        try c.encode(d.warmth, forKey: .warmth)
        try c.encode(d.offTheRecord, forKey: .offTheRecord)
        try c.encode(d.advocate, forKey: .advocate)
        try c.encode(doNotContact, forKey: .doNotContact)
        try c.encode(d.preferredChannel, forKey: .preferredChannel)
        try c.encode(d.cadenceDays, forKey: .cadenceDays)
        try c.encode(d.hours, forKey: .hours)
        try c.encode(d.birthday, forKey: .birthday)
        try c.encode(d.personas, forKey: .personas)
        try c.encode(d.tags, forKey: .tags)
        try c.encode(d.notes, forKey: .notes)
        try c.encode(d.links, forKey: .links)
        try c.encode(d.fields, forKey: .fields)
        try c.encode(archived, forKey: .archived)
        try c.encode(snoozedUntil, forKey: .snoozedUntil)
        try c.encode(pausedUntil, forKey: .pausedUntil)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}
