import ArgumentParser
import Foundation
import RapportCore
import RapportStore

/// `rapport due`: whom do I owe a call?
struct DueCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "due", abstract: "Overdue people, people coming due, and follow-ups due.",
        discussion: """
            A person is due their cadence in days after their last conversation (or after they were added, if never \
            talked to). Without a cadence of their own, their stage's default applies: `rapport settings show`. \
            Archived, do-not-contact and snoozed people are left out. Second-hand reports do not reset the clock.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "Also list people coming due within this many days.") var within = 7
    @Option(help: "List at most this many people in each list (1 to \(DueReport.maxLimit)); the counts include everyone.") var limit = 50
    @Option(help: "Pass over this many people of each list first: the next page is --offset 50.") var offset = 0

    func run(in env: CLIEnvironment) async throws {
        let (report, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            return (try await store.activity.due(within: within, limit: limit, offset: offset, clock: clock, as: account), clock)
        }
        if global.json { try env.json(report); return }
        let out = env.output
        out.line("Due as of \(report.today.label)")
        if report.overdueCount == 0 && report.upcomingCount == 0 && report.followUps.isEmpty {
            out.line("Nobody is due and no follow-up is waiting. Well kept.")
        }
        /// "Overdue (120, 51 to 100 shown)" when the list is longer than the page.
        func heading(_ title: String, _ shown: Int, _ total: Int) -> String {
            "\(title) (\(total)" + (report.shown(shown, of: total).map { ", \($0)" } ?? "") + ")"
        }
        func person(_ entry: DuePerson) {
            let p = entry.person
            var line = "  #\(p.id) \(p.name)" + (p.details.company.map { ", \($0)" } ?? "")
            line = line.padding(36) + " " + entry.status.phrase.padding(18)
            line += entry.status.lastContact.map { " last talked \(CalendarDay($0, in: clock.zone))" } ?? " never talked to"
            line += " · every \(entry.status.cadenceDays ?? 0) days · warmth \(p.details.warmth)"
            out.line(line)
        }
        if report.overdueCount > 0 {
            out.line("")
            out.line(heading("Overdue", report.overdue.count, report.overdueCount))
            report.overdue.forEach(person)
        }
        if report.upcomingCount > 0 {
            out.line("")
            out.line(heading("Coming due within \(report.within) days", report.upcoming.count, report.upcomingCount))
            report.upcoming.forEach(person)
        }
        if report.hasMore {
            out.line("")
            out.line("More: rapport due --offset \(offset + limit)" + (limit == 50 ? "" : " --limit \(limit)")
                     + (within == 7 ? "" : " --within \(within)"))
        }
        if !report.followUps.isEmpty {
            out.line("")
            out.line("Follow-ups due (\(report.followUps.count))")
            for entry in report.followUps {
                let late = entry.daysLate == 0 ? "due today" : entry.daysLate == 1 ? "1 day late" : "\(entry.daysLate) days late"
                out.line("  #\(entry.followUp.id) \(entry.followUp.person.name): \(entry.followUp.text)  (\(late))")
            }
        }
        if report.snoozed > 0 {
            out.line("")
            out.line("\(report.snoozed) snoozed \(report.snoozed == 1 ? "person is" : "people are") not shown.")
        }
    }
}

/// `rapport followups ...`
struct FollowUpsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "followups", abstract: "What you owe people: add, list, done, snooze.",
        subcommands: [AddFollowUp.self, ListFollowUps.self, DoneFollowUp.self, SnoozeFollowUp.self])
}

struct AddFollowUp: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a follow-up for a person.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "What to do, e.g. \"send Dana the export spec\".") var text: String
    @Option(help: "Who it is for: id, email, or a unique part of the name.") var person: String
    @Option(help: "The conversation it came from (its id).") var conversation: Int64?
    @Option(help: "When it is due (DATE: friday, tomorrow 15:00, 2026-12-01).") var due: String?

    func run(in env: CLIEnvironment) async throws {
        let (made, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let moment = try due.map { try clock.parse($0, field: "due", lean: .future) }
            let found = try await store.people.resolve(person, as: account)
            return (try await store.followUps.add(text, person: found.id, conversation: conversation.map(ConversationID.init),
                                                  due: moment, as: account), clock)
        }
        if global.json { try env.json(made); return }
        env.output.line("Added " + ConversationPrinter(env: env, clock: clock).followUp(made) + " for \(made.person.name).")
    }
}

struct ListFollowUps: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Follow-ups: open ones by due day (the default), or done ones.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Open ones (the default).") var open = false
    @Flag(help: "Done ones.") var done = false
    @Flag(help: "Both.") var all = false
    @Option(help: "Only this person's.") var person: String?

    func validate() throws {
        if [open, done, all].filter({ $0 }).count > 1 { throw ValidationError("give one of --open, --done or --all") }
    }

    func run(in env: CLIEnvironment) async throws {
        let state: FollowUpState = done ? .done : all ? .all : .open
        let (list, clock) = try await env.withStore(global) { store, account in
            var id: PersonID?
            if let person { id = try await store.people.resolve(person, as: account).id }
            return (try await store.followUps.list(state, person: id, as: account), try await store.clock(as: account))
        }
        if global.json { try env.json(list); return }
        if list.isEmpty { env.output.line(state == .done ? "Nothing done yet." : "No open follow-ups."); return }
        let printer = ConversationPrinter(env: env, clock: clock)
        for f in list { env.output.line(printer.followUp(f) + " — \(f.person.name)") }
    }
}

struct DoneFollowUp: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "done", abstract: "Mark a follow-up done (--undo opens it again).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The follow-up's id.") var id: Int64
    @Flag(help: "Open it again.") var undo = false

    func run(in env: CLIEnvironment) async throws {
        let changed = try await env.withStore(global) { store, account in
            try await store.followUps.setDone(FollowUpID(id), !undo, as: account)
        }
        if global.json { try env.json(changed); return }
        env.output.line(undo ? "Reopened follow-up #\(id): \(changed.text)" : "Done: follow-up #\(id) for \(changed.person.name), \(changed.text)")
    }
}

struct SnoozeFollowUp: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "snooze", abstract: "Move a follow-up to a later day.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The follow-up's id.") var id: Int64
    @Option(help: "The new due day (DATE: monday, in 3 days, 2026-12-01).") var until: String

    func run(in env: CLIEnvironment) async throws {
        let (changed, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let moment = try clock.parse(until, field: "until", lean: .future)
            return (try await store.followUps.snooze(FollowUpID(id), until: moment, today: clock.today, as: account), clock)
        }
        if global.json { try env.json(changed); return }
        env.output.line("Snoozed: " + ConversationPrinter(env: env, clock: clock).followUp(changed))
    }
}

/// `rapport people snooze REF --until DATE`.
struct SnoozePerson: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "snooze", abstract: "Take a person out of `due` until a day (--clear brings them back).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Id, email, or a unique part of the name.") var person: String
    @Option(help: "The day they come back (DATE: 2027-01-15, monday, in 2 weeks).") var until: String?
    @Flag(help: "Bring them back now.") var clear = false

    func validate() throws {
        if clear == (until != nil) { throw ValidationError("give either --until DATE or --clear") }
    }

    func run(in env: CLIEnvironment) async throws {
        let changed = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let day = try until.map { try clock.parse($0, field: "until", lean: .future).day }
            let found = try await store.people.resolve(person, as: account)
            return try await store.people.snooze(found.id, until: day, today: clock.today, as: account)
        }
        if global.json { try env.json(changed); return }
        if let day = changed.snoozedUntil {
            env.output.line("Snoozed #\(changed.id) \(changed.name) until \(day.label): out of `rapport due` until then.")
        } else {
            env.output.line("#\(changed.id) \(changed.name) is back in `rapport due`.")
        }
    }
}

/// `rapport settings ...`
struct SettingsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "settings", abstract: "Show and change settings: cadence defaults, your time zone.",
        subcommands: [ShowSettings.self, SetSetting.self, ResetSetting.self, RotateSetting.self])
}

struct RotateSetting: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "rotate",
        abstract: "Make a new secret: calendar-token gives the calendar feed a new address; the old one stops working.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "What to rotate: calendar-token.") var secret: String

    func validate() throws {
        guard secret == "calendar-token" else { throw ValidationError("only calendar-token can be rotated: rapport settings rotate calendar-token") }
    }

    func run(in env: CLIEnvironment) async throws {
        let token = try await env.withStore(global) { store, account in try await store.settings.rotateCalendarToken(as: account) }
        let path = "/calendar/\(token).ics"
        if global.json { try env.json(["feed": path]); return }
        env.output.line("The calendar feed is now at \(path) on your Rapport server (e.g. http://127.0.0.1:8080\(path)).")
        env.output.line("The old address no longer works; subscribe to the new one in your calendar app.")
    }
}

extension UserClock {
    /// The entry of one setting, as `settings show --json` lists it.
    func entry(_ key: String) -> SettingEntry? {
        settings.entries(zone: zone.identifier).first { $0.key == key }
    }
}

struct ShowSettings: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Every setting, its value and what it means.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let clock = try await env.withStore(global) { store, account in try await store.clock(as: account) }
        let rows = clock.settings.entries(zone: clock.zone.identifier)
        if global.json { try env.json(rows); return }
        let width = rows.map(\.key.count).max() ?? 0
        for row in rows {
            let value = (row.value ?? "none") + (row.isDefault ? " (default)" : "")
            env.output.line(row.key.padding(width) + "  " + value.padding(26) + "  " + row.help)
        }
    }
}

struct SetSetting: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "set", abstract: "Change a setting: rapport settings set cadence.customer 45.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The setting, e.g. cadence.customer or timezone.") var key: String
    @Argument(help: "Its new value.") var value: String

    func run(in env: CLIEnvironment) async throws {
        let clock = try await env.withStore(global) { store, account in
            _ = try await store.settings.set(key, to: value, as: account)
            return try await store.clock(as: account)
        }
        let name = try Settings.definition(key).key
        if global.json { try env.json(clock.entry(name)); return }
        env.output.line("\(name) = \(clock.entry(name)?.value ?? "none")")
    }
}

struct ResetSetting: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "reset", abstract: "Put a setting back to its default.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The setting.") var key: String

    func run(in env: CLIEnvironment) async throws {
        let clock = try await env.withStore(global) { store, account in
            _ = try await store.settings.reset(key, as: account)
            return try await store.clock(as: account)
        }
        let name = try Settings.definition(key).key
        if global.json { try env.json(clock.entry(name)); return }
        env.output.line("\(name) = \(clock.entry(name)?.value ?? "none") (default)")
    }
}
