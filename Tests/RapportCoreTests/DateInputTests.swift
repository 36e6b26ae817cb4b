import Foundation
import RapportCore
import Testing

/// A moment given as local wall time in `zone`.
func local(_ text: String, _ zone: String) -> Date {
    let parts = text.split(separator: " ")
    let day = CalendarDay(iso: String(parts[0]))!
    let clock = parts.count > 1 ? parts[1].split(separator: ":").map { Int($0)! } : [0, 0]
    return day.moment(hour: clock[0], minute: clock[1], in: TimeZone(identifier: zone)!)
}

func input(_ now: String, _ zone: String) -> DateInput {
    DateInput(now: local(now, zone), zone: TimeZone(identifier: zone)!)
}

@Suite("Dates people type")
struct DateInputTests {
    let berlin = "Europe/Berlin"

    @Test("ISO 8601 with T, with a space, bare, with seconds, with Z and with an offset")
    func iso() throws {
        let i = input("2026-11-23 09:00", berlin)
        #expect(try i.parse("2026-03-29T10:00", field: "when", lean: .past).date == local("2026-03-29 10:00", berlin))
        #expect(try i.parse("2026-03-29 10:00", field: "when", lean: .past).date == local("2026-03-29 10:00", berlin))
        #expect(try i.parse("2026-03-29T10:00:30", field: "when", lean: .past).date == local("2026-03-29 10:00", berlin).addingTimeInterval(30))
        #expect(try i.parse("2026-03-29T10:00Z", field: "when", lean: .past).date == Date(timeIntervalSince1970: 1_774_778_400))
        #expect(try i.parse("2026-03-29T10:00:00+02:00", field: "when", lean: .past).date == Date(timeIntervalSince1970: 1_774_771_200))
        let bare = try i.parse("2026-03-29", field: "when", lean: .past)
        #expect(bare.day == CalendarDay(year: 2026, month: 3, day: 29))
        #expect(!bare.hasTime)
        #expect(bare.date == local("2026-03-29 12:00", berlin))
    }

    @Test("today, yesterday, tomorrow, now, with and without a time")
    func words() throws {
        let i = input("2026-11-23 09:00", berlin)
        #expect(try i.parse("now", field: "when", lean: .past).date == i.now)
        #expect(try i.parse("today", field: "when", lean: .past).date == i.now)
        #expect(try i.parse("today", field: "due", lean: .future).day == CalendarDay(year: 2026, month: 11, day: 23))
        #expect(try i.parse("yesterday 16:00", field: "when", lean: .past).date == local("2026-11-22 16:00", berlin))
        #expect(try i.parse("Yesterday at 4pm", field: "when", lean: .past).date == local("2026-11-22 16:00", berlin))
        #expect(try i.parse("tomorrow 15:00", field: "due", lean: .future).date == local("2026-11-24 15:00", berlin))
        #expect(try i.parse("tomorrow 9:30 am", field: "due", lean: .future).date == local("2026-11-24 09:30", berlin))
        #expect(try i.parse("12am", field: "when", lean: .past).date == local("2026-11-23 00:00", berlin))
        #expect(try i.parse("14:30", field: "when", lean: .past).date == local("2026-11-23 14:30", berlin))
        let tomorrow = try i.parse("tomorrow", field: "due", lean: .future)
        #expect(tomorrow.day == CalendarDay(year: 2026, month: 11, day: 24) && !tomorrow.hasTime)
    }

    @Test("weekday names look back for a conversation and ahead for a due date")
    func weekdays() throws {
        // 2026-11-25 is a Wednesday.
        let i = input("2026-11-25 09:00", berlin)
        #expect(try i.parse("monday", field: "when", lean: .past).day == CalendarDay(year: 2026, month: 11, day: 23))
        #expect(try i.parse("monday", field: "due", lean: .future).day == CalendarDay(year: 2026, month: 11, day: 30))
        #expect(try i.parse("wednesday", field: "when", lean: .past).day == CalendarDay(year: 2026, month: 11, day: 25))
        #expect(try i.parse("wednesday", field: "due", lean: .future).day == CalendarDay(year: 2026, month: 12, day: 2))
        #expect(try i.parse("last wednesday", field: "when", lean: .past).day == CalendarDay(year: 2026, month: 11, day: 18))
        #expect(try i.parse("next fri", field: "due", lean: .future).day == CalendarDay(year: 2026, month: 11, day: 27))
        #expect(try i.parse("on Friday 10:00", field: "due", lean: .future).date == local("2026-11-27 10:00", berlin))
        #expect(try i.parse("this friday", field: "due", lean: .future).day == CalendarDay(year: 2026, month: 11, day: 27))
    }

