/// A birthday: month and day, the year when known.
///
/// Written as ISO 8601 `1985-04-15`, or `--04-15` without a year (the form vCard's `BDAY` uses, RFC 6350 4.3.1).
public struct Birthday: Sendable, Hashable, Codable, CustomStringConvertible {
    public let month: Int
    public let day: Int
    public let year: Int?

    /// - Throws: ``RapportError/invalid(_:)`` under `field` when it is not a day of the year (29 February needs a
    ///   leap year, or no year).
    public init(month: Int, day: Int, year: Int? = nil, field: String = "birthday") throws {
        guard (1...12).contains(month), (1...CalendarDay.daysIn(month: month, year: year ?? 2000)).contains(day) else {
            throw RapportError.invalid(field, "\(Self.pad(month))-\(Self.pad(day)) is not a day of the year; \(Self.example)")
        }
        if let year, !(1900...2100).contains(year) {
            throw RapportError.invalid(field, "\(year) is not a plausible year of birth; \(Self.example)")
        }
        self.month = month
        self.day = day
        self.year = year
    }

    static let example = "write it as 1985-04-15, or 04-15 without the year"

    /// Reads `1985-04-15`, `19850415` (vCard 3.0), `--04-15`, `--0415` (vCard 4.0) or `04-15`; `field` names the
    /// input in the error.
    public static func parse(_ text: String, field: String = "birthday") throws -> Birthday {
        let t = text.trimmed
        // A time part (vCard writers add `T000000`) says nothing about the day.
        let date = t.split(separator: "T").first.map(String.init) ?? t
        let digits = date.filter(\.isNumber)
        let yearless = date.hasPrefix("--") || (digits.count == 4 && date.filter { $0 == "-" }.count <= 1)
        let parts: (year: Int?, month: Int, day: Int)?
        switch (yearless, digits.count) {
        case (true, 4): parts = (nil, Int(digits.prefix(2)) ?? 0, Int(digits.suffix(2)) ?? 0)
        case (false, 8) where date.allSatisfy({ $0.isNumber || $0 == "-" }):
            parts = (Int(digits.prefix(4)), Int(digits.dropFirst(4).prefix(2)) ?? 0, Int(digits.suffix(2)) ?? 0)
        default: parts = nil
        }
        guard let parts, !date.contains(where: { !($0.isNumber || $0 == "-") }) else {
            throw RapportError.invalid(field, "\"\(text)\" is not a birthday; \(example)")
        }
        return try Birthday(month: parts.month, day: parts.day, year: parts.year, field: field)
    }

    /// `1985-04-15`, or `--04-15` without the year.
    public var description: String {
        (year.map(PartialDate.format4) ?? "-") + "-\(Self.pad(month))-\(Self.pad(day))"
    }

    /// ISO 8601's basic format, as vCard 4.0 writes it: `19850415`, or `--0415` without the year.
    public var basic: String {
        (year.map(PartialDate.format4) ?? "--") + Self.pad(month) + Self.pad(day)
    }

    /// `15 April 1985`, or `15 April`.
    public var label: String {
        "\(day) \(CalendarDay.monthNames[month - 1])" + (year.map { " \($0)" } ?? "")
    }

    /// The next day on or after `today` that is this birthday (29 February falls on 28 February in other years).
    public func next(after today: CalendarDay) -> CalendarDay {
        for year in today.year...(today.year + 1) {
            let day = min(self.day, CalendarDay.daysIn(month: month, year: year))
            let candidate = CalendarDay(year: year, month: month, day: day)
            if candidate >= today { return candidate }
        }
        return today
    }

    /// The age they turn on ``next(after:)``, when the year is known.
    public func age(on day: CalendarDay) -> Int? { year.map { day.year - $0 } }

    /// The `MM-DD` spans (inclusive) the days from `today` to `days` later cover: one, or two across New Year.
    /// Stored birthdays end in `MM-DD`, so a store finds the coming ones by comparing that suffix.
    public static func monthDaySpans(from today: CalendarDay, days: Int) -> [(from: String, to: String)] {
        let end = today.adding(days: days)
        func md(_ d: CalendarDay) -> String { "\(pad(d.month))-\(pad(d.day))" }
        return end.year == today.year ? [(md(today), md(end))] : [(md(today), "12-31"), ("01-01", md(end))]
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do { self = try Self.parse(text) } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected 1985-04-15 or --04-15, got \(text)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }

    static func pad(_ n: Int) -> String { PartialDate.pad(n) }
}

/// A birthday coming up: whose, on which day, in how many days, and the age they turn when the year is known.
public struct UpcomingBirthday: Sendable, Codable, Equatable {
    public var person: PersonSummary
    public var birthday: Birthday
    public var on: CalendarDay
    public var inDays: Int
    public var turns: Int?

    /// Those of `people` whose birthday falls within `days` days from `today`, soonest first.
    public static func within(_ days: Int, of people: [(PersonSummary, Birthday)], today: CalendarDay) -> [UpcomingBirthday] {
        people.compactMap { person, birthday in
            let on = birthday.next(after: today)
            let inDays = today.days(to: on)
            guard inDays <= days else { return nil }
            return UpcomingBirthday(person: person, birthday: birthday, on: on, inDays: inDays, turns: birthday.age(on: on))
        }.sorted { ($0.inDays, $0.person.name) < ($1.inDays, $1.person.name) }
    }

    /// "today", "tomorrow", "in 5 days".
    public var when: String { inDays == 0 ? "today" : inDays == 1 ? "tomorrow" : "in \(inDays) days" }
}
