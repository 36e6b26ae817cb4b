#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// A moment a person typed, read in their time zone.
public struct TypedMoment: Sendable, Equatable {
    /// The moment, in absolute time (stored in UTC).
    public var date: Date
    /// The day it falls on in the user's zone.
    public var day: CalendarDay
    /// Whether a time of day was given (`tomorrow 15:00`) or only a day (`tomorrow`).
    public var hasTime: Bool

    public init(date: Date, day: CalendarDay, hasTime: Bool) {
        self.date = date
        self.day = day
        self.hasTime = hasTime
    }
}

/// Reads the dates people type: ISO 8601 (`2026-03-29T10:00`, `2026-03-29 10:00`, `2026-03-29`) and the words
/// `now`, `today`, `yesterday`, `tomorrow`, weekday names (`monday`, `last friday`, `next tue`), `3 days ago`,
/// `2 weeks ago`, `in 3 days`, each optionally followed by a time (`15:00`, `9:30`, `3pm`, `at 10:15am`).
///
/// Everything is read in the user's zone, with the clock injected, so "yesterday 16:00" typed in Berlin is
/// yesterday at 16:00 in Berlin whatever zone the server runs in.
public struct DateInput: Sendable {
    /// Which way a bare weekday points: a conversation happened (`monday` = the last Monday, today included);
    /// a follow-up is due (`monday` = the next Monday after today).
    public enum Lean: Sendable { case past, future }

    public let now: Date
    public let zone: TimeZone

    public init(now: Date, zone: TimeZone) {
        self.now = now
        self.zone = zone
    }

    /// The examples every error message offers.
    public static let examples = "2026-03-29, 2026-03-29 10:00, today, yesterday 16:00, tomorrow 15:00, monday, 3 days ago"

    public var today: CalendarDay { CalendarDay(now, in: zone) }

    /// Reads `text` for `field`; a day without a time is noon that day, except a bare `today` looking back,
    /// which is now. A day outside ``CalendarDay/enterableYears`` is refused, whichever way it was written.
    ///
    /// - Throws: ``RapportError/invalid(_:_:)`` naming `field`, with examples of what can be written.
    public func parse(_ text: String, field: String, lean: Lean) throws -> TypedMoment {
        let moment = try read(text, field: field, lean: lean)
        try CalendarDay.checkEnterable(moment.day, field: field)
        return moment
    }

    private func read(_ text: String, field: String, lean: Lean) throws -> TypedMoment {
        let raw = text.trimmed
        func fail(_ why: String? = nil) -> RapportError {
            .invalid(field, (why.map { "\"\(raw)\": \($0)" } ?? "\"\(raw)\" is not a date I can read") + "; write for example \(Self.examples)")
        }
        guard !raw.isEmpty else { throw RapportError.invalid(field, "no date given; write for example \(Self.examples)") }
        guard raw.count <= 60 else { throw fail("too long") }
        if let first = raw.first, first.isNumber, raw.count >= 10, raw.dropFirst(4).first == "-" {
            return try iso(raw, fail: fail)
        }
        var words = raw.lowercased().split(whereSeparator: { $0 == " " || $0 == "," }).map(String.init)
        if words.first == "on" { words.removeFirst() }
        if words == ["now"] || words == ["right", "now"] {
            return TypedMoment(date: now, day: today, hasTime: true)
        }
        // A trailing time: "15:00", "3pm", "3:30 pm", optionally after "at".
        var time: (hour: Int, minute: Int)?
        if let last = words.last, ["am", "pm"].contains(last), words.count >= 2 {
            words.removeLast()
            words[words.count - 1] += last
        }
        if let last = words.last, let parsed = try Self.time(last, fail: fail) {
            time = parsed
            words.removeLast()
            if words.last == "at" { words.removeLast() }
        }
        let day: CalendarDay
        switch words.count {
        case 0:
            guard time != nil else { throw fail() }
            day = today
        case 1:
            switch words[0] {
            case "today": day = today
            case "yesterday": day = today.adding(days: -1)
            case "tomorrow": day = today.adding(days: 1)
            default:
                guard let weekday = Self.weekday(words[0]) else { throw fail() }
                day = lean == .past ? previous(weekday, includingToday: true) : next(weekday)
            }
        case 2 where ["last", "next", "this"].contains(words[0]):
            guard let weekday = Self.weekday(words[1]) else { throw fail() }
            switch words[0] {
            case "last": day = previous(weekday, includingToday: false)
            case "next": day = next(weekday)
            default: day = lean == .past ? previous(weekday, includingToday: true) : next(weekday, includingToday: true)
            }
        case 3 where words[2] == "ago":
            guard let amount = Self.count(words[0]), let unit = Self.unitDays(words[1]) else { throw fail() }
            day = today.adding(days: -amount * unit)
        case 3 where words[0] == "in":
            guard let amount = Self.count(words[1]), let unit = Self.unitDays(words[2]) else { throw fail() }
            day = today.adding(days: amount * unit)
        default:
            throw fail()
        }
        if let time {
            return TypedMoment(date: day.moment(hour: time.hour, minute: time.minute, in: zone), day: day, hasTime: true)
        }
        if day == today && lean == .past {
            return TypedMoment(date: now, day: day, hasTime: false)
        }
        return TypedMoment(date: day.moment(hour: 12, in: zone), day: day, hasTime: false)
    }