    @Test("amounts of days and weeks, ago and ahead, across a month and a year")
    func amounts() throws {
        let i = input("2027-01-02 09:00", berlin)
        #expect(try i.parse("3 days ago", field: "when", lean: .past).day == CalendarDay(year: 2026, month: 12, day: 30))
        #expect(try i.parse("a week ago", field: "when", lean: .past).day == CalendarDay(year: 2026, month: 12, day: 26))
        #expect(try i.parse("2 weeks ago 10:00", field: "when", lean: .past).date == local("2026-12-19 10:00", berlin))
        #expect(try i.parse("in 3 days", field: "due", lean: .future).day == CalendarDay(year: 2027, month: 1, day: 5))
        #expect(try i.parse("in two weeks", field: "due", lean: .future).day == CalendarDay(year: 2027, month: 1, day: 16))
    }

    @Test("yesterday 16:00 typed in Berlin is Berlin's yesterday whatever zone the machine runs in")
    func zoneIndependent() throws {
        // 00:30 in Berlin on the 23rd is still the 22nd in UTC and New York.
        let now = local("2026-11-23 00:30", berlin)
        let berlinInput = DateInput(now: now, zone: TimeZone(identifier: berlin)!)
        let parsed = try berlinInput.parse("yesterday 16:00", field: "when", lean: .past)
        #expect(parsed.date == local("2026-11-22 16:00", berlin))
        #expect(parsed.date == Date(timeIntervalSince1970: 1_795_359_600))
        let tokyo = DateInput(now: now, zone: TimeZone(identifier: "Asia/Tokyo")!)
        #expect(try tokyo.parse("yesterday 16:00", field: "when", lean: .past).date == local("2026-11-22 16:00", "Asia/Tokyo"))
    }

    @Test("the DST weeks of March and October in Europe and the US keep wall-clock times", arguments: [
        ("Europe/Berlin", "2026-03-30 09:00", "2026-03-28 16:00", 3600.0),
        ("Europe/Berlin", "2026-10-26 09:00", "2026-10-24 16:00", 7200.0),
        ("America/New_York", "2026-03-09 09:00", "2026-03-07 16:00", -18000.0),
        ("America/New_York", "2026-11-02 09:00", "2026-10-31 16:00", -14400.0),
    ])
    func dst(zone: String, now: String, expected: String, offsetBefore: Double) throws {
        let i = input(now, zone)
        let parsed = try i.parse("2 days ago 16:00", field: "when", lean: .past)
        #expect(parsed.date == local(expected, zone))
        let tz = TimeZone(identifier: zone)!
        #expect(Double(tz.secondsFromGMT(for: parsed.date)) == offsetBefore)
        #expect(LocalTime.string(parsed.date, in: tz) == expected)
        // "yesterday" from the Monday after the change is the Sunday of the change, at 16:00 local.
        let sunday = try i.parse("yesterday 16:00", field: "when", lean: .past)
        #expect(LocalTime.string(sunday.date, in: tz).hasSuffix("16:00"))
    }

    @Test("an hour skipped by the spring change moves forward instead of failing")
    func skippedHour() throws {
        let i = input("2026-03-30 09:00", "Europe/Berlin")
        let parsed = try i.parse("2026-03-29 02:30", field: "when", lean: .past)
        #expect(LocalTime.string(parsed.date, in: TimeZone(identifier: "Europe/Berlin")!) == "2026-03-29 03:30")
    }

    @Test("what cannot be read is refused with the field and examples", arguments: [
        "blah", "2026-02-30", "2026-13-01", "25:00", "yesterday 24:10", "13pm", "3 fortnights ago", "next blursday",
        "2026-03-29T10", "2026-03-29 10:00+99:00", "in days", "",
    ])
    func refused(text: String) {
        let errors = fieldErrors { _ = try input("2026-11-23 09:00", "Europe/Berlin").parse(text, field: "when", lean: .past) }
        #expect(errors.count == 1)
        #expect(errors.first?.field == "when")
        #expect(errors.first?.message.contains("yesterday 16:00") == true)
    }
}

