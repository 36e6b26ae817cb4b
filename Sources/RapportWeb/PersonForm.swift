import Foundation
import RapportCore

/// The add/edit person form: turning its fields into a ``PersonPatch`` and drawing it back with errors.
struct PersonForm {
    /// What the user typed (or the stored values, on first display), by field name.
    var values: [String: String]
    var personas: Set<String>
    /// The fields the posted form carried; only these change (a form without a field never erases it).
    var posted: Set<String> = []
    /// The values as the form first drew them (an edit form carries them back hidden): a field the user left as
    /// drawn does not change, so an edit made elsewhere meanwhile is kept, and a value the form cannot show
    /// exactly (a tag with a comma, a multi-line custom field) is never rewritten.
    var drawn: [String: String] = [:]
    var errors: [String: String] = [:]
    /// Someone already stored whom this person would repeat, shown with "Open" and "Add anyway".
    var duplicate: DuplicateMatch?

    /// The stored person as form values.
    init(person: Person?) {
        var v: [String: String] = [:]
        let d = person?.details ?? PersonDetails(name: "")
        func lines(_ points: [ContactPoint]) -> String {
            points.map { $0.label == "work" ? $0.value : "\($0.label): \($0.value)" }.joined(separator: "\n")
        }
        v["name"] = d.name
        v["email"] = lines(d.emails)
        v["phone"] = lines(d.phones)
        v["company"] = d.company ?? ""
        v["title"] = d.title ?? ""
        v["since"] = d.since ?? ""
        v["previousCompanies"] = d.previousCompanies.joined(separator: "\n")
        v["city"] = d.city ?? ""
        v["country"] = d.country ?? ""
        v["timeZone"] = d.timeZone ?? ""
        v["hours"] = d.hours?.description ?? ""
        v["birthday"] = d.birthday?.description ?? ""
        v["stage"] = d.stage.rawValue
        v["source"] = d.source?.rawValue ?? ""
        v["warmth"] = String(d.warmth)
        v["preferredChannel"] = d.preferredChannel?.rawValue ?? ""
        v["cadenceDays"] = d.cadenceDays.map(String.init) ?? ""
        v["offTheRecord"] = d.offTheRecord ? "1" : ""
        v["advocate"] = d.advocate ? "1" : ""
        v["tags"] = d.tags.joined(separator: ", ")
        v["notes"] = d.notes
        v["links"] = d.links.joined(separator: "\n")
        v["fields"] = d.fields.keys.sorted().map { "\($0) = \(d.fields[$0] ?? "")" }.joined(separator: "\n")
        values = v
        personas = Set(d.personas.map(\.matchingKey))
        if person != nil {
            drawn = v
            drawn["personas"] = Self.personaKey(personas)
        }
    }

    /// The personas as one comparable text.
    static func personaKey(_ keys: Set<String>) -> String { keys.sorted().joined(separator: "\n") }

    /// What the user posted, kept as typed. A checkbox and the persona boxes come with a hidden field of the same
    /// name, so an unticked box is still a posted field.
    init(form: FormData) {
        var v: [String: String] = [:]
        for key in Self.keys where form.has(key) {
            posted.insert(key)
            v[key] = Self.checkboxes.contains(key) ? (form.all(key).contains("1") ? "1" : "") : form[key]
        }
        values = v
        personas = Set(form.all("personas").filter { !$0.isEmpty }.map(\.matchingKey))
        if form.has("personas") { posted.insert("personas") }
        for (key, value) in form.pairs where key.hasPrefix("_was_") { drawn[String(key.dropFirst(5))] = value }
    }

    /// Whether the form changes `key`: it was posted, and differs from how it was drawn.
    func changes(_ key: String) -> Bool {
        guard posted.contains(key) else { return false }
        guard let was = drawn[key] else { return true }
        let now = key == "personas" ? Self.personaKey(personas) : values[key] ?? ""
        return now != was
    }

    static let keys = ["name", "email", "phone", "company", "title", "since", "previousCompanies", "city", "country",
                       "timeZone", "hours", "birthday", "stage", "source", "warmth", "preferredChannel", "cadenceDays", "offTheRecord",
                       "advocate", "tags", "notes", "links", "fields"]
    static let checkboxes: Set<String> = ["offTheRecord", "advocate"]

    /// The change the form describes, made to `base` (the stored person, or an empty one when adding). Problems
    /// with the form itself (a cadence that is not a number) are thrown together with every problem the person
    /// rules find, so the user sees them all at once.
    func patch(personaNames: [String], base: PersonDetails, timeZones: TimeZoneCatalog, today: Date) throws -> PersonPatch {
        let (patch, errors) = parse(personaNames: personaNames)
        guard errors.isEmpty else {
            var all = errors
            do {
                _ = try PersonRules.validate(patch.applied(to: base), timeZones: timeZones, today: today)
            } catch let error as RapportError {
                all += error.fieldErrors.filter { rule in !errors.contains { $0.field == rule.field } }
            }
            throw RapportError.invalid(all)
        }
        return patch
    }

