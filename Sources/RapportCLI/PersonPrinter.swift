import Foundation
import RapportCore
import RapportStore

/// Prints people for a terminal, or as JSON.
struct PersonPrinter {
    let env: CLIEnvironment
    let json: Bool

    /// After add or edit: the person, and what was inferred (on stderr under --json, so stdout stays JSON).
    func saved(_ saved: SavedPerson, verb: String) throws {
        if json {
            try env.json(saved.person)
            for notice in saved.notices { env.output.error("note: \(notice)") }
            return
        }
        env.output.line("\(verb.initialUpper) #\(saved.person.id) \(saved.person.name).")
        for notice in saved.notices { env.output.line("Note: \(notice).") }
        details(saved.person)
    }

    func details(_ p: Person, status: CadenceStatus? = nil, clock: UserClock? = nil) {
        let d = p.details
        var lines: [(String, String)] = []
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { lines.append((label, value)) }
        }
        add("Id", "#\(p.id)")
        add("Company", d.company)
        add("Title", d.title)
        add("Since", d.since)
        add("Previously", d.previousCompanies.joined(separator: ", "))
        for email in d.emails { add("Email", "\(email.value) (\(email.label))" + (email.bad ? " — bounced" : "")) }
        for phone in d.phones { add("Phone", "\(phone.value) (\(phone.label))" + (phone.bad ? " — marked wrong number" : "")) }
        add("Place", [d.city, d.country].compactMap { $0 }.joined(separator: ", "))
        add("Time zone", d.timeZone)
        add("Hours", d.hours.map { "\($0) on weekdays, their time" })
        add("Birthday", d.birthday?.label)
        add("Stage", d.stage.rawValue)
        add("Met via", d.source?.rawValue)
        add("Warmth", d.warmthDots + " \(d.warmth)/5")
        var flags: [String] = []
        if d.offTheRecord { flags.append("off the record") }
        if d.advocate { flags.append("advocate") }
        if p.archived { flags.append("archived") }
        add("Flags", flags.joined(separator: ", "))
        if let dnc = p.doNotContact {
            add("Do not contact", "\(dnc.reason) (since \(PartialDate.string(for: dnc.since)))")
        }
        add("Prefers", d.preferredChannel?.rawValue)
        if let status, let clock {
            add("Contact", StatusLine.text(status, clock: clock))
        } else {
            add("Cadence", d.cadenceDays.map { "every \($0) days" })
        }
        add("Snoozed until", p.snoozedUntil.map(\.label))
        if let until = p.pausedUntil, clock.map({ until > $0.today }) ?? true {
            add("Paused until", "\(until.label): three no-shows in a row, so pick and plan leave them out")
        }
        add("Personas", d.personas.joined(separator: ", "))
        add("Tags", d.tags.joined(separator: ", "))
        for link in d.links { add("Link", link) }
        for key in d.fields.keys.sorted() { add(key, d.fields[key]) }
        env.output.line(p.name)
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines {
            env.output.line("  " + label + ":" + String(repeating: " ", count: width - label.count + 1) + value)
        }
        if !d.notes.isEmpty {
            env.output.line("")
            env.output.line(d.notes.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n"))
        }
    }

    /// A table of people; `filtered` says whether an empty table means "no matches" rather than "no one yet".
    func table(_ people: [Person], filtered: Bool = false) {
        if people.isEmpty {
            env.output.line(filtered
                ? "Nobody matches these filters."
                : "Nobody here yet. Add someone with: rapport people add \"Dana Kim\" --email dana@example.com --company Acme")
            return
        }
        let rows = people.map { p -> [String] in
            var flags = ""
            if p.details.advocate { flags += "A" }
            if p.details.offTheRecord { flags += "R" }
            if p.doNotContact != nil { flags += "D" }
            return ["#\(p.id)", p.name, p.details.company ?? "", p.details.title ?? "", p.details.personas.joined(separator: ", "),
                    "\(p.details.warmth)", flags]
        }
        let header = ["ID", "NAME", "COMPANY", "TITLE", "PERSONAS", "WARMTH", "FLAGS"]
        let widths = (0..<header.count).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        for row in [header] + rows {
            env.output.line(zip(row, widths).map { $0 + String(repeating: " ", count: $1 - $0.count) }.joined(separator: "  ")
                .trimmed)
        }
        env.output.line("\(people.count) \(people.count == 1 ? "person" : "people"). Flags: A advocate, R off the record, D do not contact.")
    }
}
