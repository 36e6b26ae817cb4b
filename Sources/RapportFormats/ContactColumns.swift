import Foundation
import RapportCore

/// What a column of a contacts CSV holds, and so which of a person's fields it fills.
public enum ContactColumn: Sendable, Hashable, Codable {
    case name, firstName, middleName, lastName, nickname
    /// An email, with a label (`work`), or the column holding its label.
    case email(label: String?, labelColumn: Int?)
    case phone(label: String?, labelColumn: Int?)
    /// The label of the email or phone in another column (Google's "E-mail 1 - Label").
    case label
    case company, title, city, country, timeZone, notes, birthday, tags, link, stage
    /// Rapport's own columns, as `rapport export --format csv` writes them.
    case since, previousCompanies, hours, source, warmth, offTheRecord, advocate, channel, cadence, personas
    /// Kept as a custom field under this key.
    case custom(String)
    case ignore

    /// How the mapping reads to a person: `email (work)`, `first name`, `custom field "Plan"`.
    public var description: String {
        switch self {
        case .name: return "name"
        case .firstName: return "first name"
        case .middleName: return "middle name"
        case .lastName: return "last name"
        case .nickname: return "nickname (the name when there is no other)"
        case .email(let label, let column): return "email" + (label.map { " (\($0))" } ?? column.map { _ in " (labelled by its label column)" } ?? "")
        case .phone(let label, let column): return "phone" + (label.map { " (\($0))" } ?? column.map { _ in " (labelled by its label column)" } ?? "")
        case .label: return "label of the email or phone beside it"
        case .company: return "company"
        case .title: return "title"
        case .city: return "city"
        case .country: return "country"
        case .timeZone: return "time zone"
        case .notes: return "notes"
        case .birthday: return "birthday"
        case .tags: return "tags"
        case .link: return "link"
        case .stage: return "stage"
        case .since: return "at the company since"
        case .previousCompanies: return "previous companies"
        case .hours: return "business hours"
        case .source: return "how you met"
        case .warmth: return "warmth"
        case .offTheRecord: return "off the record"
        case .advocate: return "advocate"
        case .channel: return "preferred channel"
        case .cadence: return "cadence (days)"
        case .personas: return "personas"
        case .custom(let key): return "custom field \"\(key)\""
        case .ignore: return "ignored"
        }
    }

    /// This column as `--map` writes it (`email:work`, `field:Plan`); nil for what only detection finds (a label
    /// column, Rapport's own export columns).
    public var mapValue: String? {
        switch self {
        case .name: return "name"
        case .firstName: return "first-name"
        case .middleName: return "middle-name"
        case .lastName: return "last-name"
        case .nickname: return "nickname"
        case .email(let label, nil): return "email" + (label.map { ":" + $0 } ?? "")
        case .phone(let label, nil): return "phone" + (label.map { ":" + $0 } ?? "")
        case .company: return "company"
        case .title: return "title"
        case .city: return "city"
        case .country: return "country"
        case .timeZone: return "time-zone"
        case .notes: return "notes"
        case .birthday: return "birthday"
        case .tags: return "tags"
        case .link: return "link"
        case .stage: return "stage"
        case .custom(let key): return "field:" + key
        case .ignore: return "ignore"
        default: return nil
        }
    }

    /// The names `--map COLUMN=FIELD` takes.
    public static let mapNames = ["name", "first-name", "middle-name", "last-name", "nickname", "email", "phone", "company",
                                  "title", "city", "country", "time-zone", "notes", "birthday", "tags", "link", "stage", "ignore"]

    /// Reads a `--map` field: one of ``mapNames``, `email:LABEL`, `phone:LABEL` or `field:KEY`.
    public static func parse(_ text: String) throws -> ContactColumn {
        let t = text.trimmed
        if t.lowercased().hasPrefix("field:"), case let key = String(t.dropFirst(6)).trimmed, !key.isEmpty { return .custom(key) }
        if t.lowercased().hasPrefix("email:") { return .email(label: String(t.dropFirst(6)).trimmed.lowercased(), labelColumn: nil) }
        if t.lowercased().hasPrefix("phone:") { return .phone(label: String(t.dropFirst(6)).trimmed.lowercased(), labelColumn: nil) }
        let byName: [String: ContactColumn] = [
            "name": .name, "first-name": .firstName, "middle-name": .middleName, "last-name": .lastName, "nickname": .nickname,
            "email": .email(label: nil, labelColumn: nil), "phone": .phone(label: nil, labelColumn: nil), "company": .company,
            "title": .title, "city": .city, "country": .country, "time-zone": .timeZone, "notes": .notes, "birthday": .birthday,
            "tags": .tags, "link": .link, "stage": .stage, "ignore": .ignore,
        ]
        guard let column = byName[t.lowercased()] else {
            let hint = ClosestNames.to(t, among: mapNames, maxDistance: 3, limit: 1).first.map { "did you mean \($0)? " } ?? ""
            throw RapportError.invalid("map", "\"\(t)\" is not a field; \(hint)use one of \(mapNames.joined(separator: ", ")), email:LABEL, phone:LABEL or field:KEY")
        }
        return column
    }
}

