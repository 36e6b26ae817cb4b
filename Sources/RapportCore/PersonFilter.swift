/// Which people a list shows.
public struct PersonFilter: Sendable, Equatable {
    public var persona: String?
    public var tag: String?
    public var stage: Stage?
    public var company: String?
    public var advocate: Bool?
    public var offTheRecord: Bool?
    /// `false` (the default) lists active people; `true` lists only the archived.
    public var archived = false
    public var limit = 500
    /// How many matching people to pass over first, in name order (0 to ``Paging/maxOffset``).
    public var offset = 0

    public init(
        persona: String? = nil, tag: String? = nil, stage: Stage? = nil, company: String? = nil,
        advocate: Bool? = nil, offTheRecord: Bool? = nil, archived: Bool = false, limit: Int = 500
    ) {
        self.persona = persona
        self.tag = tag
        self.stage = stage
        self.company = company
        self.advocate = advocate
        self.offTheRecord = offTheRecord
        self.archived = archived
        self.limit = limit
    }
}

extension PersonFilter {
    /// Whether `person` passes every condition of this filter, the same ones the store's list applies
    /// (compared by matching key); used to narrow search results, which the index finds without filters.
    public func admits(_ person: Person) -> Bool {
        let d = person.details
        func same(_ a: String, _ b: String) -> Bool { a.matchingKey == b.matchingKey }
        if person.archived != archived { return false }
        if let persona, !d.personas.contains(where: { same($0, persona) }) { return false }
        if let tag, !d.tags.contains(where: { same($0, tag) }) { return false }
        if let stage, d.stage != stage { return false }
        if let company, d.company.map({ same($0, company) }) != true { return false }
        if let advocate, d.advocate != advocate { return false }
        if let offTheRecord, d.offTheRecord != offTheRecord { return false }
        return true
    }
}

/// A person found by search, with the fields the words were found in.
public struct PersonSearchHit: Sendable, Codable, Equatable {
    public var person: Person
    /// Field names, such as `name`, `company`, `notes`.
    public var matchedIn: [String]
    /// A short excerpt of the notes around the first match, when the notes matched.
    public var excerpt: String?

    public init(person: Person, matchedIn: [String], excerpt: String?) {
        self.person = person
        self.matchedIn = matchedIn
        self.excerpt = excerpt
    }

    /// Works out where `words` (index words, see ``SearchText/words(_:)``) occur in `person`, each as a word prefix.
    public static func locate(_ words: [String], in person: Person) -> PersonSearchHit {
        let d = person.details
        let fields: [(String, String)] = [
            ("name", d.name), ("company", d.company ?? ""), ("title", d.title ?? ""), ("city", d.city ?? ""), ("country", d.country ?? ""),
            ("email", d.emails.map(\.value).joined(separator: " ")), ("personas", d.personas.joined(separator: " ")),
            ("tags", d.tags.joined(separator: " ")), ("previousCompanies", d.previousCompanies.joined(separator: " ")),
            ("fields", d.fields.values.sorted().joined(separator: " ")), ("notes", d.notes),
        ]
        let matched = fields.filter { TextExcerpt.matches(words, in: $0.1) }.map(\.0)
        let excerpt = matched.contains("notes") ? TextExcerpt.around(words, in: d.notes) : nil
        return PersonSearchHit(person: person, matchedIn: matched, excerpt: excerpt)
    }
}

/// Where search words occur in a text, and a line around the first one.
public enum TextExcerpt {
    /// Whether any of `words` (index words, see ``SearchText/words(_:)``) starts an index word of `text`.
    public static func matches(_ words: [String], in text: String) -> Bool {
        SearchText.matches(words, in: text)
    }

    /// About 100 characters of `text` around the first word that matches one of `words`, on one line; nil when none
    /// does. The text is walked word by word as written, so the excerpt is cut where the match really is, however
    /// much keying changed the length of the letters before it.
    public static func around(_ words: [String], in text: String) -> String? {
        var hit: Range<String.Index>?
        var runStart: String.Index?
        var index = text.startIndex
        while index <= text.endIndex {
            let isWord = index < text.endIndex && text[index].unicodeScalars.first.map(SearchText.isWordScalar) == true
            if isWord, runStart == nil { runStart = index }
            if !isWord, let start = runStart {
                if SearchText.matches(words, in: String(text[start..<index])) { hit = start..<index; break }
                runStart = nil
            }
            if index == text.endIndex { break }
            index = text.index(after: index)
        }
        guard let hit else { return nil }
        let start = text.index(hit.lowerBound, offsetBy: -40, limitedBy: text.startIndex) ?? text.startIndex
        let end = text.index(start, offsetBy: 100, limitedBy: text.endIndex) ?? text.endIndex
        return (start > text.startIndex ? "…" : "") + text[start..<end].replacing("\n", with: " ") + (end < text.endIndex ? "…" : "")
    }
}
