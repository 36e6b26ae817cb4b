import ArgumentParser
import Foundation
import RapportCore
import RapportStore

extension FeedbackKind: ExpressibleByArgument {}

/// `rapport feedback ...`
struct FeedbackCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "feedback", abstract: "What you heard: pains, needs, requests, praise, bugs, usage, workarounds, churn risks.",
        subcommands: [AddFeedback.self, ListFeedback.self, ShowFeedback.self, EditFeedback.self, DeleteFeedback.self])
}

struct AddFeedback: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add feedback: rapport feedback add \"Exports take an hour\" --from dana --kind pain --theme exports.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "What was said (their words with --quote).") var text: String
    @Option(help: "Who said it: id, email or part of the name.") var from: String
    @Option(help: "The conversation it was heard in (its id).") var conversation: Int64?
    @Option(help: "pain, need, request, praise, bug, usage, workaround or churn-risk.") var kind: FeedbackKind
    @Flag(help: "The text is their words, verbatim.") var quote = false
    @Option(help: "A theme. Repeatable.") var theme: [String] = []
    @Option(help: "The product area.") var area: String?
    @Option(help: "1 (minor) to 5 (blocking).") var severity: Int?
    @Flag(help: "Heard from someone else (default: as the conversation).") var secondhand = false

    func run(in env: CLIEnvironment) async throws {
        let added = try await env.withStore(global) { store, account in
            var d = FeedbackDetails(text: text, person: try await store.people.resolve(from, as: account).id, kind: kind)
            d.conversation = conversation.map(ConversationID.init)
            d.quote = quote
            d.themes = theme
            d.area = area
            d.severity = severity
            if secondhand { d.secondhand = true }
            return (try await store.feedback.add(d, as: account), try await store.clock(as: account).zone)
        }
        if global.json { try env.json(added.0); return }
        env.output.line("Added feedback #\(added.0.id).")
        FeedbackPrinter(env: env, zone: added.1).row(added.0)
    }
}

struct ListFeedback: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Feedback, newest first, with filters.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only of this kind.") var kind: FeedbackKind?
    @Option(help: "Only with this theme.") var theme: String?
    @Option(help: "Only in this area.") var area: String?
    @Option(help: "Only from this person.") var person: String?
    @Option(help: "Only from this company.") var company: String?
    @Option(help: "Only from people of this persona.") var persona: String?
    @Option(help: "From this day on (DATE).") var since: String?
    @Option(help: "Up to and including this day (DATE).") var until: String?
    @Flag(help: "Only verbatim quotes.") var quotes = false
    @Option(help: "At most N.") var limit = 200
    @Option(help: "Pass over this many first: the next page is --offset LIMIT.") var offset = 0

    func validate() throws {
        guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 10000") }
        try MoreHint.validate(offset: offset)
    }

    func run(in env: CLIEnvironment) async throws {
        let (fetched, zone) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            var filter = FeedbackFilter()
            let errors = FieldErrors()
            filter.kind = kind
            filter.theme = theme
            filter.area = area
            filter.company = company
            filter.persona = persona
            filter.quotesOnly = quotes
            (filter.limit, filter.offset) = (limit + 1, offset)
            (filter.since, filter.until) = try clock.bounds(since: since, until: until, errors: errors)
            try errors.throwIfAny()
            if let person { filter.person = try await store.people.resolve(person, as: account).id }
            return (try await store.feedback.list(filter, as: account), clock.zone)
        }
        let page = ListPage.of(fetched, limit: limit, offset: offset)
        let found = page.items
        if global.json { try env.json(found); return }
        if found.isEmpty { env.output.line(offset > 0 ? "No feedback on this page: fewer than \(offset + 1) pieces match." : "No feedback matches."); return }
        for f in found { FeedbackPrinter(env: env, zone: zone).row(f) }
        env.output.line("\(found.count) piece\(found.count == 1 ? "" : "s") of feedback.")
        if let more = MoreHint.line(page, command: "rapport feedback list", options: [
            ("--kind", kind?.rawValue), ("--theme", theme), ("--area", area), ("--person", person), ("--company", company),
            ("--persona", persona), ("--since", since), ("--until", until), ("--quotes", quotes ? "" : nil),
        ], defaultLimit: 200, global: global) { env.output.line(more) }
    }
}