/// The vendor exports Rapport knows by their columns.
public enum ContactPreset: String, Sendable, Codable, CaseIterable {
    /// The vendor's name for it: "Google Contacts", "LinkedIn".
    public var label: String {
        switch self {
        case .google: return "Google Contacts"
        case .outlook: return "Outlook"
        case .linkedin: return "LinkedIn"
        case .hubspot: return "HubSpot"
        case .salesforce: return "Salesforce"
        }
    }

    case google, outlook, linkedin, hubspot, salesforce

    /// The preset whose columns these headers are, if any.
    public static func detect(_ headers: [String]) -> ContactPreset? {
        let keys = Set(headers.map(ContactHeaders.key))
        if keys.contains("connectedon") { return .linkedin }
        if keys.contains("email1value") || keys.contains("phone1value") || keys.contains("organization1name")
            || (keys.contains("givenname") && keys.contains("familyname")) || keys.contains("organizationname") { return .google }
        if keys.contains("recordid") || keys.contains("lifecyclestage") || keys.contains("contactowner") { return .hubspot }
        if keys.contains("accountname") || keys.contains("mailingcity") || keys.contains("salutation") || keys.contains("contactid") { return .salesforce }
        if keys.contains("emailaddress") && (keys.contains("businessphone") || keys.contains("jobtitle") || keys.contains("email2address")) { return .outlook }
        return nil
    }
}

