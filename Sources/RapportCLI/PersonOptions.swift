import ArgumentParser
import RapportCore

extension Stage: ExpressibleByArgument {}
extension Source: ExpressibleByArgument {}
extension Channel: ExpressibleByArgument {}

/// The options that set a person's fields, shared by `people add` and `people edit`.
struct PersonOptions: ParsableArguments {
    @Option(name: .customLong("email"), help: "An email; `home:dana@example.com` gives it a label. Repeatable.")
    var emails: [String] = []
    @Option(name: .customLong("phone"), help: "A phone number with country code; `mobile:+49 30 1234567` labels it. Repeatable.")
    var phones: [String] = []
    @Option(help: "Their company (an empty value clears it).")
    var company: String?
    @Option(help: "Their job title, e.g. \"Head of Operations\".")
    var title: String?
    @Option(help: "When they joined their company: YYYY, YYYY-MM or YYYY-MM-DD.")
    var since: String?
    @Option(name: .customLong("previous"), help: "A company they worked at before. Repeatable.")
    var previous: [String] = []
    @Option(help: "Their city; also used to infer the time zone.")
    var city: String?
    @Option(help: "Their country, a two-letter ISO code such as DE or US.")
    var country: String?
    @Option(name: .customLong("tz"), help: "Their IANA time zone, e.g. Europe/Berlin (inferred from city or phone when missing).")
    var timeZone: String?
    @Option(help: "customer, prospect, former, partner or other.")
    var stage: Stage?
    @Option(help: "How you met: they-contacted-me, support, sales-intro, event, referral or outreach.")
    var source: Source?
    @Option(help: "How warm the relationship is, 1 (cold) to 5 (close).")
    var warmth: Int?
    @Flag(name: .customLong("off-record"), inversion: .prefixedNo, help: "You can call them off the record.")
    var offRecord: Bool?
    @Flag(inversion: .prefixedNo, help: "They are an advocate who helps with betas and prototypes.")
    var advocate: Bool?
    @Option(help: "Preferred channel: email, phone, video, chat or in-person.")
    var channel: Channel?
    @Option(help: "Contact them every DAYS days (0 on edit: use the stage's default).")
    var cadence: Int?
    @Option(help: "Their business hours in their zone, HH:MM-HH:MM such as 08:00-16:00 (weekdays; default 09:00-18:00; \"default\" on edit resets).")
    var hours: String?
    @Option(help: "Their birthday: 1985-04-15, or 04-15 without the year (\"\" on edit clears it).")
    var birthday: String?
    @Option(name: .customLong("persona"), help: "A persona they belong to (must exist). Repeatable.")
    var personas: [String] = []
    @Option(name: .customLong("tag"), help: "A tag. Repeatable.")
    var tags: [String] = []
    @Option(help: "Markdown notes (replaces the notes on edit).")
    var note: String?
    @Option(name: .customLong("link"), help: "A web link (https://...). Repeatable.")
    var links: [String] = []
    @Option(name: .customLong("field"), help: "A custom field as KEY=VALUE. Repeatable.")
    var fields: [String] = []

    init() {}

    func validate() throws {
        for field in fields where !field.contains("=") {
            throw ValidationError("--field \"\(field)\" needs the form KEY=VALUE, e.g. --field \"plan=Enterprise\"")
        }
    }

    /// The change these options describe; list options add to what is there. Fails, naming the field, on bad hours.
    /// An empty value (`--company ""`) clears a field; `--cadence 0` and `--hours default` go back to the defaults.
    func patch() throws -> PersonPatch {
        var p = PersonPatch()
        func change(_ text: String?) -> FieldChange<String>? {
            text.map { $0.trimmed.isEmpty ? .clear : .set($0) }
        }
        if let hours {
            let text = hours.trimmed.lowercased()
            p.hours = text.isEmpty || text == "default" ? .clear : .set(try BusinessHours.parse(hours))
        }
        if let birthday { p.birthday = birthday.trimmed.isEmpty ? .clear : .set(try Birthday.parse(birthday)) }
        p.emails.added = emails.map { ContactPoint.parse($0) }
        p.phones.added = phones.map { ContactPoint.parse($0) }
        p.company = change(company)
        p.title = change(title)
        p.since = change(since)
        p.previousCompanies.added = previous
        p.city = change(city)
        p.country = change(country)
        p.timeZone = change(timeZone)
        p.stage = stage
        p.source = source.map(FieldChange.set)
        p.warmth = warmth
        p.offTheRecord = offRecord
        p.advocate = advocate
        p.preferredChannel = channel.map(FieldChange.set)
        p.cadenceDays = cadence.map { $0 == 0 ? .clear : .set($0) }
        p.personas.added = personas
        p.tags.added = tags
        p.notes = note
        p.links.added = links
        for field in fields {
            let parts = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            p.fieldChanges[String(parts[0])] = parts.count > 1 ? String(parts[1]) : ""
        }
        return p
    }
}
