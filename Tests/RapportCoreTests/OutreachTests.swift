import Foundation
import RapportCore
import Testing

private let berlin = TimeZone(identifier: "Europe/Berlin")!

private func caller(_ id: Int64, _ name: String, zone: String?, overdue: Int = 0, warmth: Int = 3, phone: String? = "+1 555 0100",
                    hours: BusinessHours? = nil) -> PlanCandidate {
    let p = person(id, name) {
        $0.timeZone = zone
        $0.warmth = warmth
        if let phone { $0.phones = [ContactPoint(value: phone)] }
        $0.hours = hours
    }
    return PlanCandidate(person: p, why: "\(overdue) days overdue", daysOverdue: overdue)
}

@Suite("Call plan: order across zones and business-hour fitting")
struct CallPlannerTests {
    @Test("easternmost first: Tokyo, Berlin, New York, Los Angeles; then most overdue, then warmest")
    func order() {
        let plan = CallPlanner.build([
            caller(1, "LA", zone: "America/Los_Angeles"), caller(2, "NY", zone: "America/New_York"),
            caller(3, "Berlin late", zone: "Europe/Berlin", overdue: 3), caller(4, "Tokyo", zone: "Asia/Tokyo"),
            caller(5, "Berlin later", zone: "Europe/Berlin", overdue: 9), caller(6, "Berlin warm", zone: "Europe/Berlin", overdue: 3, warmth: 5),
        ], options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 23), from: ClockTime(hour: 8), to: ClockTime(hour: 22)), zone: berlin)
        #expect(plan.calls.map(\.person.name) == ["Tokyo", "Berlin later", "Berlin warm", "Berlin late", "NY", "LA"])
        #expect(plan.calls[0].myTime == "08:00" && plan.calls[0].theirTime == "16:00" && plan.calls[0].theirOffset == "+09:00")
        // New York opens at 15:00 Berlin time, Los Angeles at 18:00.
        #expect(plan.calls[4].myTime == "15:00" && plan.calls[4].theirTime == "09:00")
        #expect(plan.calls[5].myTime == "18:00" && plan.calls[5].theirTime == "09:00")
        #expect(plan.notToday.isEmpty)
    }

    @Test("on the weeks when Europe and America change clocks at different dates, the offset of that day decides")
    func dstWeeks() {
        // 2026-03-09: New York is already on summer time (UTC-4), Berlin not yet (UTC+1): 5 hours apart, not 6.
        let march = CallPlanner.build([caller(1, "NY", zone: "America/New_York"), caller(2, "London", zone: "Europe/London")],
                                      options: PlanOptions(day: CalendarDay(year: 2026, month: 3, day: 9), from: ClockTime(hour: 9), to: ClockTime(hour: 20)),
                                      zone: berlin)
        #expect(march.calls.map(\.person.name) == ["London", "NY"])
        #expect(march.calls[1].myTime == "14:00" && march.calls[1].theirTime == "09:00" && march.calls[1].theirOffset == "-04:00")
        // 2026-10-26: Berlin is back on winter time (UTC+1), New York still on summer time: again 5 hours apart.
        let october = CallPlanner.build([caller(1, "NY", zone: "America/New_York")],
                                        options: PlanOptions(day: CalendarDay(year: 2026, month: 10, day: 26), from: ClockTime(hour: 9), to: ClockTime(hour: 20)),
                                        zone: berlin)
        #expect(october.calls.first?.myTime == "14:00")
        // 2026-11-02: New York has changed too: 6 hours apart.
        let november = CallPlanner.build([caller(1, "NY", zone: "America/New_York")],
                                         options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 2), from: ClockTime(hour: 9), to: ClockTime(hour: 20)),
                                         zone: berlin)
        #expect(november.calls.first?.myTime == "15:00")
    }

    @Test("a call may end at their 18:00 but not run past it")
    func touchesClosing() {
        // Tokyo is 8 hours ahead of Berlin in November: my 09:40-10:00 is their 17:40-18:00.
        let plan = CallPlanner.build([caller(1, "A", zone: "Asia/Tokyo"), caller(2, "B", zone: "Asia/Tokyo"), caller(3, "C", zone: "Asia/Tokyo")],
                                     options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 23), from: ClockTime(hour: 9, minute: 20), to: ClockTime(hour: 17)),
                                     zone: berlin)
        #expect(plan.calls.map(\.theirTime) == ["17:20", "17:40"])
        #expect(plan.noSlotLeft.map { $0.people.map(\.name) } == [["C"]])
        #expect(plan.noSlotLeft.first?.reason == "no free slot left in the part of your window inside their hours (09:20-10:00 your time)")
    }

    @Test("Friday afternoon in Los Angeles is Saturday in Sydney: not today, with the reason")
    func weekendThere() {
        let la = TimeZone(identifier: "America/Los_Angeles")!
        let plan = CallPlanner.build([caller(1, "Sydney", zone: "Australia/Sydney")],
                                     options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 27), from: ClockTime(hour: 14), to: ClockTime(hour: 17)),
                                     zone: la)
        #expect(plan.calls.isEmpty && plan.notToday.isEmpty)
        #expect(plan.outsideHours.first?.reason.hasPrefix("it is Saturday in Sydney during your window") == true)
        #expect(plan.outsideHours.first?.people.map(\.name) == ["Sydney"])
    }

    @Test("a night-time window is explained in their local hours")
    func nightThere() {
        let plan = CallPlanner.build([caller(1, "Sydney", zone: "Australia/Sydney")],
                                     options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 23), from: ClockTime(hour: 12), to: ClockTime(hour: 13)),
                                     zone: berlin)
        #expect(plan.outsideHours.first?.reason == "it is 22:00-23:00 in Sydney during your window (their hours are 09:00-18:00 on weekdays)")
    }

    @Test("people outside their hours are said once a zone and hours, in the plan's order, whatever their phone")
    func outsideGrouped() {
        // 12:00-13:00 in Berlin is 20:00-21:00 in Tokyo and 22:00-23:00 in Sydney (23 November).
        let plan = CallPlanner.build([
            caller(1, "Late Tokyo", zone: "Asia/Tokyo", overdue: 2), caller(2, "Sydney", zone: "Australia/Sydney"),
            caller(3, "Later Tokyo", zone: "Asia/Tokyo", overdue: 9, phone: nil),
            caller(4, "Night owl", zone: "Asia/Tokyo", hours: BusinessHours(startHour: 19, endHour: 23)),
            caller(5, "Early Tokyo", zone: "Asia/Tokyo", hours: BusinessHours(startHour: 7, endHour: 15)),
        ], options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 23), from: ClockTime(hour: 12), to: ClockTime(hour: 13)), zone: berlin)
        #expect(plan.calls.map(\.person.name) == ["Night owl"])
        #expect(plan.notToday.isEmpty && plan.noPhone.isEmpty)
        // Sydney (UTC+11) is east of Tokyo (UTC+9); in Tokyo, most overdue first.
        #expect(plan.outsideHours.map(\.zone) == ["Australia/Sydney", "Asia/Tokyo", "Asia/Tokyo"])
        #expect(plan.outsideHours.map(\.hours) == ["09:00-18:00", "09:00-18:00", "07:00-15:00"])
        #expect(plan.outsideHours[1].people.map(\.name) == ["Later Tokyo", "Late Tokyo"])
        #expect(plan.outsideHours[1].place == "Tokyo")
        #expect(plan.outsideHours[1].reason == "it is 20:00-21:00 in Tokyo during your window (their hours are 09:00-18:00 on weekdays)")
        #expect(plan.outsideHoursCount == 4)
    }

    @Test("a half-hour zone gets slots on their half hours, and their own hours count")
    func kolkata() {
        // Kolkata is UTC+5:30, Berlin UTC+1 in November: 4h30 ahead. Their 09:00 is my 04:30; their 16:00 close is my 11:30.
        let plan = CallPlanner.build([caller(1, "Priya", zone: "Asia/Kolkata", hours: BusinessHours(startHour: 8, endHour: 16)),
                                      caller(2, "Ravi", zone: "Asia/Kolkata", overdue: -1)],
                                     options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 23), from: ClockTime(hour: 11), to: ClockTime(hour: 12), slotMinutes: 30),
                                     zone: berlin)
        #expect(plan.calls.map(\.person.name) == ["Priya", "Ravi"])
        #expect(plan.calls[0].theirTime == "15:30" && plan.calls[0].theirOffset == "+05:30")
        #expect(plan.calls[1].theirTime == "16:00")
    }

    @Test("no phone, only wrong numbers, do-not-contact, snoozed, paused and the day's limit are listed apart")
    func leftOut() {
        var dnc = caller(3, "Dnc", zone: "Europe/Berlin")
        dnc.person.doNotContact = DoNotContact(reason: "asked", since: monday(0))
        var paused = caller(4, "Paused", zone: "Europe/Berlin")
        paused.person.pausedUntil = CalendarDay(year: 2027, month: 1, day: 10)
        var snoozed = caller(5, "Snoozed", zone: "Europe/Berlin")
        snoozed.person.snoozedUntil = CalendarDay(year: 2026, month: 12, day: 1)
        var wrong = caller(6, "Wrong", zone: "Europe/Berlin")
        wrong.person.details.phones[0].bad = true
        let plan = CallPlanner.build([caller(1, "One", zone: "Europe/Berlin", overdue: 5), caller(2, "None", zone: nil, phone: nil),
                                      dnc, paused, snoozed, wrong, caller(7, "Two", zone: "Europe/Berlin")],
                                     options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 23), max: 1), zone: berlin)
        #expect(plan.calls.map(\.person.name) == ["One"])
        #expect(plan.noPhone.map(\.reason) == ["no phone", "no phone: every number is marked wrong"])
        let reasons = Dictionary(uniqueKeysWithValues: plan.notToday.map { ($0.person.name, $0.reason) })
        #expect(reasons["Dnc"] == "do not contact: asked")
        #expect(reasons["Paused"]?.hasPrefix("paused until Sun 10 Jan 2027") == true)
        #expect(reasons["Snoozed"] == "snoozed until Tue 1 Dec 2026")
        #expect(reasons["Two"] == "over today's limit of 1 call")
    }

    @Test("an unknown zone is assumed to be mine, and said so")
    func unknownZone() {
        let plan = CallPlanner.build([caller(1, "Nowhere", zone: nil)], options: PlanOptions(day: CalendarDay(year: 2026, month: 11, day: 23)), zone: berlin)
        #expect(plan.calls.first?.zoneAssumed == true)
        #expect(plan.calls.first?.why.contains("time zone unknown") == true)
    }

    @Test("window checks name the field")
    func badOptions() throws {
        let day = CalendarDay(year: 2026, month: 11, day: 23)
        #expect(fieldErrors { _ = try PlanOptions(day: day, from: ClockTime(hour: 17), to: ClockTime(hour: 9)).validated() }.map(\.field) == ["to"])
        #expect(fieldErrors { _ = try PlanOptions(day: day, slotMinutes: 2).validated() }.map(\.field) == ["slot"])
        #expect(fieldErrors { _ = try PlanOptions(day: day, max: 0).validated() }.map(\.field) == ["max"])
        #expect(fieldErrors { _ = try ClockTime.parse("25:00", field: "from") }.map(\.field) == ["from"])
        #expect(fieldErrors { _ = try BusinessHours.parse("16:00-08:00") }.map(\.field) == ["hours"])
        #expect(try BusinessHours.parse("8-16") == BusinessHours(startHour: 8, endHour: 16))
    }
}

