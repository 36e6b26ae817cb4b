import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

extension FeatureRequestStatus: ExpressibleByArgument {}
extension FeatureRequestSort: ExpressibleByArgument {}
extension HypothesisStatus: ExpressibleByArgument {}

/// `rapport requests ...`
struct RequestsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "requests", abstract: "Feature requests: feedback as evidence, a priority with its parts, and telling people when it ships.",
        discussion: Priority.formula + ".",
        subcommands: [AddRequest.self, LinkRequest.self, UnlinkRequest.self, ScoreRequest.self, RequestStatusCommand.self,
                      ListRequests.self, ShowRequest.self, NotifyRequest.self])
}

struct AddRequest: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a request: rapport requests add \"Scheduled exports\" --problem \"…\".")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "What they ask for.") var title: String
    @Option(help: "The problem behind it, in their terms.") var problem: String?
    @Option(help: "The product area.") var area: String?

    func run(in env: CLIEnvironment) async throws {
        let added = try await env.withStore(global) { store, account in
            try await store.requests.add(FeatureRequestDetails(title: title, problem: problem, area: area), as: account)
        }
        if global.json { try env.json(added); return }
        env.output.line("Added request #\(added.id): \(added.title). Link feedback with `rapport requests link \(added.id) FEEDBACK...`.")
    }
}

struct LinkRequest: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "link", abstract: "Link feedback to a request as evidence.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The request's id.") var id: String
    @Argument(help: "Feedback ids.") var feedback: [Int64]

    func run(in env: CLIEnvironment) async throws {
        let r = try await env.withStore(global) { store, account in
            try await store.requests.link(try await store.requests.find(id, as: account).id, feedback: feedback.map(FeedbackID.init), as: account)
        }
        if global.json { try env.json(r); return }
        RequestPrinter(env: env).summary(r)
    }
}

struct UnlinkRequest: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "unlink", abstract: "Take feedback off a request.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The request's id.") var id: String
    @Argument(help: "Feedback ids.") var feedback: [Int64]

    func run(in env: CLIEnvironment) async throws {
        let r = try await env.withStore(global) { store, account in
            try await store.requests.unlink(try await store.requests.find(id, as: account).id, feedback: feedback.map(FeedbackID.init), as: account)
        }
        if global.json { try env.json(r); return }
        RequestPrinter(env: env).summary(r)
    }
}

struct ScoreRequest: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "score", abstract: "Score impact and effort, 1 to 5 each.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The request's id.") var id: String
    @Option(help: "Impact, 1 (low) to 5 (high).") var impact: Int?
    @Option(help: "Effort, 1 (small) to 5 (large).") var effort: Int?

    func validate() throws {
        if impact == nil && effort == nil { throw ValidationError("give --impact, --effort or both") }
    }

    func run(in env: CLIEnvironment) async throws {
        var patch = FeatureRequestPatch()
        (patch.impact, patch.effort) = (impact.map(FieldChange.set), effort.map(FieldChange.set))
        let r = try await env.withStore(global) { [patch] store, account in
            try await store.requests.update(try await store.requests.find(id, as: account).id, with: patch, as: account)
        }
        if global.json { try env.json(r); return }
        RequestPrinter(env: env).summary(r)
    }
}

struct RequestStatusCommand: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Set a request's status: new, considering, planned, shipped or declined.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The request's id.") var id: String
    @Argument(help: "The status.") var status: FeatureRequestStatus

    func run(in env: CLIEnvironment) async throws {
        let r = try await env.withStore(global) { store, account in
            try await store.requests.setStatus(try await store.requests.find(id, as: account).id, status, as: account)
        }
        if global.json { try env.json(r); return }
        RequestPrinter(env: env).summary(r)
        if status == .shipped { env.output.line("Tell the \(r.askers.count) who asked: `rapport requests notify \(r.id) --out outbox`.") }
    }
}

struct ListRequests: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Requests, by priority (or evidence, or most recently heard).",
                                                    discussion: Priority.formula + ".")
    @OptionGroup var global: GlobalOptions
    @Option(help: "priority, evidence or recent.") var sort: FeatureRequestSort = .priority
    @Option(help: "Only with this status.") var status: FeatureRequestStatus?

    func run(in env: CLIEnvironment) async throws {
        let found = try await env.withStore(global) { store, account in try await store.requests.list(sort: sort, status: status, as: account) }
        if global.json { try env.json(found); return }
        if found.isEmpty { env.output.line("No requests yet: add one with `rapport requests add TITLE`."); return }
        for r in found { RequestPrinter(env: env).summary(r) }
    }
}

