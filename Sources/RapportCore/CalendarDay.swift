#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A day on the calendar, with no time and no zone: what due dates are made of.
///
/// Arithmetic is on day numbers, so adding 30 days never drifts by an hour (or a day) across a
/// daylight-saving change the way adding `30 * 86_400` seconds would.
public struct CalendarDay: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let month: Int
    public let day: Int

    public init(year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    /// The day `moment` falls on in `zone`.
    ///
    /// From 1900-01-01 to 2201-01-01 UTC (``enterableYears`` and a year more) it is the zone's offset at that moment
    /// added to the moment, in whole days since 1970 (``init(ordinal:)``): a list of thousands of people works out
    /// each one's day this way, and a `Calendar` takes ten times longer. Outside, the Gregorian `Calendar` answers
    /// (it turns Julian before 1582, which the day numbers do not).
    public init(_ moment: Date, in zone: TimeZone) {
        if let (days, _) = Self.localDays(moment, in: zone) {
            self.init(ordinal: days)
            return
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day], from: moment)
        self.init(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
    }

    /// Seconds since 1970 from 1900-01-01 to 2201-01-01 (UTC): where ``init(_:in:)`` counts days itself.
    static let fastSpan: Range<Double> = -2_208_988_800 ..< 7_289_654_400

    /// Where `moment` falls in `zone` as whole days since 1970 and whole seconds into that day, from the zone's
    /// offset; nil outside ``fastSpan`` (a `Calendar` answers there). Shared by ``init(_:in:)`` and `LocalMoment`.
    static func localDays(_ moment: Date, in zone: TimeZone) -> (days: Int, seconds: Int)? {
        let seconds = moment.timeIntervalSince1970
        guard seconds > fastSpan.lowerBound, seconds < fastSpan.upperBound else { return nil }
        let local = Int((seconds + Double(zone.secondsFromGMT(for: moment))).rounded(.down))
        let days = local >= 0 ? local / 86_400 : -((-local + 86_399) / 86_400)
        return (days, local - days * 86_400)
    }

    /// Reads `YYYY-MM-DD`; nil when it is not a real day.
    public init?(iso text: String) {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].count == 4, parts[1].count == 2, parts[2].count == 2,
              let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]),
              (1...12).contains(m), (1...Self.daysIn(month: m, year: y)).contains(d) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    /// Days since 1970-01-01 (negative before), by the proleptic Gregorian calendar.
    public var ordinal: Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    /// The day with this ordinal (see ``ordinal``).
    public init(ordinal: Int) {
        let z = ordinal + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.init(year: yoe + era * 400 + (m <= 2 ? 1 : 0), month: m, day: d)
    }

    public func adding(days: Int) -> CalendarDay { CalendarDay(ordinal: ordinal + days) }

    /// Whole days from `self` to `other` (positive when `other` is later).
    public func days(to other: CalendarDay) -> Int { other.ordinal - ordinal }

    /// 1 = Monday … 7 = Sunday (ISO 8601).
    public var isoWeekday: Int {
        // 1970-01-01 was a Thursday (4).
        ((ordinal % 7 + 7) % 7 + 3) % 7 + 1
    }

    /// The moment this day reaches `hour:minute` in `zone` (a time skipped by a DST change moves forward).
    public func moment(hour: Int = 0, minute: Int = 0, second: Int = 0, in zone: TimeZone) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        return calendar.date(from: components) ?? Date(timeIntervalSince1970: Double(ordinal) * 86_400)
    }

    /// The years a person may enter for any date (a conversation, a follow-up, a goal's period, a report's range):
    /// one bound for the CLI, the pages and the API, inside what every store and date formatter can hold.
    public static let enterableYears = 1900...2200

    /// Refuses `day` outside ``enterableYears``, naming `field`.
    public static func checkEnterable(_ day: CalendarDay, field: String) throws {
        guard enterableYears.contains(day.year) else {
            throw RapportError.invalid(field, "\(day) is outside the years Rapport keeps; give a date from \(enterableYears.lowerBound) to \(enterableYears.upperBound)")
        }
    }

    public var description: String {
        "\(year)-\(PartialDate.pad(month))-\(PartialDate.pad(day))"
    }

    public static func < (lhs: CalendarDay, rhs: CalendarDay) -> Bool { lhs.ordinal < rhs.ordinal }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let day = CalendarDay(iso: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a YYYY-MM-DD day"))
        }
        guard Self.enterableYears.contains(day.year) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription:
                "\(day) is outside the years Rapport keeps; give a day from \(Self.enterableYears.lowerBound) to \(Self.enterableYears.upperBound)"))
        }
        self = day
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(description)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
                             "October", "November", "December"]

    static let weekdayNames = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]

    /// `Monday`.
    public var weekdayName: String { Self.weekdayNames[isoWeekday - 1].initialUpper }

    /// `Mon`.
    public var shortWeekdayName: String { String(weekdayName.prefix(3)) }

    /// `Mon 23 Nov 2026`.
    public var label: String {
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(shortWeekdayName) \(day) \(months[month - 1]) \(year)"
    }
}

/// An ISO 8601 week, `2026-W48`: Monday to Sunday, numbered within the year that holds its Thursday.
public struct ISOWeek: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let year: Int
    public let week: Int

    public init(year: Int, week: Int) {
        self.year = year
        self.week = week
    }

    /// The week `day` falls in.
    public init(_ day: CalendarDay) {
        let thursday = day.adding(days: 4 - day.isoWeekday)
        let firstOfYear = CalendarDay(year: thursday.year, month: 1, day: 1)
        self.init(year: thursday.year, week: firstOfYear.days(to: thursday) / 7 + 1)
    }

    /// Reads `2026-W48` (also `2026W48`, `2026-w48`); nil for anything else or a week the year does not have.
    public init?(text: String) {
        let t = text.trimmed.uppercased().replacing("-", with: "")
        guard t.count == 7 || t.count == 6, let w = t.firstIndex(of: "W"),
              let year = Int(t[..<w]), let week = Int(t[t.index(after: w)...]), (1000...9999).contains(year),
              (1...53).contains(week) else { return nil }
        let candidate = ISOWeek(year: year, week: week)
        guard ISOWeek(candidate.monday) == candidate else { return nil }
        self = candidate
    }

    /// Reads a week for `field`, failing with the format to use.
    public static func parse(_ text: String, field: String) throws -> ISOWeek {
        guard let week = ISOWeek(text: text) else {
            throw RapportError.invalid(field, "\"\(text)\" is not an ISO week; write YYYY-Www, such as 2026-W48")
        }
        return week
    }

    /// The Monday that starts the week.
    public var monday: CalendarDay {
        // Week 1 holds 4 January.
        let jan4 = CalendarDay(year: year, month: 1, day: 4)
        return jan4.adding(days: 1 - jan4.isoWeekday + (week - 1) * 7)
    }

    public var sunday: CalendarDay { monday.adding(days: 6) }

    public func adding(weeks: Int) -> ISOWeek { ISOWeek(monday.adding(days: 7 * weeks)) }

    /// `2026-W48`.
    public var description: String { "\(year)-W\(PartialDate.pad(week))" }

    public static func < (lhs: ISOWeek, rhs: ISOWeek) -> Bool { (lhs.year, lhs.week) < (rhs.year, rhs.week) }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let week = ISOWeek(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "\"\(text)\" is not a YYYY-Www week"))
        }
        self = week
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
