import Foundation

/// Moments are stored as ISO 8601 text in UTC with whole seconds, so both databases sort and compare them alike.
enum Timestamp {
    static func string(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle())
    }

    static func date(_ text: String) -> Date? {
        try? Date.ISO8601FormatStyle().parse(text)
    }

    /// Drops sub-second precision so a stored moment reads back equal.
    static func truncate(_ date: Date) -> Date {
        Date(timeIntervalSince1970: date.timeIntervalSince1970.rounded(.down))
    }
}
