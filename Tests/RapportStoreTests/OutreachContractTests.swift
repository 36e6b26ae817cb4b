import Foundation
import RapportCore
import RapportStore
import Testing

private let utc = TimeZone(identifier: "UTC")!

private func attempt(_ outcome: AttemptOutcome, at: Date = daysAgo(0, hour: -1), _ configure: (inout AttemptDetails) -> Void = { _ in }) -> AttemptDetails {
    var d = AttemptDetails(outcome: outcome, at: at)
    configure(&d)
    return d
}

private func campaign(_ name: String = "Q4 exports", _ configure: (inout CampaignDetails) -> Void = { _ in }) -> CampaignDetails {
    var d = CampaignDetails(name: name, ask: "a 20-minute call about exports", subject: "{{first_name}}, 20 minutes?",
                            body: "Hi {{first_name}},\nCould {{company}} spare {{ask}}?\n")
    configure(&d)
    return d
}

@Suite("Store contract: attempts, the call plan, campaigns and the funnel")
struct OutreachContractTests {
    @Test("talked logs the call as a conversation in the same step; rescheduled adds a follow-up; wrong-number marks the phone", arguments: Backend.available)
    func outcomes(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.phones = [ContactPoint(value: "+49 30 1234567"), ContactPoint(value: "+49 170 7654321", label: "mobile")] }, as: t.account).person
            let talked = try await t.store.attempts.record(attempt(.talked) { $0.note = "Exports take an hour" }, person: dana.id, zone: utc, as: t.account)
            #expect(talked.conversation?.details.kind == .call)
            #expect(talked.conversation?.details.notes == "Exports take an hour")
            #expect(talked.attempt.conversation == talked.conversation?.id)
            #expect(talked.attempt.phone == "+49 30 1234567")
            let status = try await t.store.activity.status(of: dana, clock: UserClock(now: fixedNow, zone: utc, settings: Settings()), as: t.account)
            #expect(status.lastContact == daysAgo(0, hour: -1))

            let when = TypedMoment(date: daysAgo(-4, hour: 15), day: CalendarDay(year: 2026, month: 11, day: 27), hasTime: true)
            let moved = try await t.store.attempts.record(attempt(.rescheduled) { $0.reschedule = when }, person: dana.id, zone: utc, as: t.account)
            #expect(moved.followUp?.text == "Call Dana Kim (rescheduled)")
            #expect(moved.followUp?.dueAt == when.date)

            let wrong = try await t.store.attempts.record(attempt(.wrongNumber), person: dana.id, zone: utc, as: t.account)
            #expect(wrong.phoneMarkedBad == "+49 30 1234567")
            let after = try await t.people.get(dana.id, as: t.account)
            #expect(after.details.phones.map(\.bad) == [true, false])
            #expect(after.callablePhone?.value == "+49 170 7654321")
            // Editing the person keeps the mark.
            var title = PersonPatch()
            title.title = .set("Head of Ops")
            _ = try await t.people.update(dana.id, with: title, as: t.account)
            #expect(try await t.people.get(dana.id, as: t.account).details.phones[0].bad)

            let listed = try await t.store.attempts.list(AttemptFilter(person: dana.id), as: t.account)
            #expect(listed.map(\.outcome) == [.wrongNumber, .rescheduled, .talked])
        }
    }

    @Test("bad attempts are refused with the field, and nothing is written", arguments: Backend.available)
    func refused(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim"), as: t.account).person
            let missing = await failure { _ = try await t.store.attempts.record(attempt(.rescheduled), person: dana.id, zone: utc, as: t.account) }
            #expect(missing?.fieldErrors.map(\.field) == ["reschedule"])
            let future = await failure { _ = try await t.store.attempts.record(attempt(.talked, at: daysAgo(-2)), person: dana.id, zone: utc, as: t.account) }
            #expect(future?.fieldErrors.map(\.field) == ["when"])
            let unknown = await failure { _ = try await t.store.attempts.record(attempt(.talked) { $0.campaign = "Nope" }, person: dana.id, zone: utc, as: t.account) }
            #expect(unknown != nil)
            let phone = await failure { _ = try await t.store.attempts.record(attempt(.noAnswer) { $0.phone = "+1 555" }, person: dana.id, zone: utc, as: t.account) }
            #expect(phone?.fieldErrors.map(\.field) == ["phone"])
            #expect(try await t.store.attempts.list(as: t.account).isEmpty)
            #expect(try await t.store.conversations.list(ConversationFilter(), as: t.account).isEmpty)
        }
    }

    @Test("three no-shows in a row pause pick and plan for the set number of days", arguments: Backend.available)
    func noShows(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            _ = try await t.personas.add(PersonaDetails(name: "Ops Lead"), as: t.account)
            let dana = try await t.people.add(details("Dana Kim") { $0.personas = ["Ops Lead"]; $0.phones = [ContactPoint(value: "+49 30 1234567")] }, as: t.account).person
            _ = try await t.store.attempts.record(attempt(.noShow, at: daysAgo(9)), person: dana.id, zone: utc, as: t.account)
            _ = try await t.store.attempts.record(attempt(.talked, at: daysAgo(8)), person: dana.id, zone: utc, as: t.account)
            _ = try await t.store.attempts.record(attempt(.noShow, at: daysAgo(3)), person: dana.id, zone: utc, as: t.account)
            let second = try await t.store.attempts.record(attempt(.noShow, at: daysAgo(2)), person: dana.id, zone: utc, as: t.account)
            #expect(second.pausedUntil == nil)
            let third = try await t.store.attempts.record(attempt(.noShow, at: daysAgo(1)), person: dana.id, zone: utc, as: t.account)
            #expect(third.pausedUntil == CalendarDay(year: 2026, month: 11, day: 22).adding(days: 60))
            let paused = try await t.people.get(dana.id, as: t.account)
            #expect(paused.pausedUntil == third.pausedUntil)
            let persona = try await t.personas.find("Ops Lead", as: t.account)
            let pick = try await t.people.pick(from: persona, count: 5, now: fixedNow, as: t.account)
            #expect(pick.result.suggestions.isEmpty)
            #expect(pick.result.excluded.first?.reason.hasPrefix("paused until") == true)
            let clock = UserClock(now: fixedNow, zone: utc, settings: Settings())
            let plan = try await t.store.outreach.plan(PlanOptions(day: clock.today), source: .persona("Ops Lead"), clock: clock, as: t.account)
            #expect(plan.calls.isEmpty && plan.notToday.first?.reason.hasPrefix("paused until") == true)
        }
    }

    @Test("the plan for everyone due carries the last topic and today's attempts", arguments: Backend.available)
    func plan(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let dana = try await t.people.add(details("Dana Kim") { $0.timeZone = "Asia/Tokyo"; $0.phones = [ContactPoint(value: "+81 3 1234 5678")] }, as: t.account).person
            let lee = try await t.people.add(details("Lee Park") { $0.timeZone = "Europe/Berlin"; $0.phones = [ContactPoint(value: "+49 30 1234567")] }, as: t.account).person
            let none = try await t.people.add(details("No Phone"), as: t.account).person
            _ = try await t.store.conversations.log(conversation(.email, [none.id], at: daysAgo(50)), as: t.account)
            _ = try await t.store.conversations.log(conversation(.call, [dana.id], at: daysAgo(40)) { $0.objective = "Exports" }, as: t.account)
            _ = try await t.store.conversations.log(conversation(.call, [lee.id], at: daysAgo(35)), as: t.account)
            _ = try await t.store.attempts.record(attempt(.noAnswer, at: fixedNow.addingTimeInterval(-1800)), person: lee.id, zone: utc, as: t.account)
            let clock = UserClock(now: fixedNow, zone: TimeZone(identifier: "Europe/Berlin")!, settings: Settings())
            let plan = try await t.store.outreach.plan(PlanOptions(day: clock.today, from: ClockTime(hour: 8)), source: .due, clock: clock, as: t.account)
            #expect(plan.calls.map(\.person.name) == ["Dana Kim", "Lee Park"])
            #expect(plan.calls[0].lastTopic == "Exports (Wed 14 Oct 2026)")
            #expect(plan.calls[1].attemptsToday == ["no-answer at 09:30"])
            #expect(plan.noPhone.map(\.person.name) == ["No Phone"])
        }
    }

    @Test("a campaign with an unknown placeholder or persona is refused; names are unique", arguments: Backend.available)
    func campaignRules(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let bad = await failure { _ = try await t.store.campaigns.add(campaign { $0.subject = "{{firstname}}"; $0.personas = ["Nobody"] }, as: t.account) }
            #expect(bad?.fieldErrors.map(\.field) == ["subject"])
            let persona = await failure { _ = try await t.store.campaigns.add(campaign { $0.personas = ["Nobody"] }, as: t.account) }
            #expect(persona?.fieldErrors.map(\.field) == ["personas"])
            _ = try await t.store.campaigns.add(campaign(), as: t.account)
            let twice = await failure { _ = try await t.store.campaigns.add(campaign("q4 EXPORTS"), as: t.account) }
            #expect(twice?.fieldErrors.map(\.field) == ["name"])
            var weekly = CampaignPatch()
            weekly.weekly = 40
            let edited = try await t.store.campaigns.update("Q4 exports", with: weekly, as: t.account)
            #expect(edited.details.weekly == 40)
            var badBody = CampaignPatch()
            badBody.body = "{{nope}}"
            let refusedEdit = await failure { _ = try await t.store.campaigns.update("Q4 exports", with: badBody, as: t.account) }
            #expect(refusedEdit?.fieldErrors.map(\.field) == ["body"])
            #expect(try await t.store.campaigns.get("q4 exports", as: t.account).details.body.contains("{{first_name}}"))
        }
    }

    @Test("a batch respects quota and company spread, is repeatable, and other campaigns skip its people", arguments: Backend.available)
    func batches(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            for i in 1...5 {
                _ = try await t.people.add(details("Acme \(i)") { $0.company = "Acme"; $0.emails = [ContactPoint(value: "a\(i)@acme.example")] }, as: t.account)
            }
            let g = try await t.people.add(details("Gina Globex") { $0.company = "Globex"; $0.emails = [ContactPoint(value: "gina@globex.example")] }, as: t.account).person
            let talked = try await t.people.add(details("Recent Talk") { $0.company = "Initech"; $0.emails = [ContactPoint(value: "r@initech.example")] }, as: t.account).person
            _ = try await t.store.conversations.log(conversation(.call, [talked.id], at: daysAgo(3)), as: t.account)
            _ = try await t.store.campaigns.add(campaign { $0.weekly = 3 }, as: t.account)
            _ = try await t.store.campaigns.add(campaign("Other") { $0.weekly = 10 }, as: t.account)
            let week = ISOWeek(CalendarDay(year: 2026, month: 11, day: 23))
            let dry = try await t.store.campaigns.batch("Q4 exports", week: week, dryRun: true, as: t.account)
            #expect(dry.dryRun && dry.recipients.count == 3)
            #expect(try await t.store.campaigns.recipients("Q4 exports", as: t.account).isEmpty)
            let first = try await t.store.campaigns.batch("Q4 exports", week: week, dryRun: false, as: t.account)
            #expect(first.recipients.filter { $0.company == "Acme" }.count == 2)
            #expect(first.recipients.contains { $0.person.id == g.id })
            #expect(first.skipped["contacted within 30 days"] == 1)
            #expect(first.recipients[0].subject.hasSuffix(", 20 minutes?"))
            #expect(first.recipients[0].body.contains("Could Acme spare a 20-minute call about exports?"))
            let again = try await t.store.campaigns.batch("Q4 exports", week: week, dryRun: false, as: t.account)
            #expect(again.existing && again.recipients.map(\.person.id) == first.recipients.map(\.person.id))
            let other = try await t.store.campaigns.batch("Other", week: week, dryRun: false, as: t.account)
            #expect(Set(other.recipients.map(\.person.id)).isDisjoint(with: first.recipients.map(\.person.id)))
            #expect(other.skipped["in this week's batch of Q4 exports"] == 3)
            _ = try await t.store.campaigns.setState("Q4 exports", .paused, as: t.account)
            let paused = await failure { _ = try await t.store.campaigns.batch("Q4 exports", week: week.adding(weeks: 1), dryRun: false, as: t.account) }
            #expect(paused?.fieldErrors.map(\.field) == ["campaign"])
        }
    }

    @Test("marking: opted-out sets do-not-contact, bounced marks the email, statuses feed the funnel", arguments: Backend.available)
    func marking(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let a = try await t.people.add(details("Ann") { $0.emails = [ContactPoint(value: "ann@x.example")] }, as: t.account).person
            let b = try await t.people.add(details("Ben") { $0.emails = [ContactPoint(value: "ben@x.example")] }, as: t.account).person
            let c = try await t.people.add(details("Cy") { $0.emails = [ContactPoint(value: "cy@x.example")] }, as: t.account).person
            let outsider = try await t.people.add(details("Out"), as: t.account).person
            _ = try await t.store.campaigns.add(campaign(), as: t.account)
            _ = try await t.store.campaigns.batch("Q4 exports", week: ISOWeek(CalendarDay(year: 2026, month: 11, day: 23)), dryRun: false, as: t.account)
            let opted = try await t.store.campaigns.mark("Q4 exports", people: [a.id], status: .optedOut, as: t.account)
            #expect(opted.first?.doNotContact == "opted out of Q4 exports")
            #expect(try await t.people.get(a.id, as: t.account).doNotContact?.reason == "opted out of Q4 exports")
            _ = try await t.store.campaigns.mark("Q4 exports", people: [b.id], status: .bounced, as: t.account)
            #expect(try await t.people.get(b.id, as: t.account).details.emails.first?.bad == true)
            _ = try await t.store.campaigns.mark("Q4 exports", people: [c.id], status: .talked, as: t.account)
            let wrong = await failure { _ = try await t.store.campaigns.mark("Q4 exports", people: [c.id, outsider.id], status: .sent, as: t.account) }
            #expect(wrong?.fieldErrors.map(\.field) == ["person"])
            #expect(try await t.store.campaigns.recipients("Q4 exports", as: t.account).first { $0.person.id == c.id }?.status == .talked)
            _ = try await t.store.attempts.record(attempt(.noAnswer) { $0.campaign = "q4 exports" }, person: c.id, zone: utc, as: t.account)
            let clock = UserClock(now: fixedNow, zone: utc, settings: Settings())
            let funnel = try await t.store.outreach.funnel(campaign: "Q4 exports", by: .campaign, clock: clock, as: t.account)
            #expect(funnel.totals.attempts == 4 && funnel.totals.emails == 3 && funnel.totals.calls == 1)
            #expect(funnel.totals.pickedUp == 2 && funnel.totals.declined == 1 && funnel.totals.talked == 1)
            #expect(funnel.rows.map(\.key) == ["Q4 exports"])
            let empty = try await t.store.outreach.funnel(since: CalendarDay(year: 2026, month: 12, day: 1), clock: clock, as: t.account)
            #expect(empty.totals.attempts == 0)
        }
    }

    @Test("merging two people moves their attempts and campaign emails", arguments: Backend.available)
    func merge(_ backend: Backend) async throws {
        try await TestStore.with(backend) { t in
            let a = try await t.people.add(details("Dana Kim") { $0.emails = [ContactPoint(value: "dana@x.example")] }, as: t.account).person
            let b = try await t.people.add(details("D. Kim") { $0.phones = [ContactPoint(value: "+49 30 1234567")] }, as: t.account).person
            _ = try await t.store.attempts.record(attempt(.wrongNumber), person: b.id, zone: utc, as: t.account)
            _ = try await t.store.attempts.record(attempt(.noAnswer), person: a.id, zone: utc, as: t.account)
            let merged = try await t.people.merge(b.id, into: a.id, as: t.account)
            #expect(try await t.store.attempts.list(AttemptFilter(person: merged.id), as: t.account).count == 2)
            #expect(merged.details.phones.first?.bad == true)
        }
    }
}
