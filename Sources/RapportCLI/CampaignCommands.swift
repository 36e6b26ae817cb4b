import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// `rapport campaigns ...`
struct CampaignsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "campaigns", abstract: "Email outreach: a weekly batch of asks, rendered and written as files.",
        subcommands: [AddCampaign.self, ListCampaigns.self, ShowCampaign.self, EditCampaign.self, PauseCampaign.self,
                      ResumeCampaign.self, BatchCampaign.self, MarkCampaign.self, DeleteCampaign.self])
}

/// The options that shape a campaign, shared by add and edit.
struct CampaignOptions: ParsableArguments {
    @Option(help: "What you ask for, e.g. \"a 20-minute call about how you run exports\".") var ask: String?
    @Option(help: "Subject template; placeholders: {{first_name}} {{name}} {{company}} {{title}} {{product}} {{sender}} {{ask}}.") var subject: String?
    @Option(help: "Body template (same placeholders).") var body: String?
    @Option(name: .customLong("body-file"), help: "Read the body template from this file.") var bodyFile: String?
    @Option(name: .customLong("persona"), help: "Audience: people of this persona. Repeatable (any of them).") var personas: [String] = []
    @Option(name: .customLong("tag"), help: "Audience: people with this tag. Repeatable (any of them).") var tags: [String] = []
    @Option(name: .customLong("stage"), help: "Audience: people at this stage. Repeatable (any of them).") var stages: [Stage] = []
    @Option(help: "Emails a week (the articles suggest 25 to 50; default 25).") var weekly: Int?
    @Option(help: "Skip anyone contacted within this many days (default 30).") var cooldown: Int?
    @Option(help: "Your product's name for {{product}} (default: `settings set product`).") var product: String?
    @Option(help: "Your name for {{sender}} (default: `settings set sender.name`).") var sender: String?

    func validate() throws {
        if body != nil && bodyFile != nil { throw ValidationError("give --body or --body-file, not both") }
    }

    func bodyText() throws -> String? {
        if let body { return body }
        return try bodyFile.map { try InputFile.read($0, field: "body-file") }
    }

    /// The change these options describe, with `body` as read by ``bodyText()``; list options, when given,
    /// replace the list; an empty --product or --sender goes back to the setting.
    func patch(body: String?) -> CampaignPatch {
        var p = CampaignPatch()
        (p.ask, p.subject, p.body) = (ask, subject, body)
        if !personas.isEmpty { p.personas = personas }
        if !tags.isEmpty { p.tags = tags }
        if !stages.isEmpty { p.stages = stages }
        (p.weekly, p.cooldownDays) = (weekly, cooldown)
        p.product = product.map { $0.trimmed.isEmpty ? .clear : .set($0) }
        p.sender = sender.map { $0.trimmed.isEmpty ? .clear : .set($0) }
        return p
    }
}

