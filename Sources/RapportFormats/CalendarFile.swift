import Foundation
import RapportCore

/// Writes a call plan as an iCalendar file (RFC 5545): one event per call, times in UTC, every line ended by CRLF
/// (3.1) and folded at 75 octets.
public enum CalendarFile {
    /// The plan's calls as a VCALENDAR of VEVENTs.
    ///
    /// - Throws: ``RapportError/conflict(field:message:)`` when the plan has no calls: a calendar must hold at least
    ///   one component (RFC 5545 3.6), so an empty plan is said, not written.
    public static func ics(_ plan: CallPlan, now: Date) throws -> String {
        guard !plan.calls.isEmpty else {
            let aside = plan.notToday.count + plan.noPhone.count
            throw RapportError.conflict(
                field: "calls",
                message: "the plan for \(plan.day.label) has no calls\(aside > 0 ? " (\(aside) could not fit or have no phone)" : ""), so there is no calendar to write")
        }
        var lines = [
            "BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rapport//Call plan//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
            "X-WR-CALNAME:" + escape("Calls \(plan.day)"),
        ]
        for call in plan.calls {
            var description = ["Phone: \(call.phone)", "Their time: \(call.theirTime) \(call.place) (\(call.theirZone), UTC\(call.theirOffset))", "Why: \(call.why)"]
            if let topic = call.lastTopic { description.append("Last time: \(topic)") }
            lines += [
                "BEGIN:VEVENT",
                "UID:rapport-call-\(plan.day)-\(call.person.id)@rapport.local",
                "DTSTAMP:\(stamp(now))",
                "DTSTART:\(stamp(call.start))",
                "DTEND:\(stamp(call.end))",
                "SUMMARY:" + escape("Call \(call.person.name)" + (call.company.map { " (\($0))" } ?? "")),
                "DESCRIPTION:" + escape(description.joined(separator: "\n")),
                "LOCATION:" + escape("tel:" + call.phone.filter { $0.isNumber || $0 == "+" }),
                "END:VEVENT",
            ]
        }
        lines.append("END:VCALENDAR")
        return lines.flatMap(fold).joined(separator: "\r\n") + "\r\n"
    }

    /// `20261123T090000Z`.
    static func stamp(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func pad(_ n: Int?, _ width: Int = 2) -> String {
            let s = String(n ?? 0)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return "\(pad(c.year, 4))\(pad(c.month))\(pad(c.day))T\(pad(c.hour))\(pad(c.minute))\(pad(c.second))Z"
    }

    /// Escapes a TEXT value: backslash, semicolon, comma and newline.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets, never inside a UTF-8 character.
    static func fold(_ line: String) -> [String] {
        var out: [String] = []
        var current = ""
        var octets = 0
        for ch in line {
            let size = String(ch).utf8.count
            let limit = out.isEmpty ? 75 : 74
            if octets + size > limit {
                out.append(current)
                current = ""
                octets = 0
            }
            current.append(ch)
            octets += size
        }
        out.append(current)
        return out.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
    }
}