    /// `YYYY-MM-DD`, then optionally `T` or a space, `HH:MM[:SS]`, and `Z` or `±HH:MM` (else the user's zone).
    private func iso(_ raw: String, fail: (String?) -> RapportError) throws -> TypedMoment {
        let datePart = String(raw.prefix(10))
        guard let day = CalendarDay(iso: datePart) else {
            throw fail(CalendarDay.looksLikeISO(datePart) ? "there is no such day" : nil)
        }
        var rest = raw.dropFirst(10)
        guard !rest.isEmpty else {
            if day == today { return TypedMoment(date: min(now, day.moment(hour: 12, in: zone)), day: day, hasTime: false) }
            return TypedMoment(date: day.moment(hour: 12, in: zone), day: day, hasTime: false)
        }
        guard rest.first == "T" || rest.first == "t" || rest.first == " " else { throw fail(nil) }
        rest = rest.dropFirst()
        var zoneOffset: Int?
        if rest.hasSuffix("Z") || rest.hasSuffix("z") {
            zoneOffset = 0
            rest = rest.dropLast()
        } else if rest.count >= 6, let sign = rest.dropLast(5).last, sign == "+" || sign == "-" {
            let offset = rest.suffix(5)
            let parts = offset.split(separator: ":")
            guard parts.count == 2, let h = Int(parts[0]), let m = Int(parts[1]), h <= 14, m < 60 else { throw fail("the UTC offset must look like +01:00") }
            zoneOffset = (sign == "+" ? 1 : -1) * (h * 3600 + m * 60)
            rest = rest.dropLast(6)
        }
        let clock = rest.split(separator: ":")
        guard (2...3).contains(clock.count), clock.allSatisfy({ $0.count == 2 && $0.allSatisfy(\.isNumber) }),
              let hour = Int(clock[0]), let minute = Int(clock[1]) else { throw fail("write the time as HH:MM") }
        let second = clock.count == 3 ? Int(clock[2]) ?? 0 : 0
        guard hour < 24, minute < 60, second < 60 else { throw fail("there is no such time") }
        let inZone = zoneOffset.flatMap { TimeZone(secondsFromGMT: $0) } ?? zone
        let date = day.moment(hour: hour, minute: minute, second: second, in: inZone)
        return TypedMoment(date: date, day: CalendarDay(date, in: zone), hasTime: true)
    }