@Suite("Calendar days")
struct CalendarDayTests {
    @Test("ordinals round-trip over leap years and centuries")
    func ordinals() {
        for ordinal in stride(from: -800_000, through: 800_000, by: 997) {
            #expect(CalendarDay(ordinal: ordinal).ordinal == ordinal)
        }
        #expect(CalendarDay(year: 1970, month: 1, day: 1).ordinal == 0)
        #expect(CalendarDay(year: 2000, month: 2, day: 29).adding(days: 1) == CalendarDay(year: 2000, month: 3, day: 1))
        #expect(CalendarDay(year: 2026, month: 12, day: 31).adding(days: 1) == CalendarDay(year: 2027, month: 1, day: 1))
        #expect(CalendarDay(iso: "2100-02-29") == nil)
        #expect(CalendarDay(iso: "2024-02-29") != nil)
    }

    @Test("weekdays follow ISO: Monday is 1")
    func weekdays() {
        #expect(CalendarDay(year: 2026, month: 11, day: 23).isoWeekday == 1)
        #expect(CalendarDay(year: 2026, month: 11, day: 29).isoWeekday == 7)
        #expect(CalendarDay(year: 1970, month: 1, day: 1).isoWeekday == 4)
        #expect(CalendarDay(year: 2026, month: 11, day: 23).label == "Mon 23 Nov 2026")
    }

    @Test("a moment's day depends on the zone it is seen from")
    func zones() {
        let moment = Date(timeIntervalSince1970: 1_795_392_000 + 23 * 3600)  // 2026-11-23 23:00 UTC
        #expect(CalendarDay(moment, in: TimeZone(identifier: "UTC")!) == CalendarDay(year: 2026, month: 11, day: 23))
        #expect(CalendarDay(moment, in: TimeZone(identifier: "Europe/Berlin")!) == CalendarDay(year: 2026, month: 11, day: 24))
        #expect(CalendarDay(moment, in: TimeZone(identifier: "America/Los_Angeles")!) == CalendarDay(year: 2026, month: 11, day: 23))
    }

    /// ``CalendarDay/init(_:in:)`` counts days from the zone's offset between 1900 and 2200; the Gregorian `Calendar`
    /// is the reference, over random moments and moments a second either side of local midnight, in zones with
    /// daylight saving (north and south), half- and quarter-hour offsets, and the extremes (+14, -11).
    @Test("a moment's day and minute are the ones the Gregorian calendar gives, in every kind of zone")
    func daysMatchCalendar() {
        let zones = ["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kathmandu", "America/St_Johns",
                     "Pacific/Kiritimati", "Pacific/Pago_Pago", "Asia/Kolkata", "America/Sao_Paulo", "Europe/London"]
        var generator = SplitMix(seed: 1_900)
        for name in zones {
            let zone = TimeZone(identifier: name)!
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = zone
            func reference(_ moment: Date) -> CalendarDay {
                let c = calendar.dateComponents([.year, .month, .day], from: moment)
                return CalendarDay(year: c.year!, month: c.month!, day: c.day!)
            }
            var moments = (0..<400).map { _ in Date(timeIntervalSince1970: Double.random(in: -2_208_900_000 ..< 7_289_600_000, using: &generator)) }
            for year in [1901, 1969, 1970, 2026, 2027, 2199, 2200] {
                for month in [1, 3, 4, 10, 11] {
                    let midnight = calendar.date(from: DateComponents(year: year, month: month, day: 1))!
                    moments += [-1, -0.001, 0, 0.001, 1].map { midnight.addingTimeInterval($0) }
                }
            }
            for moment in moments {
                #expect(CalendarDay(moment, in: zone) == reference(moment), "\(name) \(moment.timeIntervalSince1970)")
                let c = calendar.dateComponents([.hour, .minute], from: moment)
                let local = LocalMoment(moment, in: zone)
                #expect(local.day == reference(moment) && local.minutes == c.hour! * 60 + c.minute!, "\(name) \(moment.timeIntervalSince1970)")
            }
        }
    }
}
