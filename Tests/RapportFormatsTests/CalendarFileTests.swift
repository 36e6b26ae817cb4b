import Foundation
import RapportCore
@testable import RapportFormats
import Testing

/// The calendar feed by RFC 5545: lines, folding, escaping, reminders and stable UIDs.
@Suite("iCalendar feed")
struct CalendarFileTests {
    static let now = Date(timeIntervalSince1970: 1_795_392_000 + 9 * 3600)
    static let olena = PersonSummary(id: PersonID(7), name: "Олександра Шевченко-Ковальчук")

    static func feed(_ followUps: [FollowUp]) -> String {
        CalendarFile.feed(followUps: followUps, plan: nil, snoozes: [(PersonSummary(id: PersonID(9), name: "Jon Berg"), CalendarDay(year: 2026, month: 12, day: 1))], now: now)
    }

    static let followUps = [
        FollowUp(id: FollowUpID(3), text: "Send the deck, the pricing; and a note\\n about \"exports\"\nsecond line — ✓ with ünïcödé letters all the way to the fold",
                 person: olena, dueDay: CalendarDay(year: 2026, month: 11, day: 25), createdAt: now),
        FollowUp(id: FollowUpID(4), text: "Call back", person: olena, dueAt: now.addingTimeInterval(3600), createdAt: now),
        FollowUp(id: FollowUpID(5), text: "Done already", person: olena, dueDay: CalendarDay(year: 2026, month: 11, day: 20),
                 doneAt: now, createdAt: now),
    ]

    /// The content lines, unfolded (RFC 5545 3.1).
    static func unfolded(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n ", with: "").components(separatedBy: "\r\n").filter { !$0.isEmpty }
    }

    @Test("every line ends with CRLF and is at most 75 octets, folded between letters, never inside one")
    func lines() throws {
        let text = Self.feed(Self.followUps)
        #expect(text.hasSuffix("\r\n") && !text.replacingOccurrences(of: "\r\n", with: "").contains("\n"))
        for line in text.components(separatedBy: "\r\n") {
            #expect(line.utf8.count <= 75, "\(line)")
            #expect(String(validating: Array(line.utf8), as: UTF8.self) != nil)
        }
        #expect(text.contains("\r\n "), "the long summary is folded")
    }

    @Test("text is escaped (backslash, semicolon, comma, line break) and comes back whole when unfolded")
    func escaping() throws {
        let lines = Self.unfolded(Self.feed(Self.followUps))
        let summary = try #require(lines.first { $0.hasPrefix("SUMMARY:Follow up with Олександра") && $0.contains("deck") })
        #expect(summary == "SUMMARY:Follow up with Олександра Шевченко-Ковальчук: Send the deck\\, the pricing\\; and a note\\\\n about \"exports\"\\nsecond line — ✓ with ünïcödé letters all the way to the fold")
    }

    @Test("open follow-ups become events with a reminder, done ones do not; snoozes ending are all-day; UIDs are stable")
    func events() throws {
        let text = Self.feed(Self.followUps)
        let lines = Self.unfolded(text)
        #expect(lines.filter { $0 == "BEGIN:VEVENT" }.count == 3 && lines.filter { $0 == "BEGIN:VALARM" }.count == 2)
        #expect(lines.contains("UID:rapport-followup-3@rapport.local") && lines.contains("UID:rapport-followup-4@rapport.local"))
        #expect(!text.contains("Done already") && !lines.contains("UID:rapport-followup-5@rapport.local"))
        #expect(lines.contains("DTSTART;VALUE=DATE:20261125") && lines.contains("TRIGGER:PT9H") && lines.contains("TRIGGER:-PT15M"))
        #expect(lines.contains("DTSTART;VALUE=DATE:20261201") && lines.contains { $0.hasPrefix("SUMMARY:Jon Berg is due again") })
        #expect(lines.filter { $0.hasPrefix("DTSTAMP:20261123T090000Z") }.count == 3)
        // Each VALARM sits inside its VEVENT.
        let order = lines.filter { ["BEGIN:VEVENT", "BEGIN:VALARM", "END:VALARM", "END:VEVENT"].contains($0) }
        #expect(order.prefix(8) == ["BEGIN:VEVENT", "BEGIN:VALARM", "END:VALARM", "END:VEVENT", "BEGIN:VEVENT", "BEGIN:VALARM", "END:VALARM", "END:VEVENT"])
        #expect(Self.feed(Self.followUps) == text, "the same circle gives the same file")
    }

    @Test("an empty feed is still a calendar: it holds a UTC time zone")
    func empty() throws {
        let text = CalendarFile.feed(followUps: [], plan: nil, snoozes: [], now: Self.now)
        #expect(text.contains("BEGIN:VTIMEZONE\r\nTZID:UTC") && !text.contains("VEVENT"))
    }
}