    func parse(personaNames: [String]) -> (PersonPatch, [FieldError]) {
        var errors: [FieldError] = []
        var p = PersonPatch()
        func has(_ key: String) -> Bool { changes(key) }
        func text(_ key: String) -> String { values[key] ?? "" }
        func lines(_ key: String) -> [String] {
            text(key).split(whereSeparator: \.isNewline).map { $0.trimmed }.filter { !$0.isEmpty }
        }
        func optional(_ key: String) -> FieldChange<String>? {
            guard has(key) else { return nil }
            return text(key).trimmed.isEmpty ? .clear : .set(text(key))
        }
        func choice<T: RawRepresentable>(_ key: String, _ make: (String) -> T?, _ message: String) -> FieldChange<T>? {
            guard has(key) else { return nil }
            guard !text(key).isEmpty else { return .clear }
            guard let value = make(text(key)) else { errors.append(FieldError(key, message)); return nil }
            return .set(value)
        }
        if has("name") { p.name = text("name") }
        if has("email") { p.emails = .replace(lines("email").map { ContactPoint.parse($0) }) }
        if has("phone") { p.phones = .replace(lines("phone").map { ContactPoint.parse($0) }) }
        p.company = optional("company")
        p.title = optional("title")
        p.since = optional("since")
        if has("previousCompanies") { p.previousCompanies = .replace(lines("previousCompanies")) }
        p.city = optional("city")
        p.country = optional("country")
        p.timeZone = optional("timeZone")
        if let hours = optional("hours") {
            switch hours {
            case .clear: p.hours = .clear
            case .set(let typed):
                do { p.hours = .set(try BusinessHours.parse(typed)) } catch let error as RapportError {
                    errors += error.fieldErrors
                } catch {}
            }
        }
        if let birthday = optional("birthday") {
            switch birthday {
            case .clear: p.birthday = .clear
            case .set(let typed):
                do { p.birthday = .set(try Birthday.parse(typed)) } catch let error as RapportError {
                    errors += error.fieldErrors
                } catch {}
            }
        }
        if has("stage") {
            if let stage = Stage(rawValue: text("stage")) { p.stage = stage } else {
                errors.append(FieldError("stage", "choose one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))"))
            }
        }
        p.source = choice("source", Source.init(rawValue:), "choose how you met from the list")
        if has("warmth") {
            if let warmth = Int(text("warmth")) { p.warmth = warmth } else {
                errors.append(FieldError("warmth", "choose a warmth from 1 (cold) to 5 (close)"))
            }
        }
        p.preferredChannel = choice("preferredChannel", Channel.init(rawValue:), "choose a channel from the list")
        if has("cadenceDays") {
            let cadence = text("cadenceDays").trimmed
            if cadence.isEmpty { p.cadenceDays = .clear } else if let days = Int(cadence) { p.cadenceDays = .set(days) } else {
                errors.append(FieldError("cadenceDays", "\"\(cadence)\" is not a number of days; write a whole number such as 30, or leave it empty"))
            }
        }
        if has("offTheRecord") { p.offTheRecord = text("offTheRecord") == "1" }
        if has("advocate") { p.advocate = text("advocate") == "1" }
        if has("personas") { p.personas = .replace(personaNames.filter { personas.contains($0.matchingKey) }) }
        if has("tags") { p.tags = .replace(text("tags").split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }) }
        if has("notes") { p.notes = text("notes") }
        if has("links") { p.links = .replace(lines("links")) }
        if has("fields") {
            var fields: [String: String] = [:]
            for line in lines("fields") {
                guard let eq = line.firstIndex(of: "=") else {
                    errors.append(FieldError("fields", "\"\(line)\" needs the form key = value"))
                    continue
                }
                fields[line[..<eq].trimmed] = line[line.index(after: eq)...].trimmed
            }
            p.fields = fields
        }
        return (p, errors)
    }

    /// The view of the form for the template.
    func view(
        heading: String, action: String, submitLabel: String, cancel: String, csrf: String,
        personaNames: [String], zones: [String], chrome: Chrome
    ) -> PersonFormView {
        func input(_ name: String, _ label: String, type: String = "text", hint: String? = nil, required: Bool = false, list: String? = nil) -> FieldView {
            FieldView(name: name, label: label, value: values[name] ?? "", error: errors[name], hint: hint, required: required,
                      isInput: true, inputType: type, list: list)
        }
        func area(_ name: String, _ label: String, hint: String?, wide: Bool = false) -> FieldView {
            FieldView(name: name, label: label, value: values[name] ?? "", error: errors[name], hint: hint, wide: wide, isTextarea: true)
        }
        func select(_ name: String, _ label: String, _ options: [(String, String)]) -> FieldView {
            FieldView(name: name, label: label, error: errors[name], isSelect: true,
                      choices: options.map { Choice(value: $0.0, label: $0.1, selected: $0.0 == (values[name] ?? "")) })
        }
        func box(_ name: String, _ label: String, hint: String) -> FieldView {
            FieldView(name: name, label: label, error: errors[name], hint: hint, checkbox: true, checked: values[name] == "1")
        }
        let fields = [
            input("name", "Name", required: true),
            area("email", "Emails", hint: "One per line; \"home: dana@example.com\" gives it a label."),
            area("phone", "Phones", hint: "One per line, with the country code: +49 30 1234567."),
            input("company", "Company"),
            input("title", "Title", hint: "Their job title, e.g. Head of Operations."),
            input("since", "At the company since", hint: "YYYY, YYYY-MM or YYYY-MM-DD."),
            area("previousCompanies", "Previous companies", hint: "One per line."),
            input("city", "City"),
            input("country", "Country", hint: "Two letters: DE, US, JP."),
            input("timeZone", "Time zone", hint: "IANA name such as Europe/Berlin; inferred from the city or phone when empty.", list: "zones"),
            input("hours", "Business hours", hint: "Their time, weekdays, HH:MM-HH:MM such as 08:00-16:00; empty for 09:00-18:00."),
            input("birthday", "Birthday", hint: "1985-04-15, or 04-15 without the year."),
            select("stage", "Stage", Stage.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }),
            select("source", "How you met", [("", "—")] + Source.allCases.map { ($0.rawValue, $0.rawValue.replacing("-", with: " ").capitalized) }),
            select("warmth", "Warmth", (1...5).map { (String($0), "\($0) " + ["cold", "cool", "friendly", "warm", "close"][$0 - 1]) }),
            select("preferredChannel", "Preferred channel", [("", "—")] + Channel.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }),
            input("cadenceDays", "Cadence (days)", type: "number", hint: "How often to be in touch; empty uses the stage's default."),
            box("offTheRecord", "Off the record", hint: "You can call them without clearing it with sales."),
            box("advocate", "Advocate", hint: "Happy to try betas and prototypes."),
            FieldView(name: "personas", label: "Personas", error: errors["personas"], wide: true, isMulti: true,
                      choices: personaNames.map { Choice(value: $0, label: $0, selected: personas.contains($0.matchingKey)) }),
            input("tags", "Tags", hint: "Separated by commas."),
            area("notes", "Notes", hint: "Markdown.", wide: true),
            area("links", "Links", hint: "One per line, starting with https://."),
            area("fields", "Custom fields", hint: "One per line: key = value."),
        ]
        return PersonFormView(
            chrome: chrome, heading: heading, action: action, submitLabel: submitLabel, cancel: cancel, csrf: csrf,
            fields: fields, zones: zones, errorCount: errors.count,
            hasErrors: !errors.isEmpty, errorNoun: errors.count == 1 ? "problem" : "problems",
            duplicate: duplicate.map(DuplicateView.init),
            drawn: drawn.keys.sorted().map { HiddenField(name: "_was_" + $0, value: drawn[$0] ?? "") })
    }
}

