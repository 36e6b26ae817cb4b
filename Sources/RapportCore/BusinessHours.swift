#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A time of day, `HH:MM`, as minutes since midnight (0 to 1440; 24:00 ends a day).
public struct ClockTime: Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let minutes: Int

    public init(minutes: Int) {
        self.minutes = minutes
    }

    public init(hour: Int, minute: Int = 0) {
        self.minutes = hour * 60 + minute
    }

    /// Reads `9:00`, `09:30`, `17`, `24:00`; nil for anything else.
    public init?(text: String) {
        let parts = text.trimmed.split(separator: ":", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let hour = Int(parts[0]), parts[0].count <= 2,
              (0...24).contains(hour) else { return nil }
        var minute = 0
        if parts.count == 2 {
            guard parts[1].count == 2, let m = Int(parts[1]), (0...59).contains(m) else { return nil }
            minute = m
        }
        guard hour * 60 + minute <= 1440 else { return nil }
        self.minutes = hour * 60 + minute
    }

    /// Reads a time for `field`, failing with the format to use.
    public static func parse(_ text: String, field: String) throws -> ClockTime {
        guard let time = ClockTime(text: text) else {
            throw RapportError.invalid(field, "\"\(text)\" is not a time of day; write HH:MM on a 24-hour clock, such as 09:00 or 17:30")
        }
        return time
    }

    public var hour: Int { minutes / 60 }
    public var minute: Int { minutes % 60 }

    /// `09:05`.
    public var description: String { "\(PartialDate.pad(hour)):\(PartialDate.pad(minute))" }

    public static func < (lhs: ClockTime, rhs: ClockTime) -> Bool { lhs.minutes < rhs.minutes }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let time = ClockTime(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected HH:MM, got \(text)"))
        }
        self = time
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// Business hours in a person's own zone: weekdays, from `start` up to `end` (a call must end by `end`).
public struct BusinessHours: Sendable, Hashable, Codable, CustomStringConvertible {
    public var start: ClockTime
    public var end: ClockTime
    /// 09:00-18:00 on weekdays, for everyone without hours of their own.
    public static let standard = BusinessHours(start: ClockTime(hour: 9), end: ClockTime(hour: 18))

    public init(start: ClockTime, end: ClockTime) {
        self.start = start
        self.end = end
    }

    public init(startHour: Int, endHour: Int) {
        self.init(start: ClockTime(hour: startHour), end: ClockTime(hour: endHour))
    }

    /// Reads `08:00-16:00` (also `8-16`, `08:00 - 16:00`) for `field`.
    public static func parse(_ text: String, field: String = "hours") throws -> BusinessHours {
        let parts = text.replacing("–", with: "-").split(separator: "-").map { String($0).trimmed }
        let example = "write them as HH:MM-HH:MM on a 24-hour clock, such as 08:00-16:00"
        guard parts.count == 2, let start = ClockTime(text: parts[0]), let end = ClockTime(text: parts[1]) else {
            throw RapportError.invalid(field, "\"\(text)\" are not business hours; \(example)")
        }
        guard start != end else {
            throw RapportError.invalid(field, "\(text) starts and ends at the same time; \(example)")
        }
        guard start < end else {
            throw RapportError.invalid(field, "\(text) ends before it starts; \(example) (hours past midnight are not supported)")
        }
        return BusinessHours(start: start, end: end)
    }

    /// `09:00-18:00`.
    public var description: String { "\(start)-\(end)" }

    /// Whether `minutes` after midnight, on ISO weekday `weekday` (1 Monday ... 7 Sunday), is inside these hours.
    public func contains(weekday: Int, from startMinute: Int, to endMinute: Int) -> Bool {
        weekday <= 5 && startMinute >= start.minutes && endMinute <= end.minutes
    }

    /// The local time (`Tue 14:05`) in `zone` at `now`, and whether it falls in these hours on a weekday.
    public func check(_ zone: TimeZone, at now: Date) -> (localTime: String, open: Bool) {
        let local = LocalMoment(now, in: zone)
        return (local.shortLabel, local.isoWeekday <= 5 && local.minutes >= start.minutes && local.minutes < end.minutes)
    }

    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        do {
            self = try Self.parse(text)
        } catch {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "expected HH:MM-HH:MM, got \(text)"))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}

/// A moment as a wall clock in one zone shows it.
public struct LocalMoment: Sendable, Equatable {
    public var day: CalendarDay
    /// Minutes since local midnight.
    public var minutes: Int

    /// The day and minute `moment` falls on in `zone`: from 1900 to 2200 inclusive from the zone's offset and day
    /// numbers, as ``CalendarDay/init(_:in:)`` (a plan works out two for every slot of every person), else from a
    /// `Calendar`.
    public init(_ moment: Date, in zone: TimeZone) {
        if let (days, seconds) = CalendarDay.localDays(moment, in: zone) {
            day = CalendarDay(ordinal: days)
            minutes = seconds / 60
            return
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute], from: moment)
        day = CalendarDay(year: c.year ?? 1970, month: c.month ?? 1, day: c.day ?? 1)
        minutes = (c.hour ?? 0) * 60 + (c.minute ?? 0)
    }

    public var isoWeekday: Int { day.isoWeekday }
    public var time: ClockTime { ClockTime(minutes: minutes) }

    /// `Tue 14:05`.
    public var shortLabel: String { "\(day.shortWeekdayName) \(time)" }
}
