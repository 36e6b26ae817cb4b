import RapportCore
import Testing

@Suite("Birthdays: month and day, the year when known")
struct BirthdayTests {
    @Test("ISO, vCard 3.0 and 4.0 forms read alike; the year is optional", arguments: [
        ("1985-04-15", "1985-04-15"), ("19850415", "1985-04-15"), ("--04-15", "--04-15"), ("--0415", "--04-15"),
        ("04-15", "--04-15"), ("1985-04-15T000000", "1985-04-15"), (" 2000-02-29 ", "2000-02-29"), ("--02-29", "--02-29"),
    ])
    func parse(_ pair: (String, String)) throws {
        #expect(try Birthday.parse(pair.0).description == pair.1)
    }

    @Test("what is not a day of the year is refused under the field, with the forms to use", arguments: [
        "1985-02-29", "1985-13-01", "--04-31", "April 15", "15.04.1985", "", "1800-01-01", "1985-4",
    ])
    func refused(_ text: String) {
        do {
            _ = try Birthday.parse(text, field: "birthday")
            Issue.record("\(text) was accepted")
        } catch let error as RapportError {
            #expect(error.fieldErrors.map(\.field) == ["birthday"])
            #expect(error.message.contains("1985-04-15"))
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test("the next birthday is this year's or next year's; 29 February falls on 28 February in other years")
    func next() throws {
        let today = CalendarDay(year: 2026, month: 11, day: 30)
        #expect(try Birthday.parse("--12-01").next(after: today) == CalendarDay(year: 2026, month: 12, day: 1))
        #expect(try Birthday.parse("--11-30").next(after: today) == today)
        #expect(try Birthday.parse("--01-02").next(after: today) == CalendarDay(year: 2027, month: 1, day: 2))
        #expect(try Birthday.parse("2000-02-29").next(after: today) == CalendarDay(year: 2027, month: 2, day: 28))
        #expect(try Birthday.parse("1990-12-01").age(on: CalendarDay(year: 2026, month: 12, day: 1)) == 36)
    }

    @Test("the coming fortnight is one span of month-days, or two across New Year")
    func spans() {
        #expect(Birthday.monthDaySpans(from: CalendarDay(year: 2026, month: 11, day: 30), days: 14).map { [$0.from, $0.to] } == [["11-30", "12-14"]])
        #expect(Birthday.monthDaySpans(from: CalendarDay(year: 2026, month: 12, day: 25), days: 14).map { [$0.from, $0.to] } == [["12-25", "12-31"], ["01-01", "01-08"]])
    }

    @Test("upcoming birthdays are those within the days asked, soonest first, with the age they turn")
    func upcoming() throws {
        let today = CalendarDay(year: 2026, month: 12, day: 25)
        let people = [(PersonSummary(id: PersonID(1), name: "Ana"), try Birthday.parse("--01-02")),
                      (PersonSummary(id: PersonID(2), name: "Bo"), try Birthday.parse("1990-12-25")),
                      (PersonSummary(id: PersonID(3), name: "Cy"), try Birthday.parse("--01-20"))]
        let soon = UpcomingBirthday.within(14, of: people, today: today)
        #expect(soon.map(\.person.name) == ["Bo", "Ana"])
        #expect(soon.map(\.when) == ["today", "in 8 days"])
        #expect(soon.first?.turns == 36 && soon.last?.turns == nil)
    }
}