@Suite("ISO weeks")
struct ISOWeekTests {
    @Test("weeks across year ends, including week 53")
    func weeks() {
        #expect(ISOWeek(CalendarDay(year: 2026, month: 11, day: 23)).description == "2026-W48")
        #expect(ISOWeek(CalendarDay(year: 2027, month: 1, day: 1)).description == "2026-W53")
        #expect(ISOWeek(CalendarDay(year: 2024, month: 12, day: 30)).description == "2025-W01")
        #expect(ISOWeek(text: "2026-W53")?.monday == CalendarDay(year: 2026, month: 12, day: 28))
        #expect(ISOWeek(text: "2025-W53") == nil)
        #expect(ISOWeek(text: "next week") == nil)
    }
}

@Suite("Funnel arithmetic and the rule of thumb")
struct FunnelTests {
    func events(_ outcomes: [AttemptOutcome]) -> [OutreachEvent] {
        outcomes.enumerated().map { .call($0.element, at: monday(9).addingTimeInterval(Double($0.offset) * 86_400 * 4), person: PersonID(Int64($0.offset)), personas: ["Ops Lead"], campaign: nil) }
    }

    @Test("rates: picked up over attempts, declined over pick-ups, talked over attempts")
    func rates() {
        let f = Funnel.build(events([.noAnswer, .voicemail, .wrongNumber, .noShow, .declined, .rescheduled, .talked, .talked, .talked, .noAnswer]),
                             zone: .gmt)
        #expect(f.totals.attempts == 10 && f.totals.pickedUp == 5 && f.totals.declined == 1 && f.totals.talked == 3)
        #expect(f.totals.pickUpRate == 0.5 && f.totals.declineRate == 0.2 && f.totals.talkRate == 0.3)
        #expect(f.pickUp.verdict == .level && f.decline.verdict == .level)
        let low = Funnel.build(events([.noAnswer, .noAnswer, .noAnswer, .talked]), zone: .gmt)
        #expect(low.pickUp.verdict == .below && low.pickUp.text.contains("25%"))
    }

