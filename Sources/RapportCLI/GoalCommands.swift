import ArgumentParser
import Foundation
import RapportCore
import RapportStore

extension GoalMetric: ExpressibleByArgument {}

/// `rapport goals ...`
struct GoalsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "goals", abstract: "SMART goals: progress, pace, projection and what it takes per week.",
        subcommands: [AddGoal.self, ListGoals.self, ShowGoal.self, EditGoal.self, ArchiveGoal.self])
}

struct AddGoal: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a goal: rapport goals add \"Talk to 12 Ops Leads\" --metric people --target 12 --from 2026-10-01 --to 2026-12-31 --persona \"Ops Lead\".",
        discussion: "A goal is checked when created: a target of 0, an end before the start, or a filter that can never count anything is refused with the reason.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "What the goal is.") var title: String
    @Option(help: "conversations, people, outreach or personas-covered.") var metric: GoalMetric
    @Option(help: "The number to reach.") var target: Int
    @Option(help: "First day (DATE).") var from: String
    @Option(help: "Last day (DATE).") var to: String
    @Option(help: "Only conversations of this kind. Repeatable.") var kind: [ConversationKind] = []
    @Option(help: "Only people of this persona. Repeatable.") var persona: [String] = []
    @Option(help: "The product goal it serves.") var serves: String?

    func run(in env: CLIEnvironment) async throws {
        let goal = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let errors = FieldErrors()
            let start = try errors.check { try clock.parse(from, field: "from", lean: .past).day }
            let end = try errors.check { try clock.parse(to, field: "to", lean: .future).day }
            try errors.throwIfAny()
            var d = GoalDetails(title: title, metric: metric, target: target, from: start ?? clock.today, to: end ?? clock.today)
            d.kinds = kind
            d.personas = persona
            d.serves = serves
            return try await store.goals.add(d, as: account)
        }
        if global.json { try env.json(goal); return }
        env.output.line("Added goal #\(goal.id).")
        GoalPrinter(env: env).goal(goal)
    }
}

struct ListGoals: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Goals with their progress, soonest end first.")
    @OptionGroup var global: GlobalOptions
    @Flag(help: "Include archived goals.") var all = false

    func run(in env: CLIEnvironment) async throws {
        let goals = try await env.withStore(global) { store, account in try await store.goals.list(includeArchived: all, as: account) }
        if global.json { try env.json(goals); return }
        if goals.isEmpty { env.output.line("No goals yet: `rapport goals add TITLE --metric conversations --target 12 --from today --to \"in 4 weeks\"`."); return }
        for g in goals { GoalPrinter(env: env).goal(g) }
    }
}

struct ShowGoal: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One goal and where it stands.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The goal's id.") var id: String

    func run(in env: CLIEnvironment) async throws {
        let goal = try await env.withStore(global) { store, account in try await store.goals.find(id, as: account) }
        if global.json { try env.json(goal); return }
        GoalPrinter(env: env).goal(goal)
        let p = goal.progress
        env.output.line("    expected by today \(p.expected), \(p.ahead >= 0 ? "ahead" : "behind") by \(abs(p.ahead)); projected \(p.projected); \(p.perWeekNeeded) a week needed; \(p.daysLeft) days left")
    }
}

struct EditGoal: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a goal; it is checked again.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The goal's id.") var id: String
    @Option(help: "New title.") var title: String?
    @Option(help: "New target.") var target: Int?
    @Option(help: "New first day.") var from: String?
    @Option(help: "New last day.") var to: String?
    @Option(help: "What it serves.") var serves: String?

    func run(in env: CLIEnvironment) async throws {
        let goal = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let found = try await store.goals.find(id, as: account)
            let start = try from.map { try clock.parse($0, field: "from", lean: .past).day }
            let end = try to.map { try clock.parse($0, field: "to", lean: .future).day }
            var patch = GoalPatch()
            (patch.title, patch.target, patch.from, patch.to) = (title, target, start, end)
            patch.serves = serves.map { $0.trimmed.isEmpty ? .clear : .set($0) }
            return try await store.goals.update(found.id, with: patch, as: account)
        }
        if global.json { try env.json(goal); return }
        GoalPrinter(env: env).goal(goal)
    }
}

struct ArchiveGoal: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "archive", abstract: "Archive a goal (or bring it back with --undo).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The goal's id.") var id: String
    @Flag(help: "Bring it back.") var undo = false

    func run(in env: CLIEnvironment) async throws {
        let goal = try await env.withStore(global) { store, account in
            try await store.goals.setArchived(try await store.goals.find(id, as: account).id, !undo, as: account)
        }
        if global.json { try env.json(goal); return }
        env.output.line(undo ? "Goal #\(goal.id) is back." : "Archived goal #\(goal.id).")
    }
}

