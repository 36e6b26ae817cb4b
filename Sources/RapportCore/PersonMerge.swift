#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// How two records of one person become one, keeping everything of both.
public enum PersonMerge {
    /// The details of `target` with everything of `source` added.
    ///
    /// The target's single values win where both have one; a differing company of the source joins the previous
    /// companies; lists are joined without repeats; a custom field both have under one key keeps the source's value
    /// under `key (from Source Name)`; notes are joined under a heading; warmth takes the higher, cadence the shorter;
    /// advocate and off-the-record are kept if either had them.
    public static func merged(_ target: PersonDetails, with source: PersonDetails) -> PersonDetails {
        var d = target
        d.emails = union(target.emails, source.emails) { TextIdentity.emailKey($0.value) }
        d.phones = union(target.phones, source.phones) { PhoneNumber.key($0.value) }
        d.company = target.company ?? source.company
        d.title = target.title ?? source.title
        d.since = target.since ?? source.since
        var previous = target.previousCompanies + source.previousCompanies
        if let theirs = source.company, let ours = d.company, theirs.matchingKey != ours.matchingKey {
            previous.append(theirs)
        }
        d.previousCompanies = union(previous, []) { $0.matchingKey }
        d.city = target.city ?? source.city
        d.country = target.country ?? source.country
        d.timeZone = target.timeZone ?? source.timeZone
        d.source = target.source ?? source.source
        d.warmth = max(target.warmth, source.warmth)
        d.offTheRecord = target.offTheRecord || source.offTheRecord
        d.advocate = target.advocate || source.advocate
        d.preferredChannel = target.preferredChannel ?? source.preferredChannel
        d.cadenceDays = [target.cadenceDays, source.cadenceDays].compactMap { $0 }.min()
        d.hours = target.hours ?? source.hours
        d.birthday = target.birthday ?? source.birthday
        d.personas = union(target.personas, source.personas) { $0.matchingKey }
        d.tags = union(target.tags, source.tags) { $0.matchingKey }
        d.links = union(target.links, source.links) { $0 }
        for (key, value) in source.fields {
            if let existing = d.fields[key], existing != value {
                d.fields["\(key) (from \(source.name))"] = value
            } else {
                d.fields[key] = value
            }
        }
        if !source.notes.isEmpty {
            let heading = "## Merged from \(source.name)\n\n\(source.notes)"
            d.notes = target.notes.isEmpty ? heading : target.notes + "\n\n" + heading
        }
        return d
    }

    static func union<T>(_ a: [T], _ b: [T], key: (T) -> String) -> [T] {
        var seen = Set<String>()
        return (a + b).filter { seen.insert(key($0)).inserted }
    }
}