    private func previous(_ weekday: Int, includingToday: Bool) -> CalendarDay {
        var back = (today.isoWeekday - weekday + 7) % 7
        if back == 0 && !includingToday { back = 7 }
        return today.adding(days: -back)
    }

    private func next(_ weekday: Int, includingToday: Bool = false) -> CalendarDay {
        var ahead = (weekday - today.isoWeekday + 7) % 7
        if ahead == 0 && !includingToday { ahead = 7 }
        return today.adding(days: ahead)
    }

    /// `15:00`, `9:30`, `3pm`, `10:15am`; nil when `word` is not a time; an error when it is one but impossible.
    static func time(_ word: String, fail: (String?) -> RapportError) throws -> (hour: Int, minute: Int)? {
        var text = Substring(word)
        var meridiem: String?
        if text.hasSuffix("am") || text.hasSuffix("pm") {
            meridiem = String(text.suffix(2))
            text = text.dropLast(2)
        }
        guard let firstChar = text.first, firstChar.isNumber else { return nil }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count <= 2, parts.allSatisfy({ !$0.isEmpty && $0.allSatisfy(\.isNumber) }) else { return nil }
        if parts.count == 1 && meridiem == nil { return nil }
        guard var hour = Int(parts[0]), parts.count == 1 || parts[1].count == 2 else { throw fail("write the time as HH:MM") }
        let minute = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        if let meridiem {
            guard (1...12).contains(hour) else { throw fail("with am/pm the hour goes from 1 to 12") }
            hour = hour % 12 + (meridiem == "pm" ? 12 : 0)
        }
        guard hour < 24, minute < 60 else { throw fail("there is no such time") }
        return (hour, minute)
    }

    static func weekday(_ word: String) -> Int? {
        for (index, name) in CalendarDay.weekdayNames.enumerated()
        where word == name || (word.count >= 3 && name.hasPrefix(word)) {
            return index + 1
        }
        return nil
    }

    static func count(_ word: String) -> Int? {
        if let n = Int(word), (0...3650).contains(n) { return n }
        let words = ["a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
                     "eight": 8, "nine": 9, "ten": 10]
        return words[word]
    }

    static func unitDays(_ word: String) -> Int? {
        switch word {
        case "day", "days": return 1
        case "week", "weeks": return 7
        default: return nil
        }
    }
}

extension CalendarDay {
    /// Shaped like `NNNN-NN-NN`, whether or not the day exists.
    static func looksLikeISO(_ text: String) -> Bool {
        let chars = Array(text)
        return chars.count == 10 && chars[4] == "-" && chars[7] == "-"
            && chars.enumerated().allSatisfy { $0.offset == 4 || $0.offset == 7 || $0.element.isNumber }
    }
}

/// How moments are shown to a person: in their zone, to the minute.
public enum LocalTime {
    /// `2026-11-22 16:00`.
    public static func string(_ date: Date, in zone: TimeZone) -> String {
        "\(CalendarDay(date, in: zone)) \(clock(date, in: zone))"
    }

    /// `16:00`.
    public static func clock(_ date: Date, in zone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let c = calendar.dateComponents([.hour, .minute], from: date)
        return "\(PartialDate.pad(c.hour ?? 0)):\(PartialDate.pad(c.minute ?? 0))"
    }

    /// `Sun 22 Nov 2026 16:00`.
    public static func label(_ date: Date, in zone: TimeZone) -> String {
        CalendarDay(date, in: zone).label + " " + clock(date, in: zone)
    }

    /// `today`, `yesterday`, `3 days ago`, `in 2 days`, `tomorrow`, relative to `today`.
    public static func relative(_ day: CalendarDay, from today: CalendarDay) -> String {
        let delta = today.days(to: day)
        switch delta {
        case 0: return "today"
        case -1: return "yesterday"
        case 1: return "tomorrow"
        case ..<0: return "\(-delta) days ago"
        default: return "in \(delta) days"
        }
    }
}
