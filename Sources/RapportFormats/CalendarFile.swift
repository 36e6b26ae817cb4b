import Foundation
import RapportCore
import RapportStore

/// Writes iCalendar files (RFC 5545): every line ended by CRLF (3.1) and folded at 75 octets without splitting a
/// letter, TEXT escaped (3.3.11), times in UTC, each event with a stable `UID` and a `DTSTAMP`.
public enum CalendarFile {
    /// A plan's calls as a VCALENDAR of VEVENTs.
    ///
    /// - Throws: ``RapportError/conflict(field:message:)`` when the plan has no calls: a calendar must hold at least
    ///   one component (RFC 5545 3.6), so an empty plan is said, not written.
    public static func ics(_ plan: CallPlan, now: Date) throws -> String {
        guard !plan.calls.isEmpty else {
            let aside = plan.notToday.count + plan.noPhone.count + plan.outsideHoursCount + plan.noSlotLeftCount + plan.notReached
            throw RapportError.conflict(
                field: "calls",
                message: "the plan for \(plan.day.label) has no calls\(aside > 0 ? " (\(aside) could not fit or have no phone)" : ""), so there is no calendar to write")
        }
        return calendar(name: "Calls \(plan.day)", events: plan.calls.map { call(plan.day, $0, now: now) })
    }

    /// The feed a calendar app subscribes to: open follow-ups with a due day (each with a reminder), the calls of
    /// today's plan, and the days people's snoozes end. With nothing in it, it holds only a UTC time zone, so it is
    /// still a calendar by the RFC.
    public static func feed(followUps: [FollowUp], plan: CallPlan?, snoozes: [(PersonSummary, CalendarDay)], now: Date) -> String {
        var events = followUps.filter { $0.doneAt == nil && ($0.dueDay != nil || $0.dueAt != nil) }.map { followUp($0, now: now) }
        if let plan { events += plan.calls.map { call(plan.day, $0, now: now) } }
        events += snoozes.map { person, day in
            allDay(day, uid: "rapport-snooze-\(person.id)-\(day)", summary: "\(person.name) is due again (snooze ends)",
                   description: "Snoozed until \(day.label); \(person.name) comes back into `rapport due` today.", now: now)
        }
        return calendar(name: "Rapport", events: events, refresh: true)
    }

    /// One follow-up: on its due day (or at its time, 30 minutes), with a reminder (a quarter of an hour before a
    /// time, at 09:00 on a day).
    static func followUp(_ f: FollowUp, now: Date) -> [String] {
        let summary = "Follow up with \(f.person.name): \(f.text)"
        let description = "\(f.text)\nWith \(f.person.name)" + (f.conversation.map { " (from conversation #\($0))" } ?? "")
        var lines: [String]
        if let at = f.dueAt {
            lines = ["BEGIN:VEVENT", "UID:rapport-followup-\(f.id)@rapport.local", "DTSTAMP:\(stamp(now))", "DTSTART:\(stamp(at))",
                     "DTEND:\(stamp(at.addingTimeInterval(30 * 60)))", "SUMMARY:" + ContentLine.escape(summary), "DESCRIPTION:" + ContentLine.escape(description)]
            lines += alarm(trigger: "-PT15M", summary)
        } else if let day = f.dueDay {
            lines = Array(allDay(day, uid: "rapport-followup-\(f.id)", summary: summary, description: description, now: now).dropLast())
            lines += alarm(trigger: "PT9H", summary)
        } else {
            return []
        }
        return lines + ["END:VEVENT"]
    }

    static func alarm(trigger: String, _ summary: String) -> [String] {
        ["BEGIN:VALARM", "ACTION:DISPLAY", "TRIGGER:\(trigger)", "DESCRIPTION:" + ContentLine.escape(summary), "END:VALARM"]
    }

    static func allDay(_ day: CalendarDay, uid: String, summary: String, description: String, now: Date) -> [String] {
        ["BEGIN:VEVENT", "UID:\(uid)@rapport.local", "DTSTAMP:\(stamp(now))", "DTSTART;VALUE=DATE:\(basic(day))",
         "DTEND;VALUE=DATE:\(basic(day.adding(days: 1)))", "SUMMARY:" + ContentLine.escape(summary), "DESCRIPTION:" + ContentLine.escape(description),
         "TRANSP:TRANSPARENT", "END:VEVENT"]
    }

    static func call(_ day: CalendarDay, _ call: PlannedCall, now: Date) -> [String] {
        var description = ["Phone: \(call.phone)", "Their time: \(call.theirTime) \(call.place) (\(call.theirZone), UTC\(call.theirOffset))", "Why: \(call.why)"]
        if let topic = call.lastTopic { description.append("Last time: \(topic)") }
        return [
            "BEGIN:VEVENT",
            "UID:rapport-call-\(day)-\(call.person.id)@rapport.local",
            "DTSTAMP:\(stamp(now))",
            "DTSTART:\(stamp(call.start))",
            "DTEND:\(stamp(call.end))",
            "SUMMARY:" + ContentLine.escape("Call \(call.person.name)" + (call.company.map { " (\($0))" } ?? "")),
            "DESCRIPTION:" + ContentLine.escape(description.joined(separator: "\n")),
            "LOCATION:" + ContentLine.escape("tel:" + call.phone.filter { $0.isNumber || $0 == "+" }),
            "END:VEVENT",
        ]
    }

    /// A VCALENDAR around `events` (each a VEVENT's lines); a UTC VTIMEZONE when there are none.
    static func calendar(name: String, events: [[String]], refresh: Bool = false) -> String {
        var lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//Rapport//Rapport//EN", "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
                     "X-WR-CALNAME:" + ContentLine.escape(name)]
        if refresh { lines += ["REFRESH-INTERVAL;VALUE=DURATION:PT1H", "X-PUBLISHED-TTL:PT1H"] }
        if events.isEmpty {
            lines += ["BEGIN:VTIMEZONE", "TZID:UTC", "BEGIN:STANDARD", "DTSTART:19700101T000000", "TZOFFSETFROM:+0000",
                      "TZOFFSETTO:+0000", "TZNAME:UTC", "END:STANDARD", "END:VTIMEZONE"]
        }
        lines += events.flatMap { $0 }
        lines.append("END:VCALENDAR")
        return lines.flatMap(ContentLine.fold).joined(separator: "\r\n") + "\r\n"
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

    /// `20261123`.
    static func basic(_ day: CalendarDay) -> String { day.description.replacingOccurrences(of: "-", with: "") }
}

extension CalendarFile {
    /// The feed of `owner`'s circle now: open follow-ups, today's call plan (the people due), snoozes ending.
    public static func feed(from store: Store, as owner: AccountID) async throws -> String {
        let clock = try await store.clock(as: owner)
        let followUps = try await store.followUps.list(.open, as: owner)
        let plan = try await store.outreach.plan(PlanOptions(day: clock.today), source: .due, clock: clock, as: owner)
        let snoozes = try await store.people.snoozes(from: clock.today, as: owner)
        return feed(followUps: followUps, plan: plan, snoozes: snoozes, now: clock.now)
    }
}