    @Test("working backwards: the rule of thumb until 20 attempts, then my own rate")
    func target() {
        let few = Funnel.build(events([.talked, .talked]), target: 4, zone: .gmt)
        #expect(few.target?.attemptsPerWeek == 10 && few.target?.basis == "rule-of-thumb")
        let many = Funnel.build(events(Array(repeating: .noAnswer, count: 15) + Array(repeating: .talked, count: 5)), target: 4, zone: .gmt)
        #expect(many.target?.attemptsPerWeek == 16 && many.target?.basis == "own")
        let none = Funnel.build(events(Array(repeating: .noAnswer, count: 20)), target: 4, zone: .gmt)
        #expect(none.target?.attemptsPerWeek == 10 && none.target?.text.contains("none of your 20") == true)
    }

    @Test("breakdowns by week, persona and campaign; emails count by their status")
    func breakdowns() {
        var all = events([.talked, .noAnswer, .declined])
        all.append(RecipientStatus.repliedNo.event(at: monday(9), person: PersonID(9), personas: [], campaign: "Q4")!)
        #expect(RecipientStatus.queued.event(at: monday(9), person: PersonID(9), personas: [], campaign: "Q4") == nil)
        let byWeek = Funnel.build(all, by: .week, zone: .gmt)
        #expect(byWeek.rows.map(\.key) == ["2026-W48", "2026-W49"])
        let byPersona = Funnel.build(all, by: .persona, zone: .gmt)
        #expect(byPersona.rows.map(\.key) == ["Ops Lead", "(no persona)"])
        let byCampaign = Funnel.build(all, by: .campaign, zone: .gmt)
        #expect(byCampaign.rows.first { $0.key == "Q4" }?.counts.declined == 1)
        #expect(byCampaign.totals.emails == 1 && byCampaign.totals.calls == 3)
    }
}

