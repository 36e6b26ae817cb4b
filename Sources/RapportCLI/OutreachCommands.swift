import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

extension AttemptOutcome: ExpressibleByArgument {}
extension RecipientStatus: ExpressibleByArgument {}
extension Funnel.Breakdown: ExpressibleByArgument {}

/// `rapport plan`: today's call sheet.
struct PlanCommand: RapportRunnable {
    enum Format: String, ExpressibleByArgument { case text, ics }

    static let configuration = CommandConfiguration(
        commandName: "plan", abstract: "Today's call sheet: whom to call, in what order, at whose time.",
        discussion: """
            Candidates are the people named with --people, else those of --persona or --campaign, else everyone \
            overdue (`rapport due`). Do-not-contact, archived, snoozed and paused people never go on it; people \
            without a phone are listed apart. The easternmost time zone comes first (largest UTC offset that day), \
            then the most overdue, then the warmest. Each call gets a slot of your window (09:00-17:00 your time) \
            that falls inside their business hours (09:00-18:00 their time on weekdays, or their own: \
            `rapport people edit REF --hours 08:00-16:00`); whoever cannot fit is listed under "not today" with \
            the reason.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "The day (default today): tomorrow, friday, 2026-11-30.") var date: String?
    @Option(help: "Start of your window, HH:MM your time.") var from = "09:00"
    @Option(help: "End of your window, HH:MM your time.") var to = "17:00"
    @Option(help: "Minutes per call.") var slot = 20
    @Option(help: "At most this many calls.") var max: Int?
    @Option(help: "Plan calls with the people of this persona.") var persona: String?
    @Option(help: "Plan calls with the audience of this campaign.") var campaign: String?
    @Option(parsing: .upToNextOption, help: "Plan calls with these people (ids, emails or names).") var people: [String] = []
    @Option(help: "text, or ics for calendar events (with --json, JSON wins).") var format: Format = .text

    func validate() throws {
        if [persona != nil, campaign != nil, !people.isEmpty].filter({ $0 }).count > 1 {
            throw ValidationError("give one of --people, --persona or --campaign")
        }
    }

    func run(in env: CLIEnvironment) async throws {
        let (plan, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let errors = FieldErrors()
            let day = try errors.check { try date.map { try clock.parse($0, field: "date", lean: .future).day } ?? clock.today }
            let start = try errors.check { try ClockTime.parse(from, field: "from") }
            let end = try errors.check { try ClockTime.parse(to, field: "to") }
            try errors.throwIfAny()
            let options = PlanOptions(day: day ?? clock.today, from: start ?? ClockTime(hour: 9), to: end ?? ClockTime(hour: 17),
                                      slotMinutes: slot, max: max)
            let source = try await store.outreach.source(people: people, persona: persona, campaign: campaign, as: account)
            return (try await store.outreach.plan(options, source: source, clock: clock, as: account), clock)
        }
        if global.json { try env.json(plan); return }
        // Written as is: RFC 5545 lines end in CRLF, which a line-by-line print would lose.
        if format == .ics { env.output.raw(try CalendarFile.ics(plan, now: env.now())); return }
        PlanPrinter(env: env, clock: clock).print(plan)
    }
}

struct PlanPrinter {
    let env: CLIEnvironment
    let clock: UserClock

    /// One line a group (place, zone, how many and why) and its first people.
    private func groups(_ heading: String, _ list: [PlanGroup]) {
        guard !list.isEmpty else { return }
        let out = env.output
        out.line("")
        out.line(heading)
        for group in list {
            out.line("  \(group.place) (\(group.zone)), \(group.people.count) \(group.people.count == 1 ? "person" : "people"): \(group.reason)")
            out.line("      " + PlanPrinter.names(group.people, shown: 4))
        }
    }

    /// `#12 Aiko Tanaka, #40 Ken Sato and 310 more (--json lists everyone)`: the first `shown` of a group.
    static func names(_ people: [PersonSummary], shown: Int) -> String {
        let first = people.prefix(shown).map { "#\($0.id) \($0.name)" }.joined(separator: ", ")
        let rest = people.count - min(shown, people.count)
        return rest == 0 ? first : "\(first) and \(rest) more (--json lists everyone)"
    }

    func print(_ plan: CallPlan) {
        let out = env.output
        out.line("Call plan for \(plan.day.label), \(plan.from)-\(plan.to) \(plan.zone), \(plan.slotMinutes)-minute slots")
        if plan.calls.isEmpty {
            out.line(plan.notToday.isEmpty && plan.noPhone.isEmpty && plan.outsideHours.isEmpty && plan.noSlotLeft.isEmpty && plan.notReached == 0
                ? "Nobody to call: no one is overdue. Plan a persona with --persona, or name people with --people."
                : "No call fits today; see why below.")
        }
        for call in plan.calls {
            let who = call.person.name + (call.company.map { ", \($0)" } ?? "")
            let theirs = "\(call.theirTime) \(call.place) (UTC\(call.theirOffset))"
            out.line("\(String(call.position).padding(3)) \(call.myTime)  \(theirs.padding(30)) \(who.padding(30)) \(call.phone)")
            out.line("      why: \(call.why)")
            if let topic = call.lastTopic { out.line("      last time: \(topic)") }
            if !call.attemptsToday.isEmpty { out.line("      today: \(call.attemptsToday.joined(separator: ", "))") }
        }
        if !plan.notToday.isEmpty {
            out.line("")
            out.line("Not today (\(plan.notToday.count))")
            for skip in plan.notToday {
                out.line("  #\(skip.person.id) \(skip.person.name)" + (skip.company.map { ", \($0)" } ?? "") + ": \(skip.reason)")
            }
        }
        groups("No free slot left (\(plan.noSlotLeftCount)): people before them took every slot inside their hours", plan.noSlotLeft)
        groups("Outside their hours (\(plan.outsideHoursCount)): no slot of your window is in their working day", plan.outsideHours)
        if !plan.noPhone.isEmpty {
            out.line("")
            out.line("No phone (\(plan.noPhone.count)): add one with `rapport people edit REF --phone +...`")
            for skip in plan.noPhone {
                out.line("  #\(skip.person.id) \(skip.person.name)" + (skip.company.map { ", \($0)" } ?? "") + ": \(skip.reason)")
            }
        }
        if plan.notReached > 0 {
            out.line("")
            out.line("\(plan.notReached) more overdue, not looked at: today's plan is full before their turn. See everyone due: rapport due")
        }
        if !plan.calls.isEmpty {
            out.line("")
            out.line("Log each call: rapport attempt REF --outcome \(AttemptOutcome.list.replacing(", ", with: "|"))")
        }
    }
}

/// `rapport attempt`: log how a call went.
struct AttemptCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "attempt", abstract: "Log a call attempt and its outcome.",
        discussion: """
            talked logs the call as a conversation in the same step; rescheduled adds a follow-up at --reschedule; \
            wrong-number marks the number called as wrong (plan then uses their next number); no-show is a \
            scheduled call they missed: three in a row pause them in pick and plan (`no-show.pause-days`, 60).
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Who: id, email, or a unique part of the name.") var person: String
    @Option(help: "no-answer, voicemail, wrong-number, declined, rescheduled, no-show or talked.") var outcome: AttemptOutcome
    @Option(help: "When (default now): 09:20, yesterday 15:00.") var when: String?
    @Option(help: "A note.") var note: String?
    @Option(help: "The campaign this call belongs to.") var campaign: String?
    @Option(help: "With rescheduled: when the new call is (friday 15:00).") var reschedule: String?
    @Option(help: "The number called (default: their first good number).") var phone: String?

    func run(in env: CLIEnvironment) async throws {
        let (recorded, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let errors = FieldErrors()
            let at = try errors.check { try when.map { try clock.parse($0, field: "when", lean: .past).date } ?? clock.now }
            let again = try errors.check { try reschedule.map { try clock.parse($0, field: "reschedule", lean: .future) } }
            let target = try await errors.check { try await store.people.resolve(person, as: account) }
            try errors.throwIfAny()
            guard let at, let target else { throw RapportError.invalid("person", "could not be read") }
            let details = AttemptDetails(outcome: outcome, at: at, note: note, campaign: campaign, reschedule: again ?? nil, phone: phone)
            return (try await store.attempts.record(details, person: target.id, zone: clock.zone, as: account), clock)
        }
        if global.json { try env.json(recorded); return }
        let a = recorded.attempt
        let out = env.output
        out.line("Logged \(a.outcome.rawValue) for \(a.person.name) (#\(a.person.id)) at \(clock.show(a.at))" + (a.campaign.map { " in \($0)" } ?? "") + ". Attempt #\(a.id).")
        if let c = recorded.conversation {
            out.line("Conversation #\(c.id) logged as a call; add notes with `rapport conversations edit \(c.id) --note ...`.")
        }
        if let f = recorded.followUp {
            out.line("Rescheduled: " + ConversationPrinter(env: env, clock: clock).followUp(f))
        }
        if let phone = recorded.phoneMarkedBad { out.line("Marked \(phone) as a wrong number; plan uses their next number.") }
        if let until = recorded.pausedUntil {
            out.line("Three no-shows in a row: \(a.person.name) is out of pick and plan until \(until.label).")
        }
    }
}

/// `rapport attempts`: the attempts logged so far.
struct AttemptsCommand: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "attempts", abstract: "List call attempts, newest first (--delete ID removes one).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only this person's.") var person: String?
    @Option(help: "Only this campaign's.") var campaign: String?
    @Option(help: "At most this many.") var limit = 50
    @Option(help: "Delete this attempt (what it set off stays).") var delete: Int64?

    func run(in env: CLIEnvironment) async throws {
        if let delete {
            try await env.withStore(global) { store, account in try await store.attempts.delete(AttemptID(delete), as: account) }
            if global.json { try env.json(["deleted": delete]) } else { env.output.line("Deleted attempt #\(delete).") }
            return
        }
        let (list, clock) = try await env.withStore(global) { store, account in
            let id = try await person.asyncMap { try await store.people.resolve($0, as: account).id }
            return (try await store.attempts.list(AttemptFilter(person: id, campaign: campaign, limit: limit), as: account),
                    try await store.clock(as: account))
        }
        if global.json { try env.json(list); return }
        if list.isEmpty { env.output.line("No attempts yet. Log one with `rapport attempt REF --outcome no-answer`."); return }
        for a in list {
            var line = "#\(a.id)  \(clock.show(a.at))  \(a.outcome.rawValue.padding(13)) \(a.person.name)"
            if let c = a.campaign { line += " · \(c)" }
            if let n = a.note { line += " · \(n)" }
            env.output.line(line)
        }
    }
}