struct ShowRequest: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A request: its evidence, who asked, first and last heard, the priority's parts.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The request's id.") var id: String

    func run(in env: CLIEnvironment) async throws {
        let (r, zone) = try await env.withStore(global) { store, account in
            (try await store.requests.find(id, as: account), try await store.clock(as: account).zone)
        }
        if global.json { try env.json(r); return }
        RequestPrinter(env: env).summary(r)
        if let problem = r.problem { env.output.line("  Problem: \(problem)") }
        let e = r.evidence
        if let first = e.firstHeard, let last = e.lastHeard {
            env.output.line("  Heard from \(CalendarDay(first, in: zone)) to \(CalendarDay(last, in: zone))")
        }
        if !e.personas.isEmpty { env.output.line("  Personas: " + e.personas.map { "\($0.persona) \($0.count)" }.joined(separator: ", ")) }
        for a in r.askers {
            env.output.line("  Asked: \(a.person.name)" + (a.company.map { ", \($0)" } ?? "") + (a.notifiedAt.map { " (told \(CalendarDay($0, in: zone)))" } ?? ""))
        }
        for f in r.feedback { FeedbackPrinter(env: env, zone: zone).row(f, indent: "  ") }
    }
}

struct NotifyRequest: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "notify", abstract: "Close the loop: one .eml per person who asked, once the request has shipped; each person is told once.",
        discussion: "The email comes from the settings requests.notify-subject and requests.notify-body; --again writes to people told before too.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The request's id.") var id: String
    @Option(help: "The folder to write the .eml files to.") var out = "outbox"
    @Flag(help: "Also write to people told before.") var again = false

    func run(in env: CLIEnvironment) async throws {
        let (request, written, skipped) = try await env.withStore(global) { store, account -> (FeatureRequest, [String], [String]) in
            let r = try await store.requests.find(id, as: account)
            guard r.status == .shipped else {
                throw RapportError.invalid("status", "request #\(r.id) is \(r.status.rawValue); tell people once it has shipped: `rapport requests status \(r.id) shipped`")
            }
            let settings = try await store.settings.get(as: account)
            guard let address = settings.value("sender.email") else {
                throw RapportError.invalid("sender.email", "is needed for the From: line; set it with `rapport settings set sender.email you@example.com`")
            }
            let sender = MailSender(name: settings.value("sender.name"), address: address)
            let folder = URL(fileURLWithPath: out)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            var written: [String] = [], skipped: [String] = [], told: [PersonID] = []
            let now = store.now()
            let clock = try await store.clock(as: account)
            for asker in r.askers {
                if asker.notifiedAt != nil && !again { skipped.append("\(asker.person.name) (told before)"); continue }
                let person = try await store.people.get(asker.person.id, as: account)
                guard person.doNotContact == nil else { skipped.append("\(person.name) (do not contact)"); continue }
                guard let email = person.mailableEmail?.value else { skipped.append("\(person.name) (no email)"); continue }
                let (subject, body) = RequestNotice.render(
                    subject: settings.value("requests.notify-subject") ?? "", body: settings.value("requests.notify-body") ?? RequestNotice.defaultBody,
                    request: r, person: person, product: settings.value("product"), sender: settings.value("sender.name"))
                let message = CampaignRecipient(person: person.summary, company: person.details.company, email: email,
                                                week: ISOWeek(CalendarDay(now, in: clock.zone)), status: .queued, statusAt: now,
                                                subject: subject, body: body)
                let name = MailFile.fileName(message, position: written.count + 1)
                try Data(MailFile.eml(message, from: sender, date: now, campaign: "request #\(r.id)").utf8).write(to: folder.appendingPathComponent(name))
                written.append(folder.appendingPathComponent(name).path)
                told.append(person.id)
            }
            let updated = told.isEmpty ? r : try await store.requests.recordNotified(r.id, people: told, as: account)
            return (updated, written, skipped)
        }
        if global.json {
            struct Result: Encodable { var request: FeatureRequest; var files: [String]; var skipped: [String] }
            try env.json(Result(request: request, files: written, skipped: skipped))
            return
        }
        env.output.line("Wrote \(written.count) email\(written.count == 1 ? "" : "s") to \(out)" + (written.isEmpty ? "." : ": open each in your mail program and send it."))
        for s in skipped { env.output.line("  Skipped \(s)") }
    }
}

/// Prints requests for a terminal.
struct RequestPrinter {
    let env: CLIEnvironment

    func summary(_ r: FeatureRequest) {
        let e = r.evidence
        env.output.line("#\(r.id) \(r.title) [\(r.status.rawValue)] priority \(r.priority.explanation)")
        env.output.line("    evidence: \(e.mentions) mention\(e.mentions == 1 ? "" : "s"), \(e.distinctPeople) people (\(e.directPeople) direct, \(e.secondhandPeople) second-hand, \(e.quotedPeople) quoted), \(e.distinctCompanies) compan\(e.distinctCompanies == 1 ? "y" : "ies")")
    }
}

