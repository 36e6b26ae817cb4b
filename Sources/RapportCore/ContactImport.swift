/// One contact read from a file (a CSV row, a vCard), before it meets the circle.
public struct ImportedContact: Sendable, Equatable {
    /// Where it starts in the file, from 1, for messages.
    public var line: Int
    public var details: PersonDetails
    /// Why it cannot be imported at all (nothing to name it by, a card that never ends); nil when it can.
    public var skip: String?
    /// What was done with values that could not be read (kept as custom fields), for the report.
    public var warnings: [String]

    public init(line: Int, details: PersonDetails, skip: String? = nil, warnings: [String] = []) {
        self.line = line
        self.details = details
        self.skip = skip
        self.warnings = warnings
    }
}

/// Contacts read one at a time, so a file of any size is never held whole. The store pulls from it inside the
/// import's transaction.
public protocol ContactSource: Sendable {
    /// The next contact, or nil at the end.
    ///
    /// - Throws: ``RapportError`` when the file cannot be read further (the import then writes nothing).
    func next() throws -> ImportedContact?
}

/// What an import does beyond each contact's own fields.
public struct ImportOptions: Sendable, Equatable {
    /// Added to every contact, created or updated.
    public var personas: [String] = []
    public var tags: [String] = []
    /// The stage of the people created (and of those updated, with ``overwrite``).
    public var stage: Stage?
    /// Write a contact's values over filled fields of the person it matches; otherwise only empty fields fill.
    public var overwrite = false
    /// Work everything out and report it, write nothing.
    public var dryRun = false

    public init() {}
}

/// What an import did (or, on a dry run, would do).
public struct ImportSummary: Sendable, Codable, Equatable {
    public struct Created: Sendable, Codable, Equatable {
        public var line: Int
        public var person: PersonSummary
        public init(line: Int, person: PersonSummary) { (self.line, self.person) = (line, person) }
    }

    public struct Updated: Sendable, Codable, Equatable {
        public var line: Int
        public var person: PersonSummary
        /// The fields that gained something: `emails`, `title`, `tags`…
        public var fields: [String]
        public init(line: Int, person: PersonSummary, fields: [String]) { (self.line, self.person, self.fields) = (line, person, fields) }
    }

    public struct Skipped: Sendable, Codable, Equatable {
        public var line: Int
        public var reason: String
        public init(line: Int, reason: String) { (self.line, self.reason) = (line, reason) }
    }

    /// A contact created although someone stored has the same name: likely one person, to merge.
    public struct Duplicate: Sendable, Codable, Equatable {
        public var line: Int
        public var person: PersonSummary
        public var sameAs: PersonSummary
        public init(line: Int, person: PersonSummary, sameAs: PersonSummary) { (self.line, self.person, self.sameAs) = (line, person, sameAs) }
    }

    public struct Warning: Sendable, Codable, Equatable {
        public var line: Int
        public var message: String
        public init(line: Int, message: String) { (self.line, self.message) = (line, message) }
    }

    public var dryRun: Bool
    public var created: [Created] = []
    public var updated: [Updated] = []
    /// Rows of the file that went into a person an earlier row of the same file made or updated.
    public var mergedRows = 0
    public var unchanged = 0
    public var skipped: [Skipped] = []
    public var duplicates: [Duplicate] = []
    public var warnings: [Warning] = []

    public init(dryRun: Bool) {
        self.dryRun = dryRun
    }

    /// "Created 140, updated 8, unchanged 2, skipped 3 (see below)".
    public var headline: String {
        let verb = dryRun ? "Would create" : "Created"
        var parts = ["\(verb) \(created.count)", "update \(updated.count)"]
        if !dryRun { parts[1] = "updated \(updated.count)" }
        if mergedRows > 0 { parts.append("\(mergedRows) rows merged into earlier rows") }
        if unchanged > 0 { parts.append("\(unchanged) already up to date") }
        parts.append("\(dryRun ? "skip" : "skipped") \(skipped.count)")
        return parts.joined(separator: ", ")
    }
}

/// How a contact that matches a stored person changes them: empty fields fill, lists gain what is new, filled
/// fields keep their value unless `overwrite`.
public enum ContactMerge {
    /// The patch that brings `contact`'s values to `stored`, and the names of the fields it changes.
    public static func patch(_ stored: PersonDetails, with contact: PersonDetails, overwrite: Bool) -> (PersonPatch, [String]) {
        var p = PersonPatch()
        var fields: [String] = []
        func fill<T: Equatable & Sendable>(_ name: String, _ mine: T?, _ theirs: T?, _ set: (FieldChange<T>) -> Void) {
            guard let theirs, mine != theirs, mine == nil || overwrite else { return }
            set(.set(theirs))
            fields.append(name)
        }
        if overwrite, contact.name.matchingKey != stored.name.matchingKey, !contact.name.isEmpty {
            p.name = contact.name
            fields.append("name")
        }
        fill("company", stored.company, contact.company) { p.company = $0 }
        fill("title", stored.title, contact.title) { p.title = $0 }
        fill("since", stored.since, contact.since) { p.since = $0 }
        fill("city", stored.city, contact.city) { p.city = $0 }
        fill("country", stored.country, contact.country) { p.country = $0 }
        fill("timeZone", stored.timeZone, contact.timeZone) { p.timeZone = $0 }
        fill("source", stored.source, contact.source) { p.source = $0 }
        fill("preferredChannel", stored.preferredChannel, contact.preferredChannel) { p.preferredChannel = $0 }
        fill("hours", stored.hours, contact.hours) { p.hours = $0 }
        fill("birthday", stored.birthday, contact.birthday) { p.birthday = $0 }
        func add<T>(_ name: String, _ mine: [T], _ theirs: [T], key: (T) -> String, _ set: ([T]) -> Void) {
            let have = Set(mine.map(key))
            let new = theirs.filter { !have.contains(key($0)) }
            if !new.isEmpty { set(new); fields.append(name) }
        }
        add("emails", stored.emails, contact.emails, key: { TextIdentity.emailKey($0.value) }) { p.emails.added = $0 }
        add("phones", stored.phones, contact.phones, key: { PhoneNumber.key($0.value) }) { p.phones.added = $0 }
        add("previousCompanies", stored.previousCompanies, contact.previousCompanies, key: TextIdentity.key) { p.previousCompanies.added = $0 }
        add("personas", stored.personas, contact.personas, key: TextIdentity.key) { p.personas.added = $0 }
        add("tags", stored.tags, contact.tags, key: TextIdentity.key) { p.tags.added = $0 }
        add("links", stored.links, contact.links, key: { $0 }) { p.links.added = $0 }
        if !contact.notes.trimmed.isEmpty, contact.notes.trimmed != stored.notes.trimmed, stored.notes.trimmed.isEmpty || overwrite {
            p.notes = contact.notes
            fields.append("notes")
        }
        var newFields: [String: String?] = [:]
        for (key, value) in contact.fields where stored.fields[key] != value && (stored.fields[key] == nil || overwrite) {
            newFields[key] = value
        }
        if !newFields.isEmpty { p.fieldChanges = newFields; fields.append("fields") }
        return (p, fields)
    }
}