struct ShowFeedback: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "One piece of feedback, with the requests it backs.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The feedback's id.") var id: Int64

    struct Shown: Encodable {
        var feedback: Feedback
        var requests: [FeatureRequestID]
    }

    func run(in env: CLIEnvironment) async throws {
        let (f, requests, zone) = try await env.withStore(global) { store, account in
            (try await store.feedback.get(FeedbackID(id), as: account), try await store.requests.linking(FeedbackID(id), as: account),
             try await store.clock(as: account).zone)
        }
        if global.json { try env.json(Shown(feedback: f, requests: requests.map(\.id))); return }
        FeedbackPrinter(env: env, zone: zone).row(f)
        if let c = f.conversation { env.output.line("  From conversation #\(c)") }
        for r in requests { env.output.line("  Backs request #\(r.id): \(r.title)") }
    }
}

struct EditFeedback: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change feedback; --theme replaces the themes, --add-theme adds.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The feedback's id.") var id: Int64
    @Option(help: "New text.") var text: String?
    @Option(help: "A new kind.") var kind: FeedbackKind?
    @Option(help: "Replace the themes. Repeatable.") var theme: [String] = []
    @Option(name: .customLong("add-theme"), help: "Add a theme. Repeatable.") var addTheme: [String] = []
    @Option(help: "The area (\"\" clears).") var area: String?
    @Option(help: "1 to 5 (0 clears).") var severity: Int?
    @Option(help: "Verbatim quote: true or false.") var quote: Bool?
    @Option(help: "Second-hand: true or false.") var secondhand: Bool?

    func run(in env: CLIEnvironment) async throws {
        let (text, kind, theme, addTheme, area, severity, quote, secondhand) = (self.text, self.kind, self.theme, self.addTheme, self.area, self.severity, self.quote, self.secondhand)
        let (changed, zone) = try await env.withStore(global) { store, account in
            (try await store.feedback.update(FeedbackID(id), as: account) { d in
                if let text { d.text = text }
                if let kind { d.kind = kind }
                if !theme.isEmpty { d.themes = theme }
                d.themes += addTheme
                if let area { d.area = area }
                if let severity { d.severity = severity == 0 ? nil : severity }
                if let quote { d.quote = quote }
                if let secondhand { d.secondhand = secondhand }
            }, try await store.clock(as: account).zone)
        }
        if global.json { try env.json(changed); return }
        env.output.line("Updated feedback #\(changed.id).")
        FeedbackPrinter(env: env, zone: zone).row(changed)
    }
}

struct DeleteFeedback: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete feedback (asks for --yes); it leaves the requests it backed.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The feedback's id.") var id: Int64
    @Flag(help: "Yes, delete it.") var yes = false

    func run(in env: CLIEnvironment) async throws {
        try await env.withStore(global) { store, account in
            let f = try await store.feedback.get(FeedbackID(id), as: account)
            guard yes else { throw RapportError.invalid("yes", "deleting feedback #\(f.id) cannot be undone; add --yes to confirm") }
            try await store.feedback.delete(f.id, as: account)
        }
        if global.json { try env.json(["deleted": id]) } else { env.output.line("Deleted feedback #\(id).") }
    }
}

/// `rapport themes ...`
struct ThemesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "themes", abstract: "Themes over feedback: counts, people, companies, personas and which are rising.",
        subcommands: [ListThemes.self, ShowTheme.self, RenameTheme.self, MergeThemes.self])
}