/// `rapport hypotheses ...`
struct HypothesesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "hypotheses", abstract: "Hypotheses with evidence for and against, counted by distinct people, and a next step.",
        subcommands: [AddHypothesis.self, HypothesisEvidenceCommand.self, HypothesisStatusCommand.self, ListHypotheses.self, ShowHypothesis.self])
}

struct AddHypothesis: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "State a hypothesis: rapport hypotheses add \"Ops Leads lose an hour a week to exports\" --persona \"Ops Lead\".")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "What you believe.") var text: String
    @Option(help: "A persona it is about. Repeatable.") var persona: [String] = []
    @Option(help: "The product area.") var area: String?

    func run(in env: CLIEnvironment) async throws {
        let h = try await env.withStore(global) { store, account in
            try await store.hypotheses.add(HypothesisDetails(text: text, personas: persona, area: area), as: account)
        }
        if global.json { try env.json(h); return }
        env.output.line("Added hypothesis #\(h.id).")
        HypothesisPrinter(env: env).summary(h)
    }
}

struct HypothesisEvidenceCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "evidence", abstract: "Add evidence: a piece of feedback (f12, or 12) or a conversation (c7), for or against.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The hypothesis's id.") var id: String
    @Argument(help: "f12 (feedback #12) or c7 (conversation #7).") var source: String
    @Flag(help: "It supports the hypothesis.") var supports = false
    @Flag(help: "It contradicts the hypothesis.") var contradicts = false
    @Option(help: "Why it counts.") var note: String?

    func validate() throws {
        if supports == contradicts { throw ValidationError("say which way it points: --supports or --contradicts") }
    }

    func run(in env: CLIEnvironment) async throws {
        let source = try EvidenceSource.parse(self.source)
        let h = try await env.withStore(global) { store, account in
            try await store.hypotheses.addEvidence(try await store.hypotheses.find(id, as: account).id, source, supports: supports, note: note, as: account)
        }
        if global.json { try env.json(h); return }
        HypothesisPrinter(env: env).summary(h)
    }
}

struct HypothesisStatusCommand: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "status", abstract: "Set the status: untested, testing, validated or invalidated.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The hypothesis's id.") var id: String
    @Argument(help: "The status.") var status: HypothesisStatus

    func run(in env: CLIEnvironment) async throws {
        let h = try await env.withStore(global) { store, account in
            try await store.hypotheses.setStatus(try await store.hypotheses.find(id, as: account).id, status, as: account)
        }
        if global.json { try env.json(h); return }
        HypothesisPrinter(env: env).summary(h)
    }
}

struct ListHypotheses: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Hypotheses: testing first, then untested, then decided.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let found = try await env.withStore(global) { store, account in try await store.hypotheses.list(as: account) }
        if global.json { try env.json(found); return }
        if found.isEmpty { env.output.line("No hypotheses yet: `rapport hypotheses add \"…\" --persona P`."); return }
        for h in found { HypothesisPrinter(env: env).summary(h) }
    }
}

struct ShowHypothesis: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "A hypothesis with its evidence for and against.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The hypothesis's id.") var id: String

    func run(in env: CLIEnvironment) async throws {
        let h = try await env.withStore(global) { store, account in try await store.hypotheses.find(id, as: account) }
        if global.json { try env.json(h); return }
        HypothesisPrinter(env: env).summary(h)
        for e in h.evidence {
            let source = e.feedback.map { "feedback #\($0)" } ?? e.conversation.map { "conversation #\($0)" } ?? ""
            env.output.line("  \(e.supports ? "for    " : "against") \(e.person.name)\(e.secondhand ? " (second-hand)" : ""): \(e.summary) [\(source)]"
                            + (e.note.map { " — \($0)" } ?? ""))
        }
    }
}

struct HypothesisPrinter {
    let env: CLIEnvironment

    func summary(_ h: Hypothesis) {
        let t = h.tally
        env.output.line("#\(h.id) [\(h.status.rawValue)] \(h.text)" + (h.personas.isEmpty ? "" : " (\(h.personas.joined(separator: ", ")))"))
        env.output.line("    for: \(t.supports.people) people (\(t.supports.direct) direct, \(t.supports.secondhand) second-hand) · against: \(t.contradicts.people) people (\(t.contradicts.direct) direct, \(t.contradicts.secondhand) second-hand)")
        env.output.line("    next: \(h.nextStep)")
    }
}