@Suite("Campaign templates and batch rules")
struct CampaignTests {
    func details(_ configure: (inout CampaignDetails) -> Void = { _ in }) -> CampaignDetails {
        var d = CampaignDetails(name: "Q4 exports", ask: "a 20-minute call", subject: "{{first_name}}, a question", body: "Hi {{first_name}}, {{ask}}?")
        configure(&d)
        return d
    }

    @Test("an unknown placeholder, an unclosed one, and a missing product are refused when saved")
    func templateErrors() {
        let errors = fieldErrors { _ = try CampaignRules.validate(details { $0.subject = "{{frist_name}} hi"; $0.body = "Hi {{first_name}, thanks" }, defaultProduct: nil, defaultSender: nil) }
        #expect(errors.map(\.field) == ["subject", "body"])
        #expect(errors[1].message.contains("close every placeholder"))
        #expect(fieldErrors { _ = try CampaignRules.validate(details { $0.body = "{{product}} and {{sender}}" }, defaultProduct: nil, defaultSender: nil) }.map(\.field) == ["product", "sender"])
        #expect(errors[0].message.contains("did you mean {{first_name}}"))
        #expect(fieldErrors { _ = try CampaignRules.validate(details { $0.weekly = 0; $0.ask = " " }, defaultProduct: nil, defaultSender: nil) }.map(\.field) == ["ask", "weekly"])
        #expect(fieldErrors { _ = try CampaignRules.validate(details { $0.body = "{{product}}" }, defaultProduct: "Acme", defaultSender: nil) }.isEmpty)
    }