struct Choice {
    var value: String
    var label: String
    var selected: Bool
}

struct FieldView {
    var name: String
    var label: String
    var value = ""
    var error: String?
    var hint: String?
    var required = false
    var wide = false
    var isInput = false
    var inputType = "text"
    var list: String?
    var isTextarea = false
    var isSelect = false
    var isMulti = false
    var checkbox = false
    var checked = false
    var choices: [Choice] = []
}

struct PersonFormView {
    var chrome: Chrome
    var heading: String
    var action: String
    var submitLabel: String
    var cancel: String
    var csrf: String
    var fields: [FieldView]
    var zones: [String]
    var errorCount: Int
    var hasErrors: Bool
    var errorNoun: String
    var duplicate: DuplicateView?
    var drawn: [HiddenField]
}

/// A hidden form field: what the form was drawn with.
struct HiddenField {
    var name: String
    var value: String
}

/// "Dana Kim (#12, Nordwind Logistics, dana@acme.com) is already in your circle", with a link to them.
struct DuplicateView {
    var label: String
    var name: String
    var href: String
    var basis: String
    var canAddAnyway: Bool

    init(_ match: DuplicateMatch) {
        label = match.label
        name = match.person.name
        href = "/people/\(match.person.id)"
        basis = DuplicateBasis.describe(match.basis)
        canAddAnyway = match.canAddAnyway
    }
}