/// `rapport streak`
struct StreakCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "streak", abstract: "Weeks in a row with at least N conversations (your weekly habit), this week, the longest, and weeks missed lately.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Conversations a week (default: setting streak.min, 1).") var min: Int?

    func validate() throws {
        if let min, !(1...50).contains(min) { throw ValidationError("--min must be between 1 and 50") }
    }

    func run(in env: CLIEnvironment) async throws {
        let s = try await env.withStore(global) { store, account in try await store.goals.streak(minimum: min, as: account) }
        if global.json { try env.json(s); return }
        env.output.line("Streak: \(s.current) week\(s.current == 1 ? "" : "s") in a row with at least \(s.minimum) conversation\(s.minimum == 1 ? "" : "s") (longest \(s.longest)).")
        let more = max(s.minimum - s.thisWeekCount, 0)
        env.output.line("This week (\(s.thisWeek)): \(s.thisWeekCount)" + (more > 0 ? "; \(more) more keeps the streak going." : "; made it."))
        env.output.line(s.missedLastQuarter.isEmpty ? "No week missed in the last quarter." : "Missed in the last quarter: " + s.missedLastQuarter.map(\.description).joined(separator: ", "))
    }
}

struct GoalPrinter {
    let env: CLIEnvironment

    func goal(_ g: Goal) {
        let d = g.details
        var filters: [String] = []
        if !d.kinds.isEmpty { filters.append(d.kinds.map(\.rawValue).joined(separator: ", ")) }
        if !d.personas.isEmpty { filters.append(d.personas.joined(separator: ", ")) }
        env.output.line("#\(g.id) \(d.title) [\(g.progress.state)]\(g.archived ? " (archived)" : "") · \(d.from) to \(d.to)"
                        + (filters.isEmpty ? "" : " · " + filters.joined(separator: " · ")) + (d.serves.map { " · serves: \($0)" } ?? ""))
        env.output.line("    " + g.progress.summary)
    }
}

/// `rapport today`: the dashboard in the terminal.
struct TodayCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "today", abstract: "Where you stand this week: the habit, the streak, goals, today's calls, what is due, quiet personas, rising themes.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let d = try await env.withStore(global) { store, account in try await store.dashboard.today(as: account) }
        if global.json { try env.json(d); return }
        let out = env.output
        if d.empty {
            out.line("Welcome to Rapport. Start with `rapport people add \"Dana Kim\" --company Acme --persona \"Ops Lead\"`,")
            out.line("or look around with demo data: `rapport serve --demo`.")
            return
        }
        out.line("This week (\(d.week)): \(d.conversationsThisWeek) conversation\(d.conversationsThisWeek == 1 ? "" : "s"), the habit is \(d.streak.minimum)."
                 + " Streak \(d.streak.current) week\(d.streak.current == 1 ? "" : "s") (longest \(d.streak.longest)).")
        if !d.goals.isEmpty {
            out.line("Goals")
            for g in d.goals { out.line("  #\(g.id) \(g.details.title): \(g.progress.summary)") }
        }
        if !d.calls.isEmpty {
            out.line("Today's first calls")
            for c in d.calls { out.line("  \(c.myTime)  \(c.person.name) (\(c.theirTime) in \(c.place))") }
        }
        if !d.followUps.isEmpty {
            out.line("Follow-ups due")
            for f in d.followUps { out.line("  \(f.followUp.text) — \(f.followUp.person.name)\(f.daysLate > 0 ? " (\(f.daysLate) days late)" : "")") }
        }
        if d.overdueCount > 0 { out.line("Overdue: \(d.overdueCount) (first: " + d.overdue.prefix(3).map(\.person.name).joined(separator: ", ") + ")") }
        if !d.quietPersonas.isEmpty {
            out.line("Not heard from in 30 days: " + d.quietPersonas.map { $0.persona + ($0.weeksSince.map { " (\($0) weeks)" } ?? " (never)") }.joined(separator: ", "))
        }
        for b in d.birthdays {
            out.line("Birthday: \(b.person.name), \(b.on.label) (\(b.when)\(b.turns.map { ", turns \($0)" } ?? ""))")
        }
        for t in d.risingThemes { out.line("Rising: \(t.name), \(t.trend.explanation)") }
        if let h = d.nextHypothesis { out.line("Next hypothesis: \(h.text). \(h.nextStep)") }
    }
}
