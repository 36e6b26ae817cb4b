import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// `rapport report`: what was learned in a week, a month or a range, to share, anonymised by default.
struct ReportCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "A report of what you learned, to share: Markdown, HTML, Slack, slides or JSON. Anonymised unless --names.",
        discussion: """
        The period is last week unless you say otherwise:
          rapport report --week                  last complete ISO week
          rapport report --week 2026-W47         that week
          rapport report --month [2026-11]       last complete month, or that one
          rapport report --since 2026-10-01 --until 2026-10-31

        Anonymised by default: people become their title, persona and kind of
        company; companies become their industry unless marked shareable
        (`rapport companies set NAME --shareable`); quotes lose names, emails
        and phone numbers.

        --post sends the Slack message to the webhook in settings
        (`rapport settings set slack.webhook URL`).
        """)

    @OptionGroup var global: GlobalOptions
    @Flag(help: "A week: the ISO week given after it (2026-W47), or the last complete week (the default).") var week = false
    @Flag(help: "A month: the month given after it (2026-11), or the last complete month.") var month = false
    @Argument(help: ArgumentHelp("The week (2026-W47) or month (2026-11) for --week or --month.", valueName: "ISO-WEEK|YYYY-MM")) var period: String?
    @Option(help: "First day of a range (2026-10-01, \"4 weeks ago\").") var since: String?
    @Option(help: "Last day of a range (default today).") var until: String?
    @Option(help: "markdown (the default), html, slack, slides or json.") var format: String?
    @Flag(help: "Include people's and companies' names (the report says so at the top).") var names = false
    @Option(help: "Only what was heard from this persona. Repeatable.") var persona: [String] = []
    @Option(help: "Only feedback with this theme. Repeatable.") var theme: [String] = []
    @Option(help: "Write to this file instead of the terminal.") var out: String?
    @Flag(help: "Send the Slack message to the incoming webhook in settings (slack.webhook) and show Slack's answer.") var post = false

    func validate() throws {
        if week && month { throw ValidationError("give --week or --month, not both") }
        if (week || month) && (since != nil || until != nil) { throw ValidationError("give --week, --month or --since/--until, one of them") }
        if period != nil && (since != nil || until != nil) { throw ValidationError("a week or month with --since/--until: give one or the other") }
    }

    /// The period as asked: a bare `2026-W47` or `2026-11` is read as a week or a month.
    var choice: ReportPeriodChoice {
        if since != nil || until != nil { return .range(since: since, until: until) }
        if month { return .month(period) }
        if week { return .week(period) }
        if let period, period.uppercased().contains("W") { return .week(period) }
        if let period { return .month(period) }
        return .week(nil)
    }

    func run(in env: CLIEnvironment) async throws {
        var format = try ReportFormat.parse(self.format ?? "markdown")
        if post {
            guard format == .slack || self.format == nil else {
                throw RapportError.invalid("format", "--post sends the Slack message; use it with --format slack (or leave --format out)")
            }
            format = .slack
        } else if global.json && out == nil {
            format = .json
        }
        let (report, webhook) = try await env.withStore(global) { store, account in
            let report = try await store.reports.build(choice, named: names, personas: persona, themes: theme, as: account)
            let webhook = post ? try await store.clock(as: account).settings.value("slack.webhook") : nil
            return (report, webhook)
        }
        let text = try format.render(report)
        if post {
            guard let webhook else {
                throw RapportError.invalid("slack.webhook", "no webhook set; make an incoming webhook in Slack, then `rapport settings set slack.webhook URL`")
            }
            let answer = try await SlackWebhook.post(text, to: webhook)
            if global.json { try env.json(answer); return }
            env.output.line("Posted \"\(report.title)\" to Slack (\(URL(string: webhook)?.host ?? "webhook")): Slack answered \(answer.status) \(answer.body)")
            return
        }
        guard let out else { env.output.line(text.hasSuffix("\n") ? String(text.dropLast()) : text); return }
        guard FileManager.default.createFile(atPath: out, contents: Data(text.utf8)) else {
            throw RapportError.invalid("out", "cannot write \"\(out)\"; check the folder exists and you may write there")
        }
        if global.json { try env.json(["file": out, "format": format.rawValue, "period": report.period.label]); return }
        env.output.line("Wrote \(report.title) (\(format.rawValue)\(report.named ? ", with names" : ", anonymised")) to \(out).")
    }
}
