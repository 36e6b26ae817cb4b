import CSV
import Foundation
import RapportCore

/// People as a CSV (RFC 4187 through CSV.swift): every column `rapport import` reads, so a file written here comes
/// back the same; a cell a spreadsheet would run as a formula (starting with `=`, `+`, `-` or `@`) is written
/// with a leading `'`, which the import takes off again (OWASP's advice on CSV injection).
public enum PeopleCSV {
    /// The file, with a header row.
    public static func write(_ people: [Person]) throws -> Data {
        let emails = people.map(\.details.emails.count).max() ?? 0
        let phones = people.map(\.details.phones.count).max() ?? 0
        let keys = Array(Set(people.flatMap(\.details.fields.keys))).sorted()
        var header = ["Name"]
        for i in 0..<emails { header += ["Email \(i + 1) label", "Email \(i + 1) address"] }
        for i in 0..<phones { header += ["Phone \(i + 1) label", "Phone \(i + 1) number"] }
        header += ["Company", "Title", "At the company since", "Previous companies", "City", "Country", "Time zone",
                   "Business hours", "Birthday", "Stage", "How you met", "Warmth", "Off the record", "Advocate",
                   "Preferred channel", "Cadence days", "Personas", "Tags", "Links", "Notes"]
        header += keys.map { "Field: \($0)" }
        let stream = OutputStream.toMemory()
        let writer = try CSVWriter(stream: stream, delimiter: ",", newline: .crlf)
        try writer.write(row: header)
        for person in people {
            let d = person.details
            var row = [d.name]
            for i in 0..<emails { row += i < d.emails.count ? [d.emails[i].label, d.emails[i].value] : ["", ""] }
            for i in 0..<phones { row += i < d.phones.count ? [d.phones[i].label, d.phones[i].value] : ["", ""] }
            let list = { (items: [String]) in items.joined(separator: " ::: ") }
            row += [d.company ?? "", d.title ?? "", d.since ?? "", list(d.previousCompanies), d.city ?? "", d.country ?? "",
                    d.timeZone ?? "", d.hours?.description ?? "", d.birthday?.description ?? "", d.stage.rawValue,
                    d.source?.rawValue ?? "", String(d.warmth), d.offTheRecord ? "yes" : "", d.advocate ? "yes" : "",
                    d.preferredChannel?.rawValue ?? "", d.cadenceDays.map(String.init) ?? "", list(d.personas), list(d.tags),
                    list(d.links), d.notes]
            row += keys.map { d.fields[$0] ?? "" }
            try writer.write(row: row.map(inert))
        }
        stream.close()
        return stream.property(forKey: .dataWrittenToMemoryStreamKey) as? Data ?? Data()
    }

    /// `value` made inert for spreadsheets: a leading `'` before `=`, `+`, `-` or `@`.
    static func inert(_ value: String) -> String {
        guard let first = value.first, "=+-@".contains(first) else { return value }
        return "'" + value
    }
}