/// Reads a header row into columns: by the preset's own names, then by common names.
public enum ContactHeaders {
    /// A header's matching key without spaces and punctuation: "E-mail 1 - Value" → "email1value".
    static func key(_ header: String) -> String {
        String(header.matchingKey.unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }.map(Character.init))
    }

    /// Whether this row looks like a header: at least two columns Rapport knows.
    public static func looksLikeHeader(_ row: [String]) -> Bool {
        row.filter { common[key($0)] != nil || numbered(key($0)) != nil }.count >= 2
    }

    /// What each header holds. Unknown headers become custom fields under their own name.
    public static func columns(_ headers: [String], preset: ContactPreset?) -> [ContactColumn] {
        let keys = headers.map(key)
        // First what each column is on its own; then each numbered email or phone finds its label column.
        let own: [ContactColumn?] = keys.enumerated().map { index, k in
            if k.isEmpty { return .ignore }
            if let special = preset.flatMap({ presetColumn(k, $0) }) { return special }
            if let (_, _, part) = numbered(k) { return ["label", "type"].contains(part) ? .label : nil }
            // "Field: plan", as the CSV export writes custom fields.
            if headers[index].lowercased().hasPrefix("field:") { return .custom(customKey(String(headers[index].dropFirst(6)))) }
            return common[k] ?? .custom(customKey(headers[index]))
        }
        return keys.enumerated().map { index, k in
            if let column = own[index] { return column }
            guard let (kind, number, _) = numbered(k) else { return .custom(customKey(headers[index])) }
            let labelIndex = keys.indices.first { i in
                own[i] == .label && numbered(keys[i]).map { $0.0 == kind && $0.1 == number } == true
            }
            return kind == "phone" ? .phone(label: labelIndex == nil ? "work" : nil, labelColumn: labelIndex)
                : .email(label: labelIndex == nil ? "work" : nil, labelColumn: labelIndex)
        }
    }

    /// Google's and Outlook's numbered columns: `email1value` → ("email", "1", "value"), `email2address` → ("email", "2", "address").
    static func numbered(_ k: String) -> (String, String, String)? {
        for kind in ["email", "phone"] where k.hasPrefix(kind) {
            let rest = k.dropFirst(kind.count)
            let number = rest.prefix { $0.isNumber }
            let part = String(rest.dropFirst(number.count))
            if ["value", "label", "type", "address", "number"].contains(part) {
                return (kind, number.isEmpty ? "1" : String(number), part)
            }
        }
        return nil
    }

    /// A custom field key from a header: letters, digits, spaces and `- _ .` only, at most 64 characters.
    public static func customKey(_ header: String) -> String {
        let kept = header.map { $0.isLetter || $0.isNumber || "_-. ".contains($0) ? $0 : " " }
        let collapsed = String(kept).split(separator: " ").joined(separator: " ")
        return String(collapsed.prefix(64)).trimmed.nilIfEmpty ?? "column"
    }

    /// Columns a preset names its own way (where a common name would mislead, such as Outlook's "Title").
    static func presetColumn(_ k: String, _ preset: ContactPreset) -> ContactColumn? {
        switch (preset, k) {
        case (.outlook, "title"): return .custom("Name prefix")
        case (.outlook, "businessphone"), (.outlook, "businessphone2"), (.outlook, "companymainphone"): return .phone(label: "work", labelColumn: nil)
        case (.outlook, "homephone"), (.outlook, "homephone2"): return .phone(label: "home", labelColumn: nil)
        case (.outlook, "mobilephone"): return .phone(label: "mobile", labelColumn: nil)
        case (.outlook, "otherphone"): return .phone(label: "other", labelColumn: nil)
        case (.outlook, "emailtype"), (.outlook, "email2type"), (.outlook, "email3type"), (.outlook, "emaildisplayname"),
             (.outlook, "email2displayname"), (.outlook, "email3displayname"): return .ignore
        case (.outlook, "businesscity"), (.outlook, "homecity"), (.outlook, "othercity"): return .city
        case (.outlook, "businesscountryregion"), (.outlook, "homecountryregion"), (.outlook, "othercountryregion"): return .country
        case (.outlook, "categories"): return .tags
        case (.outlook, "webpage"): return .link
        case (.google, "photo"), (.google, "fileas"): return .ignore
        case (.google, "labels"), (.google, "groupmembership"): return .tags
        case (.google, _) where k.hasPrefix("phonetic") || k.hasPrefix("yomi"): return .ignore
        case (.google, _) where k.hasPrefix("organization") && k.hasSuffix("name"): return .company
        case (.google, _) where k.hasPrefix("organization") && k.hasSuffix("title"): return .title
        case (.google, _) where k.hasPrefix("address") && k.hasSuffix("city"): return .city
        case (.google, _) where k.hasPrefix("address") && k.hasSuffix("country"): return .country
        case (.google, _) where k.hasPrefix("website") && k.hasSuffix("value"): return .link
        case (.google, _) where k.hasPrefix("website") && (k.hasSuffix("label") || k.hasSuffix("type")): return .ignore
        case (.linkedin, "url"): return .link
        case (.linkedin, "position"): return .title
        case (.hubspot, "phonenumber"): return .phone(label: "work", labelColumn: nil)
        case (.hubspot, "mobilephonenumber"): return .phone(label: "mobile", labelColumn: nil)
        case (.hubspot, "lifecyclestage"): return .stage
        case (.salesforce, "mobile"), (.salesforce, "mobilephone"): return .phone(label: "mobile", labelColumn: nil)
        case (.salesforce, "homephone"): return .phone(label: "home", labelColumn: nil)
        case (.salesforce, "description"): return .notes
        case (.salesforce, "salutation"): return .custom("Name prefix")
        default: return nil
        }
    }

    /// Common header names, by key.
    static let common: [String: ContactColumn] = {
        var table: [String: ContactColumn] = [:]
        func add(_ column: ContactColumn, _ names: String) {
            for name in names.split(separator: " ") { table[String(name)] = column }
        }
        add(.name, "name fullname displayname contactname contact")
        add(.firstName, "firstname givenname first forename vorname prenom nombre")
        add(.middleName, "middlename additionalname")
        add(.lastName, "lastname familyname surname last nachname nom apellido apellidos")
        add(.nickname, "nickname")
        add(.email(label: "work", labelColumn: nil), "email mail emailaddress workemail businessemail")
        add(.email(label: "home", labelColumn: nil), "homeemail personalemail privateemail")
        add(.phone(label: "work", labelColumn: nil), "phone telephone tel phonenumber workphone businessphone officephone telefon telefono")
        add(.phone(label: "mobile", labelColumn: nil), "mobile mobilephone cell cellphone mobilenumber handy")
        add(.phone(label: "home", labelColumn: nil), "homephone")
        add(.company, "company organization organisation organizationname companyname account accountname employer firma unternehmen empresa societe entreprise")
        add(.title, "title jobtitle position role designation berufsbezeichnung")
        add(.city, "city town locality mailingcity ort stadt ville ciudad")
        add(.country, "country countryregion countrycode mailingcountry land pays pais")
        add(.timeZone, "timezone tz zone")
        add(.notes, "notes note comments comment description remarks notizen notiz")
        add(.birthday, "birthday birthdate dateofbirth dob geburtstag")
        add(.tags, "tags tag labels categories groups")
        add(.link, "website web url homepage linkedin linkedinurl profileurl link links")
        add(.stage, "stage lifecyclestage")
        add(.since, "atthecompanysince companysince since")
        add(.previousCompanies, "previouscompanies")
        add(.hours, "businesshours hours")
        add(.source, "howyoumet howwemet source")
        add(.warmth, "warmth")
        add(.offTheRecord, "offtherecord")
        add(.advocate, "advocate")
        add(.channel, "preferredchannel channel")
        add(.cadence, "cadencedays cadence")
        add(.personas, "personas persona")
        return table
    }()
}