    @Test("rendering fills every placeholder; a missing company or title reads naturally")
    func render() {
        let dana = person(1, "Dana Kim") { $0.title = "Head of Ops" }
        let values = MessageTemplate.values(for: dana, campaign: details { $0.product = "Acme" }, product: nil, sender: "Pat")
        #expect(MessageTemplate.render("{{ first_name }} at {{company}} ({{title}}) — {{product}} from {{sender}}: {{ask}}", values: values)
            == "Dana at your company (Head of Ops) — Acme from Pat: a 20-minute call")
    }

    func candidate(_ id: Int64, company: String?, touched: Date? = nil, email: Bool = true, _ configure: (inout Person) -> Void = { _ in }) -> BatchCandidate {
        var p = person(id, "P\(id)") {
            $0.company = company
            if email { $0.emails = [ContactPoint(value: "p\(id)@x.example")] }
            $0.personas = ["Ops Lead"]
        }
        configure(&p)
        return BatchCandidate(person: p, lastTouch: touched)
    }

    @Test("quota, cooldown, do-not-contact, no email, another batch and this campaign are skipped; two per company")
    func rules() {
        var pool = (1...6).map { candidate($0, company: "Acme") } + [candidate(7, company: "Globex"), candidate(8, company: nil)]
        pool.append(candidate(9, company: "Initech", touched: monday(9).addingTimeInterval(-5 * 86_400)))
        pool.append(candidate(10, company: "Initech", touched: monday(9).addingTimeInterval(-40 * 86_400)))
        pool.append(candidate(11, company: "Initech") { $0.doNotContact = DoNotContact(reason: "no", since: monday(0)) })
        pool.append(candidate(12, company: "Initech", email: false))
        var other = candidate(13, company: "Hooli"); other.inOtherBatch = "Churn"; pool.append(other)
        var again = candidate(14, company: "Hooli"); again.alreadyInCampaign = true; pool.append(again)
        pool.append(candidate(15, company: "Hooli") { $0.details.personas = ["IT Admin"] })
        let (picked, skipped) = BatchPicker.pick(pool, campaign: details { $0.personas = ["ops lead"]; $0.weekly = 5; $0.cooldownDays = 30 }, now: monday(9))
        #expect(picked.map(\.id.rawValue) == [1, 2, 7, 8, 10])
        #expect(skipped["contacted within 30 days"] == 1 && skipped["do not contact"] == 1 && skipped["no email"] == 1)
        #expect(skipped["in this week's batch of Churn"] == 1 && skipped["already emailed in this campaign"] == 1)
        #expect(skipped["over the weekly quota of 5"] == 4)
    }

    @Test("when the pool is smaller than the quota, a company may give more than two")
    func smallPool() {
        let pool = (1...4).map { candidate($0, company: "Acme") }
        let (picked, _) = BatchPicker.pick(pool, campaign: details { $0.weekly = 25 }, now: monday(9))
        #expect(picked.count == 4)
    }
}
