import Foundation

/// Moments are stored as ISO 8601 text in UTC with whole seconds, so both databases sort and compare them alike.
enum Timestamp {
    /// `2026-11-23T09:00:00Z`: RFC 3339 (the ISO 8601 profile), UTC, whole seconds.
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    /// The moment `text` names: the form ``string(_:)`` writes is read directly (every row a list decodes holds
    /// one), anything else by the ISO 8601 parser.
    static func date(_ text: String) -> Date? {
        canonical(text) ?? (try? Date.ISO8601FormatStyle().parse(text))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` read digit by digit (days from the civil calendar, H. Hinnant's algorithm); nil for any
    /// other text, or a day the month does not have, which then goes to the parser.
    static func canonical(_ text: String) -> Date? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(20)
        for byte in text.utf8 {
            guard bytes.count < 20 else { return nil }
            bytes.append(byte)
        }
        guard bytes.count == 20, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"), bytes[10] == UInt8(ascii: "T"),
              bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"), bytes[19] == UInt8(ascii: "Z") else { return nil }
        func number(_ range: Range<Int>) -> Int? {
            var n = 0
            for index in range {
                let digit = Int(bytes[index]) - 48
                guard (0...9).contains(digit) else { return nil }
                n = n * 10 + digit
            }
            return n
        }
        guard let year = number(0..<4), let month = number(5..<7), let day = number(8..<10), let hour = number(11..<13),
              let minute = number(14..<16), let second = number(17..<19),
              (1...12).contains(month), hour < 24, minute < 60, second < 60 else { return nil }
        let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
        let length = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...length).contains(day) else { return nil }
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Date(timeIntervalSince1970: Double(days * 86_400 + hour * 3_600 + minute * 60 + second))
    }

    /// Drops sub-second precision so a stored moment reads back equal.
    static func truncate(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