/// `rapport funnel`: attempts to conversations, beside the rule of thumb.
struct FunnelCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "funnel", abstract: "Attempts, pick-ups, declines and conversations, beside the rule of thumb.",
        discussion: """
            Attempts are calls and campaign emails marked sent (or later). Picked up is anything but no-answer, \
            voicemail, wrong-number and no-show (for emails: a reply, scheduled or talked); declined is declined \
            (a reply saying no, or an opt-out). The articles' rule of thumb: about 50% pick up and about 20% of \
            those decline. --target N works backwards to the calls or emails a week it takes to hold N \
            conversations a week, at your own rates once you have 20 attempts.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "From this day (included).") var since: String?
    @Option(help: "To this day (included).") var until: String?
    @Option(help: "Only this campaign.") var campaign: String?
    @Option(help: "Break down by week, persona or campaign.") var by: Funnel.Breakdown?
    @Option(help: "Conversations a week you want to hold.") var target: Int?

    func run(in env: CLIEnvironment) async throws {
        let funnel = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let errors = FieldErrors()
            let from = try errors.check { try since.map { try clock.parse($0, field: "since", lean: .past).day } }
            let to = try errors.check { try until.map { try clock.parse($0, field: "until", lean: .past).day } }
            try errors.throwIfAny()
            return try await store.outreach.funnel(since: from ?? nil, until: to ?? nil, campaign: campaign, by: by, target: target,
                                                   clock: clock, as: account)
        }
        if global.json { try env.json(funnel); return }
        FunnelPrinter(env: env).print(funnel)
    }
}

struct FunnelPrinter {
    let env: CLIEnvironment

    func rate(_ value: Double?) -> String { value.map(Funnel.percent) ?? "—" }

    func print(_ f: Funnel) {
        let out = env.output
        var period = "all time"
        switch (f.since, f.until) {
        case let (s?, u?): period = "\(s) to \(u)"
        case let (s?, nil): period = "since \(s)"
        case let (nil, u?): period = "until \(u)"
        default: break
        }
        out.line("Funnel, \(period)" + (f.campaign.map { ", campaign \($0)" } ?? ""))
        let t = f.totals
        out.line("  Attempts   \(String(t.attempts).padding(5)) (\(t.calls) calls, \(t.emails) emails)")
        out.line("  Picked up  \(String(t.pickedUp).padding(5)) \(f.pickUp.text)")
        out.line("  Declined   \(String(t.declined).padding(5)) \(f.decline.text)")
        out.line("  Talked     \(String(t.talked).padding(5)) \(rate(t.talkRate)) of attempts")
        if t.attempts == 0 { out.line("No attempts yet: log calls with `rapport attempt`, emails with `rapport campaigns mark`.") }
        if let by = f.by, !f.rows.isEmpty {
            out.line("")
            out.line("By \(by.rawValue)")
            out.line("  " + by.rawValue.initialUpper.padding(24) + " Attempts  Picked up  Declined  Talked  Pick-up  Decline  Talk")
            for row in f.rows {
                let c = row.counts
                out.line("  " + row.key.padding(24) + " " + String(c.attempts).padding(9) + " " + String(c.pickedUp).padding(10) + " "
                    + String(c.declined).padding(9) + " " + String(c.talked).padding(7) + " " + rate(c.pickUpRate).padding(8) + " "
                    + rate(c.declineRate).padding(8) + " " + rate(c.talkRate))
            }
        }
        if let target = f.target {
            out.line("")
            out.line("Target: \(target.text).")
        }
    }
}
