import Foundation
import RapportCore

/// The add/edit person form: turning its fields into ``PersonDetails`` and drawing it back with errors.
struct PersonForm {
    /// What the user typed (or the stored values, on first display), by field name.
    var values: [String: String]
    var personas: Set<String>
    var errors: [String: String] = [:]

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
        personas = Set(d.personas.map { $0.lowercased() })
    }

    /// What the user posted, kept as typed.
    init(form: FormData) {
        var v: [String: String] = [:]
        for key in Self.keys { v[key] = form[key] }
        values = v
        personas = Set(form.all("personas").map { $0.lowercased() })
    }

    static let keys = ["name", "email", "phone", "company", "title", "since", "previousCompanies", "city", "country",
                       "timeZone", "stage", "source", "warmth", "preferredChannel", "cadenceDays", "offTheRecord",
                       "advocate", "tags", "notes", "links", "fields"]

    /// The details the form describes. Problems with the form itself (a cadence that is not a number) are thrown
    /// together with every problem the person rules find, so the user sees them all at once.
    func details(personaNames: [String], timeZones: TimeZoneCatalog, today: Date) throws -> PersonDetails {
        let (details, errors) = parse(personaNames: personaNames)
        guard errors.isEmpty else {
            var all = errors
            do {
                _ = try PersonRules.validate(details, timeZones: timeZones, today: today)
            } catch let error as RapportError {
                all += error.fieldErrors
            }
            throw RapportError.invalid(all)
        }
        return details
    }

    func parse(personaNames: [String]) -> (PersonDetails, [FieldError]) {
        var errors: [FieldError] = []
        var d = PersonDetails(name: values["name"] ?? "")
        func lines(_ key: String) -> [String] {
            (values[key] ?? "").split(whereSeparator: \.isNewline).map { $0.trimmed }.filter { !$0.isEmpty }
        }
        d.emails = lines("email").map { ContactPoint.parse($0) }
        d.phones = lines("phone").map { ContactPoint.parse($0) }
        d.company = values["company"]
        d.title = values["title"]
        d.since = values["since"]
        d.previousCompanies = lines("previousCompanies")
        d.city = values["city"]
        d.country = values["country"]
        d.timeZone = values["timeZone"]
        if let stage = Stage(rawValue: values["stage"] ?? "") { d.stage = stage } else {
            errors.append(FieldError("stage", "choose one of \(Stage.allCases.map(\.rawValue).joined(separator: ", "))"))
        }
        let source = values["source"] ?? ""
        if !source.isEmpty {
            if let s = Source(rawValue: source) { d.source = s } else { errors.append(FieldError("source", "choose how you met from the list")) }
        }
        if let warmth = Int(values["warmth"] ?? "") { d.warmth = warmth } else {
            errors.append(FieldError("warmth", "choose a warmth from 1 (cold) to 5 (close)"))
        }
        let channel = values["preferredChannel"] ?? ""
        if !channel.isEmpty {
            if let c = Channel(rawValue: channel) { d.preferredChannel = c } else { errors.append(FieldError("preferredChannel", "choose a channel from the list")) }
        }
        let cadence = (values["cadenceDays"] ?? "").trimmed
        if !cadence.isEmpty {
            if let days = Int(cadence) { d.cadenceDays = days } else {
                errors.append(FieldError("cadenceDays", "\"\(cadence)\" is not a number of days; write a whole number such as 30, or leave it empty"))
            }
        }
        d.offTheRecord = values["offTheRecord"] == "1"
        d.advocate = values["advocate"] == "1"
        d.personas = personaNames.filter { personas.contains($0.lowercased()) }
        d.tags = (values["tags"] ?? "").split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
        d.notes = values["notes"] ?? ""
        d.links = lines("links")
        for line in lines("fields") {
            guard let eq = line.firstIndex(of: "=") else {
                errors.append(FieldError("fields", "\"\(line)\" needs the form key = value"))
                continue
            }
            d.fields[line[..<eq].trimmed] = line[line.index(after: eq)...].trimmed
        }
        return (d, errors)
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
            select("stage", "Stage", Stage.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }),
            select("source", "How you met", [("", "—")] + Source.allCases.map { ($0.rawValue, $0.rawValue.replacing("-", with: " ").capitalized) }),
            select("warmth", "Warmth", (1...5).map { (String($0), "\($0) " + ["cold", "cool", "friendly", "warm", "close"][$0 - 1]) }),
            select("preferredChannel", "Preferred channel", [("", "—")] + Channel.allCases.map { ($0.rawValue, $0.rawValue.capitalized) }),
            input("cadenceDays", "Cadence (days)", type: "number", hint: "How often to be in touch; empty uses the stage's default."),
            box("offTheRecord", "Off the record", hint: "You can call them without clearing it with sales."),
            box("advocate", "Advocate", hint: "Happy to try betas and prototypes."),
            FieldView(name: "personas", label: "Personas", error: errors["personas"], wide: true, isMulti: true,
                      choices: personaNames.map { Choice(value: $0, label: $0, selected: personas.contains($0.lowercased())) }),
            input("tags", "Tags", hint: "Separated by commas."),
            area("notes", "Notes", hint: "Markdown.", wide: true),
            area("links", "Links", hint: "One per line, starting with https://."),
            area("fields", "Custom fields", hint: "One per line: key = value."),
        ]
        return PersonFormView(
            chrome: chrome, heading: heading, action: action, submitLabel: submitLabel, cancel: cancel, csrf: csrf,
            fields: fields, zones: zones, errorCount: errors.count,
            hasErrors: !errors.isEmpty, errorNoun: errors.count == 1 ? "problem" : "problems")
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
}
