import Crypto
import Foundation
import RapportCore

/// Writes people as vCards: RFC 6350 (4.0) by default, RFC 2426 (3.0) on request. Every value is escaped
/// (`Dupont\, Fils & Cie`), lines end in CRLF and fold at 75 octets without splitting a letter, and each card has a
/// `UID` that stays the same for the same person across exports. Rapport's own fields ride along as
/// `X-RAPPORT-…` properties, so an export imported again gives the same people.
public enum VCardWriter {
    public enum Version: String, Sendable, CaseIterable {
        case v4 = "4.0", v3 = "3.0"
    }

    /// The cards of `people`, one after another.
    public static func file(_ people: [Person], version: Version = .v4, owner: AccountID) -> String {
        people.map { card($0, version: version, owner: owner) }.joined()
    }

    /// One card.
    public static func card(_ person: Person, version: Version = .v4, owner: AccountID) -> String {
        let d = person.details
        var lines = ["BEGIN:VCARD", "VERSION:\(version.rawValue)"]
        lines.append("UID:" + (version == .v4 ? "urn:uuid:" : "") + uid(person.id, owner: owner))
        lines.append("FN:" + ContentLine.escape(d.name))
        // N is family;given;additional;prefix;suffix: the last word is taken as the family name.
        let words = d.name.split(separator: " ").map(String.init)
        let family = words.count > 1 ? words.last! : d.name
        let given = words.count > 1 ? words.dropLast().joined(separator: " ") : ""
        lines.append("N:" + [family, given, "", "", ""].map(ContentLine.escape).joined(separator: ";"))
        var group = 0
        func contact(_ name: String, _ point: ContactPoint, index: Int) {
            let standard = ["work", "home", "other", "mobile", "fax", "pager"]
            var params = ""
            var prefix = ""
            if standard.contains(point.label) {
                let type = point.label == "mobile" ? "cell" : point.label
                params = ";TYPE=" + (index == 0 ? (version == .v4 ? type + ";PREF=1" : type + ",pref") : type)
            } else {
                // A label of the user's own, as Apple and Google write one: a group with an X-ABLabel.
                group += 1
                prefix = "item\(group)."
                if index == 0 { params = version == .v4 ? ";PREF=1" : ";TYPE=pref" }
            }
            let value = name == "TEL" && version == .v4 ? ";VALUE=text:" : ":"
            lines.append(prefix + name + params + value + ContentLine.escape(point.value))
            if !prefix.isEmpty { lines.append(prefix + "X-ABLabel:" + ContentLine.escape(point.label)) }
        }
        for (index, email) in d.emails.enumerated() { contact("EMAIL", email, index: index) }
        for (index, phone) in d.phones.enumerated() { contact("TEL", phone, index: index) }
        if let company = d.company { lines.append("ORG:" + ContentLine.escape(company)) }
        if let title = d.title { lines.append("TITLE:" + ContentLine.escape(title)) }
        if d.city != nil || d.country != nil {
            lines.append("ADR:" + ["", "", "", d.city ?? "", "", "", d.country ?? ""].map(ContentLine.escape).joined(separator: ";"))
        }
        if let birthday = d.birthday {
            lines.append("BDAY:" + (version == .v4 ? birthday.basic : birthday.description))
        }
        if let zone = d.timeZone { lines.append("TZ" + (version == .v4 ? ";VALUE=text:" : ":") + ContentLine.escape(zone)) }
        for link in d.links { lines.append("URL:" + link) }
        if !d.tags.isEmpty { lines.append("CATEGORIES:" + d.tags.map(ContentLine.escape).joined(separator: ",")) }
        if !d.notes.isEmpty { lines.append("NOTE:" + ContentLine.escape(d.notes)) }
        typealias X = RapportVCardProperty
        lines.append(X.stage + ":" + d.stage.rawValue)
        lines.append(X.warmth + ":\(d.warmth)")
        if let source = d.source { lines.append(X.source + ":" + source.rawValue) }
        if let channel = d.preferredChannel { lines.append(X.channel + ":" + channel.rawValue) }
        if let cadence = d.cadenceDays { lines.append(X.cadence + ":\(cadence)") }
        if let hours = d.hours { lines.append(X.hours + ":\(hours)") }
        if let since = d.since { lines.append(X.since + ":" + since) }
        for company in d.previousCompanies { lines.append(X.previous + ":" + ContentLine.escape(company)) }
        for persona in d.personas { lines.append(X.persona + ":" + ContentLine.escape(persona)) }
        if d.offTheRecord { lines.append(X.offTheRecord + ":true") }
        if d.advocate { lines.append(X.advocate + ":true") }
        for key in d.fields.keys.sorted() {
            lines.append(X.field + ";X-KEY=\"\(key)\":" + ContentLine.escape(d.fields[key] ?? ""))
        }
        lines.append("END:VCARD")
        return lines.flatMap(ContentLine.fold).joined(separator: "\r\n") + "\r\n"
    }

    /// A name-based UUID (RFC 4122 version 5, SHA-1) of the person within the account: the same for the same
    /// person in every export.
    static func uid(_ id: PersonID, owner: AccountID) -> String {
        // The RFC 4122 URL namespace, and a name only this person has.
        var bytes: [UInt8] = [0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8]
        bytes += Array("rapport:account:\(owner.rawValue):person:\(id.rawValue)".utf8)
        var hash = Array(Insecure.SHA1.hash(data: bytes).prefix(16))
        hash[6] = (hash[6] & 0x0F) | 0x50
        hash[8] = (hash[8] & 0x3F) | 0x80
        let hex = hash.map { String(format: "%02x", $0) }.joined()
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }
}