struct ListThemes: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "Themes, most mentioned first.",
        discussion: "A theme rises when the last N weeks have at least 50% and at least 3 more mentions than the N weeks before (N: --weeks, default 4).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Count feedback from this day on (DATE).") var since: String?
    @Option(help: "Up to and including this day (DATE).") var until: String?
    @Option(help: "Weeks in each window of the trend.") var weeks = 4

    func validate() throws {
        guard (1...26).contains(weeks) else { throw ValidationError("--weeks must be between 1 and 26") }
    }

    func run(in env: CLIEnvironment) async throws {
        let themes = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let errors = FieldErrors()
            let (from, to) = try clock.bounds(since: since, until: until, errors: errors)
            try errors.throwIfAny()
            return try await store.themes.list(since: from, until: to, weeks: weeks, as: account)
        }
        if global.json { try env.json(themes); return }
        if themes.isEmpty { env.output.line("No themes yet: tag feedback with --theme."); return }
        for t in themes {
            env.output.line("\(t.trend.rising ? "↑ " : "  ")\(t.name): \(t.count) mention\(t.count == 1 ? "" : "s"), \(t.people) people, \(t.companies) compan\(t.companies == 1 ? "y" : "ies")"
                + (t.personas.isEmpty ? "" : " · " + t.personas.map { "\($0.persona) \($0.count)" }.joined(separator: ", ")))
            env.output.line("    \(t.trend.rising ? "rising: " : "")\(t.trend.explanation)")
        }
    }
}

struct ShowTheme: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A theme: its figures, a weekly count and its feedback.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The theme.") var name: String
    @Option(help: "Weeks to count.") var span = 12

    func run(in env: CLIEnvironment) async throws {
        let (detail, zone) = try await env.withStore(global) { store, account in
            (try await store.themes.show(name, span: max(1, min(span, 104)), as: account), try await store.clock(as: account).zone)
        }
        if global.json { try env.json(detail); return }
        let s = detail.summary
        env.output.line("\(s.name): \(s.count) mentions, \(s.people) people, \(s.companies) companies")
        env.output.line("  \(s.trend.rising ? "Rising: " : "Trend: ")\(s.trend.explanation)")
        if !s.personas.isEmpty { env.output.line("  Personas: " + s.personas.map { "\($0.persona) \($0.count)" }.joined(separator: ", ")) }
        env.output.line("  Weekly: " + detail.weekly.map { "\($0.week) \($0.count)" }.joined(separator: " · "))
        for f in detail.feedback { FeedbackPrinter(env: env, zone: zone).row(f, indent: "  ") }
    }
}

struct RenameTheme: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "rename", abstract: "Rename a theme.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The theme.") var name: String
    @Argument(help: "Its new name.") var newName: String

    func run(in env: CLIEnvironment) async throws {
        let renamed = try await env.withStore(global) { store, account in try await store.themes.rename(name, to: newName, as: account) }
        if global.json { try env.json(["name": renamed]) } else { env.output.line("Renamed \"\(name)\" to \"\(renamed)\".") }
    }
}

struct MergeThemes: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "merge", abstract: "Merge a theme into another; every piece of feedback keeps its tag.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The theme to merge away.") var source: String
    @Option(help: "The theme to keep.") var into: String

    func run(in env: CLIEnvironment) async throws {
        let merged = try await env.withStore(global) { store, account in try await store.themes.merge(source, into: into, as: account) }
        if global.json { try env.json(merged); return }
        env.output.line("Merged \"\(source)\" into \"\(merged.summary.name)\": \(merged.summary.count) mentions, \(merged.summary.people) people.")
    }
}

/// Prints feedback for a terminal.
struct FeedbackPrinter {
    let env: CLIEnvironment
    /// The user's zone, for the day each piece was heard.
    let zone: TimeZone

    func row(_ f: Feedback, indent: String = "") {
        var line = "\(indent)#\(f.id) [\(f.kind.rawValue)] " + (f.quote ? "“\(f.text)”" : f.text)
        line += " — \(f.person.name)" + (f.company.map { ", \($0)" } ?? "")
        if f.secondhand { line += " (second-hand)" }
        env.output.line(line)
        var meta: [String] = ["\(CalendarDay(f.at, in: zone))"]
        if !f.themes.isEmpty { meta.append("themes: " + f.themes.joined(separator: ", ")) }
        if let area = f.area { meta.append("area: \(area)") }
        if let severity = f.severity { meta.append("severity \(severity)") }
        env.output.line("\(indent)    " + meta.joined(separator: " · "))
    }
}