struct AddCampaign: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a campaign.",
        discussion: """
            Example: rapport campaigns add "Q4 exports" --ask "a 20-minute call about exports" --persona "Ops Lead" \
            --subject "{{first_name}}, 20 minutes on exports?" --body-file ask.txt --weekly 30 --product Acme. \
            An unknown placeholder is refused here, so it never reaches an email as a blank.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name.") var name: String
    @OptionGroup var options: CampaignOptions

    func run(in env: CLIEnvironment) async throws {
        let details = options.patch(body: try options.bodyText()).applied(to: CampaignDetails(name: name, ask: "", subject: "", body: ""))
        let campaign = try await env.withStore(global) { store, account in try await store.campaigns.add(details, as: account) }
        if global.json { try env.json(campaign); return }
        env.output.line("Added campaign #\(campaign.id) \(campaign.name).")
        CampaignPrinter(env: env).details(campaign)
        env.output.line("Preview this week's batch: rapport campaigns batch \"\(campaign.name)\" --dry-run")
    }
}

struct EditCampaign: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Change a campaign (list options replace the list).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name or id.") var campaign: String
    @Option(help: "A new name.") var name: String?
    @OptionGroup var options: CampaignOptions

    func run(in env: CLIEnvironment) async throws {
        // Reads --body-file once, before opening the store, so a bad path fails first.
        let body = try options.bodyText()
        var patch = options.patch(body: body)
        patch.name = name
        let updated = try await env.withStore(global) { [patch] store, account in
            try await store.campaigns.update(campaign, with: patch, as: account)
        }
        if global.json { try env.json(updated); return }
        env.output.line("Updated campaign #\(updated.id) \(updated.name).")
        CampaignPrinter(env: env).details(updated)
    }
}

struct ListCampaigns: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Campaigns, active first, with their emails by status.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let list = try await env.withStore(global) { store, account in try await store.campaigns.list(as: account) }
        if global.json { try env.json(list); return }
        if list.isEmpty { env.output.line("No campaigns yet. Add one with `rapport campaigns add NAME --ask ... --subject ... --body ...`."); return }
        for o in list {
            let counts = o.statuses.filter { $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", ")
            env.output.line("#\(o.campaign.id) \(o.campaign.name.padding(28)) \(o.campaign.state.rawValue.padding(7)) \(o.campaign.details.weekly)/week · "
                + (o.recipients == 0 ? "no batch yet" : "\(o.recipients) emails (\(counts))") + (o.lastWeek.map { " · last batch \($0)" } ?? ""))
        }
    }
}

/// A campaign with its funnel and recipients, for `campaigns show --json`.
struct CampaignShow: Encodable {
    var campaign: Campaign
    var funnel: Funnel
    var recipients: [CampaignRecipient]
}

struct ShowCampaign: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A campaign, its funnel and its recipients.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name or id.") var campaign: String

    func run(in env: CLIEnvironment) async throws {
        let shown = try await env.withStore(global) { store, account in
            let found = try await store.campaigns.get(campaign, as: account)
            let clock = try await store.clock(as: account)
            return CampaignShow(
                campaign: found,
                funnel: try await store.outreach.funnel(campaign: found.name, by: .week, clock: clock, as: account),
                recipients: try await store.campaigns.recipients(found.name, as: account))
        }
        if global.json { try env.json(shown); return }
        CampaignPrinter(env: env).details(shown.campaign)
        env.output.line("")
        FunnelPrinter(env: env).print(shown.funnel)
        env.output.line("")
        if shown.recipients.isEmpty {
            env.output.line("No batch yet: rapport campaigns batch \"\(shown.campaign.name)\"")
        }
        var week: ISOWeek?
        for r in shown.recipients {
            if r.week != week {
                week = r.week
                env.output.line("Batch \(r.week)")
            }
            env.output.line("  #\(r.person.id) \(r.person.name)" + (r.company.map { ", \($0)" } ?? "") + " <\(r.email)>  \(r.status.rawValue)")
        }
    }
}

struct PauseCampaign: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "pause", abstract: "Pause a campaign: no new batches.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name or id.") var campaign: String

    func run(in env: CLIEnvironment) async throws {
        let c = try await env.withStore(global) { store, account in try await store.campaigns.setState(campaign, .paused, as: account) }
        if global.json { try env.json(c) } else { env.output.line("Paused \(c.name). Resume it with `rapport campaigns resume \"\(c.name)\"`.") }
    }
}

struct ResumeCampaign: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "resume", abstract: "Resume a paused campaign.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name or id.") var campaign: String

    func run(in env: CLIEnvironment) async throws {
        let c = try await env.withStore(global) { store, account in try await store.campaigns.setState(campaign, .active, as: account) }
        if global.json { try env.json(c) } else { env.output.line("Resumed \(c.name).") }
    }
}

struct DeleteCampaign: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete a campaign and its batches (attempts stay).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name or id.") var campaign: String
    @Flag(help: "Really delete.") var yes = false

    func run(in env: CLIEnvironment) async throws {
        guard yes else { throw RapportError.invalid("yes", "deleting \(campaign) drops its batches and statuses; add --yes to confirm") }
        try await env.withStore(global) { store, account in try await store.campaigns.delete(campaign, as: account) }
        if global.json { try env.json(["deleted": campaign]) } else { env.output.line("Deleted campaign \(campaign).") }
    }
}

struct BatchCampaign: RapportRunnable {
    enum Format: String, ExpressibleByArgument { case eml, mbox, csv }

    static let configuration = CommandConfiguration(
        commandName: "batch", abstract: "This week's batch of a campaign, written as .eml files, an mbox or a CSV.",
        discussion: """
            Picks up to the weekly quota of people who fit; skips do-not-contact, archived, anyone contacted \
            (conversation, attempt or campaign email) within the cooldown, people without an email, and people in \
            another active campaign's batch that week; no more than 2 from one company unless the pool is smaller. \
            The batch is kept: running it again for the same week returns the same people. --out DIR writes the \
            files (From: is `settings set sender.email`); without it, mbox and csv go to standard output. Once you \
            have sent them: rapport campaigns mark NAME --all --status sent.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The campaign's name or id.") var campaign: String
    @Option(help: "The ISO week, e.g. 2026-W48 (default: this week).") var week: String?
    @Flag(name: .customLong("dry-run"), help: "Show who would be in it; store nothing.") var dryRun = false
    @Option(help: "Write the files into this folder.") var out: String?
    @Option(help: "eml (one file per person), mbox or csv.") var format: Format = .eml

    func run(in env: CLIEnvironment) async throws {
        let needsSender = out != nil && format != .csv || out == nil && format == .mbox
        let (batch, sender, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let chosen = try week.map { try ISOWeek.parse($0, field: "week") } ?? ISOWeek(clock.today)
            // Checked before the batch is made, so a missing address does not leave a batch behind unwritten.
            var sender: MailSender?
            if needsSender {
                let settings = try await store.settings.get(as: account)
                let found = try await store.campaigns.get(campaign, as: account)
                guard let address = settings.value("sender.email") else {
                    throw RapportError.invalid("sender.email", "is not set; the From: line needs your address: `rapport settings set sender.email you@example.com`")
                }
                sender = MailSender(name: found.details.sender ?? settings.value("sender.name"), address: address)
            }
            let batch = try await store.campaigns.batch(campaign, week: chosen, dryRun: dryRun, as: account)
            return (batch, sender, clock)
        }
        let now = clock.now
        if let out, !batch.recipients.isEmpty {
            let folder = URL(fileURLWithPath: out, isDirectory: true)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            let base = MailFile.slug(batch.campaign) + "-" + batch.week.description
            var written: [String] = []
            switch format {
            case .eml:
                for (index, r) in batch.recipients.enumerated() {
                    let name = MailFile.fileName(r, position: index + 1)
                    try Data(MailFile.eml(r, from: sender!, date: now, campaign: batch.campaign).utf8).write(to: folder.appendingPathComponent(name))
                    written.append(name)
                }
            case .mbox:
                try Data(MailFile.mbox(batch.recipients, from: sender!, date: now, campaign: batch.campaign).utf8).write(to: folder.appendingPathComponent(base + ".mbox"))
                written.append(base + ".mbox")
            case .csv:
                try Data(MailFile.csv(batch.recipients).utf8).write(to: folder.appendingPathComponent(base + ".csv"))
                written.append(base + ".csv")
            }
            if global.json { try env.json(batch); return }
            summary(batch, env)
            env.output.line("Wrote \(written.count) file\(written.count == 1 ? "" : "s") to \(folder.path).")
            return
        }
        if global.json { try env.json(batch); return }
        if out == nil && format == .mbox { env.output.line(MailFile.mbox(batch.recipients, from: sender!, date: now, campaign: batch.campaign)); return }
        if out == nil && format == .csv { env.output.line(MailFile.csv(batch.recipients).replacing("\r\n", with: "\n").trimmed); return }
        summary(batch, env)
        if !batch.recipients.isEmpty && !dryRun {
            env.output.line("Write the emails with --out DIR (as .eml files, or --format mbox|csv).")
        }
    }

    func summary(_ batch: CampaignBatch, _ env: CLIEnvironment) {
        let out = env.output
        let state = batch.dryRun && !batch.existing ? " (dry run: nothing stored)" : batch.existing ? " (made before; the same people)" : ""
        out.line("Batch \(batch.week) of \(batch.campaign): \(batch.recipients.count) email\(batch.recipients.count == 1 ? "" : "s")\(state)")
        for r in batch.recipients {
            out.line("  #\(r.person.id) \(r.person.name)" + (r.company.map { ", \($0)" } ?? "") + " <\(r.email)>  \(r.subject)")
        }
        if !batch.skipped.isEmpty {
            out.line("Left out: " + batch.skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
        }
        if batch.recipients.isEmpty && !batch.existing {
            out.line("Nobody fits this week: widen the audience, shorten the cooldown, or add people with an email.")
        }
    }
}

