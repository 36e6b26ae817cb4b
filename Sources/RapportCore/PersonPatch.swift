/// A change to a person: only the fields it names change, so an interface that does not show a field can never
/// erase it. The CLI's options, the web form and the API's merge patch (RFC 7396) each make one; the store applies
/// it to the person as stored, inside the write's transaction.
public struct PersonPatch: Sendable, Equatable {
    public var name: String?
    public var emails = ListChange<ContactPoint>()
    public var phones = ListChange<ContactPoint>()
    public var company: FieldChange<String>?
    public var title: FieldChange<String>?
    public var since: FieldChange<String>?
    public var previousCompanies = ListChange<String>()
    public var city: FieldChange<String>?
    public var country: FieldChange<String>?
    public var timeZone: FieldChange<String>?
    public var stage: Stage?
    public var source: FieldChange<Source>?
    public var warmth: Int?
    public var offTheRecord: Bool?
    public var advocate: Bool?
    public var preferredChannel: FieldChange<Channel>?
    public var cadenceDays: FieldChange<Int>?
    /// Business hours; `.clear` goes back to the standard 09:00-18:00 on weekdays.
    public var hours: FieldChange<BusinessHours>?
    public var birthday: FieldChange<Birthday>?
    public var personas = ListChange<String>()
    public var tags = ListChange<String>()
    /// New notes, replacing the old (Markdown).
    public var notes: String?
    /// Markdown added at the end of the notes, after ``notes`` if both are given.
    public var appendedNotes: String?
    public var links = ListChange<String>()
    /// Custom fields: the whole new set, when given; then each key set to a value, or removed (nil).
    public var fields: [String: String]?
    public var fieldChanges: [String: String?] = [:]
    /// Archive (true) or bring back (false).
    public var archived: Bool?
    /// Mark do-not-contact with a reason, or clear the mark.
    public var doNotContact: FieldChange<String>?

    public init() {}

    /// `details` with this patch made. Emails compare by ``TextIdentity/emailKey(_:)``, phones by
    /// ``PhoneNumber/key(_:)``, every other list by ``TextIdentity/key(_:)``.
    public func applied(to details: PersonDetails) -> PersonDetails {
        var d = details
        if let name { d.name = name }
        d.emails = emails.applied(to: d.emails) { TextIdentity.emailKey($0.value) }
        d.phones = phones.applied(to: d.phones) { PhoneNumber.key($0.value) }
        d.company = d.company.changed(by: company)
        d.title = d.title.changed(by: title)
        d.since = d.since.changed(by: since)
        d.previousCompanies = previousCompanies.applied(to: d.previousCompanies, key: TextIdentity.key)
        d.city = d.city.changed(by: city)
        d.country = d.country.changed(by: country)
        d.timeZone = d.timeZone.changed(by: timeZone)
        if let stage { d.stage = stage }
        d.source = d.source.changed(by: source)
        if let warmth { d.warmth = warmth }
        if let offTheRecord { d.offTheRecord = offTheRecord }
        if let advocate { d.advocate = advocate }
        d.preferredChannel = d.preferredChannel.changed(by: preferredChannel)
        d.cadenceDays = d.cadenceDays.changed(by: cadenceDays)
        d.hours = d.hours.changed(by: hours)
        d.birthday = d.birthday.changed(by: birthday)
        d.personas = personas.applied(to: d.personas, key: TextIdentity.key)
        d.tags = tags.applied(to: d.tags, key: TextIdentity.key)
        if let notes { d.notes = notes }
        if let more = appendedNotes, !more.trimmed.isEmpty { d.notes = d.notes.trimmed.isEmpty ? more : d.notes + "\n\n" + more }
        d.links = links.applied(to: d.links) { $0 }
        if let fields { d.fields = fields }
        for (key, value) in fieldChanges {
            // A field is named in any case or accents (`--remove-field größe` removes "Größe").
            let stored = d.fields.keys.first { $0.matchingKey == key.matchingKey } ?? key
            d.fields[stored] = nil
            if let value { d.fields[stored] = value }
        }
        return d
    }
}