struct MarkCampaign: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "mark", abstract: "Set how campaign emails went: sent, replied-yes, replied-no, no-reply, bounced, opted-out, scheduled, talked.",
        discussion: "opted-out marks the person do-not-contact (\"opted out of NAME\"); bounced marks that email bad. These feed `rapport funnel --campaign NAME`.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The campaign's name or id.") var campaign: String
    @Argument(help: "Who: ids, emails or names.") var people: [String] = []
    @Option(help: "The new status.") var status: RecipientStatus
    @Flag(help: "Every email of the campaign still queued (use with --status sent).") var all = false

    func validate() throws {
        if people.isEmpty && !all { throw ValidationError("name the people, or give --all for every queued email") }
        if !people.isEmpty && all { throw ValidationError("give people or --all, not both") }
    }

    func run(in env: CLIEnvironment) async throws {
        let marked = try await env.withStore(global) { store, account in
            let ids: [PersonID]
            if all {
                ids = try await store.campaigns.recipients(campaign, as: account).filter { $0.status == .queued }.map(\.person.id)
                if ids.isEmpty { throw RapportError.invalid("all", "no email of \(campaign) is queued; make a batch first with `rapport campaigns batch`") }
            } else {
                ids = try await store.people.resolveAll(people, as: account)
            }
            return try await store.campaigns.mark(campaign, people: ids, status: status, as: account)
        }
        if global.json { try env.json(marked); return }
        for m in marked {
            var line = "\(m.recipient.person.name): \(m.recipient.status.rawValue)"
            if let dnc = m.doNotContact { line += "; now do-not-contact (\(dnc))" }
            if let email = m.emailMarkedBad { line += "; \(email) marked bounced" }
            env.output.line(line)
        }
    }
}

struct CampaignPrinter {
    let env: CLIEnvironment

    func details(_ c: Campaign) {
        let d = c.details
        var lines: [(String, String)] = [("Id", "#\(c.id)"), ("State", c.state.rawValue), ("Ask", d.ask), ("Audience", d.audience)]
        lines.append(("Pace", "\(d.weekly) a week, cooldown \(d.cooldownDays) days"))
        if let p = d.product { lines.append(("Product", p)) }
        if let s = d.sender { lines.append(("Sender", s)) }
        lines.append(("Subject", d.subject))
        env.output.line(c.name)
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines { env.output.line("  " + label.padding(width) + "  " + value) }
        env.output.line("  Body:")
        for line in d.body.split(separator: "\n", omittingEmptySubsequences: false) { env.output.line("    " + line) }
    }
}
