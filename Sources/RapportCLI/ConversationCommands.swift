import ArgumentParser
import Foundation
import RapportCore
import RapportStore

extension ConversationKind: ExpressibleByArgument {}
extension ObjectiveMet: ExpressibleByArgument {}

/// `rapport log KIND REF...`: log a conversation in one line.
struct LogCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "log", abstract: "Log a conversation: rapport log call dana --note \"Exports take an hour\".",
        discussion: """
            DATE is ISO 8601 (2026-03-29T10:00, 2026-03-29 10:00, 2026-03-29) or words: today, yesterday 16:00, \
            tomorrow 15:00, monday, last friday, 3 days ago; all in your time zone (`rapport settings set timezone`).

            Each --due belongs to a --follow-up, in order: the first --due to the first --follow-up, and so on.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "How it happened.") var kind: ConversationKind
    @Argument(help: "The people: ids, emails, or unique parts of names.") var people: [String] = []
    @Option(help: "When it started (default: now).") var when: String?
    @Option(help: "How long, in minutes.") var duration: Int?
    @Option(help: "What you set out to learn.") var objective: String?
    @Option(help: "Whether the objective was met: yes, partly or no.") var met: ObjectiveMet?
    @Option(help: "Notes, in Markdown.") var note: String?
    @Option(name: .customLong("note-file"), help: "Read the notes from a file (- for standard input).") var noteFile: String?
    @Flag(help: "Write the notes in $VISUAL or $EDITOR.") var edit = false
    @Flag(help: "They reached out to you (default: you reached out).") var inbound = false
    @Option(help: "For secondhand: who reported it, e.g. \"Sam (sales)\".") var via: String?
    @Option(help: "The company (default: the first person's).") var company: String?
    @Option(help: "Someone unnamed, described: \"a shopper at the Berlin store\".") var unnamed: String?
    @Option(name: .customLong("follow-up"), help: "Something to follow up on. Repeatable.") var followUps: [String] = []
    @Option(help: "When the matching --follow-up is due. Repeatable.") var due: [String] = []
    @Option(help: "The guide you ran (its name or id); see it with `rapport guides show NAME --for REF`.") var guide: String?
    @Option(help: "An answer: N=TEXT, N being the question's number in the guide, from 1. Repeatable.") var answer: [String] = []
    @Option(help: "Feedback heard, as KIND: TEXT (\"pain: exports take an hour\"), from the first person. Repeatable.") var feedback: [String] = []

    func validate() throws {
        if [note != nil, noteFile != nil, edit].filter({ $0 }).count > 1 {
            throw ValidationError("give the notes one way: --note TEXT, --note-file FILE or --edit")
        }
        if due.count > followUps.count {
            throw ValidationError("each --due belongs to a --follow-up; give the follow-up's text first")
        }
        if !answer.isEmpty && guide == nil {
            throw ValidationError("--answer belongs to a guide; name it with --guide NAME")
        }
    }

    func run(in env: CLIEnvironment) async throws {
        let notes = try NotesInput.read(note: note, file: noteFile, edit: edit, template: "", env: env)
        let logged = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let errors = FieldErrors()
            var d = ConversationDetails(kind: kind, at: clock.now)
            if let when, let at = try errors.check({ try clock.parse(when, field: "when", lean: .past).date }) { d.at = at }
            let dues = try due.compactMap { text in try errors.check { try clock.parse(text, field: "due", lean: .future) } }
            let typed = try answer.compactMap { text in try errors.check { try GuideRun.parse(text) } }
            let heard = try feedback.compactMap { line in try errors.check { try FeedbackLine.parse(line) } }
            try errors.throwIfAny()
            d.people = try await store.people.resolveAll(people, as: account)
            if let guide {
                let (found, answers) = try await store.guides.answers(typed, guide: guide, person: d.people.first, as: account)
                d.guide = found.id
                d.answers = answers
            }
            d.durationMinutes = duration
            d.objective = objective
            d.met = met
            d.notes = notes ?? ""
            d.direction = inbound ? .inbound : .outbound
            d.via = via
            d.company = company
            d.unnamed = unnamed
            let newFollowUps = followUps.enumerated().map { NewFollowUp(text: $0.element, due: $0.offset < dues.count ? dues[$0.offset] : nil) }
            return (try await store.conversations.log(d, followUps: newFollowUps, feedback: heard.map { NewFeedback(kind: $0.0, text: $0.1) }, as: account), clock)
        }
        let printer = ConversationPrinter(env: env, clock: logged.1)
        if global.json { try env.json(logged.0); return }
        env.output.line("Logged conversation #\(logged.0.conversation.id).")
        printer.details(logged.0.conversation, followUps: logged.0.followUps)
        for f in logged.0.feedback { FeedbackPrinter(env: env, zone: logged.1.zone).row(f, indent: "  ") }
    }
}

/// A text file named on the command line; `-` is standard input.
enum InputFile {
    static func read(_ path: String, field: String) throws -> String {
        if path == "-" { return String(decoding: FileHandle.standardInput.readDataToEndOfFile(), as: UTF8.self) }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RapportError.invalid(field, "cannot read \"\(path)\"; check the path and that you may read it")
        }
        return String(decoding: data, as: UTF8.self)
    }
}

/// Notes from `--note`, `--note-file` or the user's editor.
enum NotesInput {
    static func read(note: String?, file: String?, edit: Bool, template: String, env: CLIEnvironment) throws -> String? {
        if let note { return note }
        if let file { return try InputFile.read(file, field: "note-file") }
        guard edit else { return nil }
        return try editor(template, env: env)
    }

    static let marker = "<!-- rapport: write the notes below in Markdown; this line is removed. -->"

    /// Opens `$VISUAL` or `$EDITOR` (else `vi`) on a private temporary file and returns what was written.
    static func editor(_ text: String, env: CLIEnvironment) throws -> String {
        let editor = env.variables["VISUAL"].flatMap { $0.isEmpty ? nil : $0 } ?? env.variables["EDITOR"].flatMap { $0.isEmpty ? nil : $0 } ?? "vi"
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("notes.md")
        guard FileManager.default.createFile(atPath: file.path, contents: Data((marker + "\n" + text).utf8), attributes: [.posixPermissions: 0o600]) else {
            throw RapportError.storage("cannot write a temporary file for the editor in \(folder.path)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        // As git does: the editor setting is a shell command, the file its last argument.
        process.arguments = ["-c", editor + " \"$1\"", "sh", file.path]
        process.environment = env.variables
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw RapportError.invalid("edit", "the editor (\(editor)) exited with status \(process.terminationStatus); nothing was saved")
        }
        let written = String(decoding: FileManager.default.contents(atPath: file.path) ?? Data(), as: UTF8.self)
        return written.split(separator: "\n", omittingEmptySubsequences: false).filter { $0 != Substring(marker) }
            .joined(separator: "\n").trimmed
    }
}

/// `rapport conversations ...`
struct ConversationsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "conversations", abstract: "List, show, edit and delete conversations.",
        subcommands: [ListConversations.self, ShowConversation.self, EditConversation.self, AnswerConversation.self, DeleteConversation.self])
}

struct AnswerConversation: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "answer", abstract: "Add or change answers to a guide's questions on a logged conversation.",
        discussion: "Each --answer N=TEXT replaces the answer to question N; an empty TEXT removes it; other answers stay.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The conversation's id.") var id: Int64
    @Option(help: "The guide (its name or id).") var guide: String
    @Option(help: "An answer: N=TEXT. Repeatable.") var answer: [String] = []

    func run(in env: CLIEnvironment) async throws {
        let typed = try answer.map { try GuideRun.parse($0) }
        let (changed, clock) = try await env.withStore(global) { store, account in
            (try await store.conversations.answer(ConversationID(id), guide: guide, typed: typed, as: account), try await store.clock(as: account))
        }
        if global.json { try env.json(changed); return }
        env.output.line("Saved \(changed.details.answers.count) answer\(changed.details.answers.count == 1 ? "" : "s") on conversation #\(changed.id).")
        ConversationPrinter(env: env, clock: clock).answers(changed)
    }
}

struct ListConversations: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Conversations, newest first, with filters.")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only with this person.") var person: String?
    @Option(help: "Only with this company.") var company: String?
    @Option(help: "Only of this kind.") var kind: ConversationKind?
    @Option(help: "From this day on (DATE).") var since: String?
    @Option(help: "Up to and including this day (DATE).") var until: String?
    @Option(help: "At most N conversations.") var limit = 200
    @Option(help: "Pass over this many first: the next page is --offset LIMIT.") var offset = 0

    func validate() throws {
        guard (1...100_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 100000") }
        try MoreHint.validate(offset: offset)
    }

    func run(in env: CLIEnvironment) async throws {
        let (fetched, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            var filter = ConversationFilter(company: company, kind: kind, limit: limit + 1)
            filter.offset = offset
            let errors = FieldErrors()
            (filter.since, filter.until) = try clock.bounds(since: since, until: until, errors: errors)
            try errors.throwIfAny()
            if let person { filter.person = try await store.people.resolve(person, as: account).id }
            return (try await store.conversations.list(filter, as: account), clock)
        }
        let page = ListPage.of(fetched, limit: limit, offset: offset)
        let found = page.items
        if global.json { try env.json(found); return }
        if found.isEmpty { env.output.line(offset > 0 ? "No conversations on this page: fewer than \(offset + 1) match." : "No conversations match."); return }
        let printer = ConversationPrinter(env: env, clock: clock)
        for conversation in found { printer.row(conversation) }
        env.output.line("\(found.count) conversation\(found.count == 1 ? "" : "s").")
        if let more = MoreHint.line(page, command: "rapport conversations list", options: [
            ("--person", person), ("--company", company), ("--kind", kind?.rawValue), ("--since", since), ("--until", until),
        ], defaultLimit: 200, global: global) { env.output.line(more) }
    }
}

struct ShowConversation: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a conversation and its follow-ups.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The conversation's id.") var id: Int64

    func run(in env: CLIEnvironment) async throws {
        let (conversation, clock) = try await env.withStore(global) { store, account in
            let conversation = try await store.conversations.get(ConversationID(id), as: account)
            let followUps = try await store.followUps.list(.all, conversation: conversation.id, as: account)
            var filter = FeedbackFilter()
            filter.conversation = conversation.id
            let feedback = try await store.feedback.list(filter, as: account)
            return (LoggedConversation(conversation: conversation, followUps: followUps, feedback: feedback), try await store.clock(as: account))
        }
        if global.json { try env.json(conversation); return }
        ConversationPrinter(env: env, clock: clock).details(conversation.conversation, followUps: conversation.followUps)
        for f in conversation.feedback { FeedbackPrinter(env: env, zone: clock.zone).row(f, indent: "  ") }
    }
}

struct EditConversation: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a conversation.",
        discussion: "An empty value (--objective \"\") clears a field. --note replaces the notes; --append-note adds to them.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The conversation's id.") var id: Int64
    @Option(help: "A new kind.") var kind: ConversationKind?
    @Option(help: "When it started (DATE).") var when: String?
    @Option(help: "How long, in minutes (0 clears it).") var duration: Int?
    @Option(help: "What you set out to learn.") var objective: String?
    @Option(help: "Whether the objective was met: yes, partly or no.") var met: ObjectiveMet?
    @Option(help: "New notes, in Markdown (replaces them).") var note: String?
    @Option(name: .customLong("note-file"), help: "Read new notes from a file.") var noteFile: String?
    @Flag(help: "Edit the notes in $VISUAL or $EDITOR.") var edit = false
    @Option(name: .customLong("append-note"), help: "Markdown to add at the end of the notes.") var appendNote: String?
    @Flag(help: "They reached out to you.") var inbound = false
    @Flag(help: "You reached out to them.") var outbound = false
    @Option(help: "Who reported it (secondhand).") var via: String?
    @Option(help: "The company.") var company: String?
    @Option(help: "Describe someone unnamed.") var unnamed: String?
    @Option(name: .customLong("add-person"), help: "Add a person. Repeatable.") var addPeople: [String] = []
    @Option(name: .customLong("remove-person"), help: "Take a person off. Repeatable.") var removePeople: [String] = []

    func validate() throws {
        if inbound && outbound { throw ValidationError("give --inbound or --outbound, not both") }
        if [note != nil, noteFile != nil, edit].filter({ $0 }).count > 1 {
            throw ValidationError("give the notes one way: --note TEXT, --note-file FILE or --edit")
        }
    }

    func run(in env: CLIEnvironment) async throws {
        let (changed, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            let current = try await store.conversations.get(ConversationID(id), as: account)
            let notes = try NotesInput.read(note: note, file: noteFile, edit: edit, template: current.details.notes, env: env)
            let moment = try when.map { try clock.parse($0, field: "when", lean: .past).date }
            let adding = try await store.people.resolveAll(addPeople, as: account)
            let removing = try await store.people.resolveAll(removePeople, as: account)
            func change(_ text: String?) -> FieldChange<String>? { text.map { $0.trimmed.isEmpty ? .clear : .set($0) } }
            var patch = ConversationPatch()
            (patch.kind, patch.at, patch.notes, patch.appendedNotes) = (kind, moment, notes, appendNote)
            patch.durationMinutes = duration.map { $0 == 0 ? .clear : .set($0) }
            patch.objective = change(objective)
            patch.met = met.map(FieldChange.set)
            patch.direction = inbound ? .inbound : outbound ? .outbound : nil
            (patch.via, patch.company, patch.unnamed) = (change(via), change(company), change(unnamed))
            patch.people = ListChange(added: adding, removed: removing)
            let changed = try await store.conversations.update(ConversationID(id), with: patch, as: account)
            return (changed, clock)
        }
        if global.json { try env.json(changed); return }
        env.output.line("Updated conversation #\(changed.id).")
        ConversationPrinter(env: env, clock: clock).details(changed, followUps: [])
    }
}

struct DeleteConversation: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a conversation for good (asks for --yes). Its people stay.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The conversation's id.") var id: Int64
    @Flag(help: "Yes, delete it.") var yes = false

    func run(in env: CLIEnvironment) async throws {
        let deleted = try await env.withStore(global) { store, account in
            let conversation = try await store.conversations.get(ConversationID(id), as: account)
            guard yes else {
                throw RapportError.invalid("yes", "deleting conversation #\(id) (\(conversation.title)) cannot be undone; add --yes to confirm")
            }
            try await store.conversations.delete(conversation.id, as: account)
            return conversation
        }
        if global.json { try env.json(["deleted": deleted.id]) } else { env.output.line("Deleted conversation #\(deleted.id) (\(deleted.title)).") }
    }
}

/// `rapport timeline REF` / `--company C`.
struct TimelineCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "timeline", abstract: "A person's (or a company's) conversations and follow-ups, newest first.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The person: id, email, or a unique part of the name.") var person: String?
    @Option(help: "A company instead of a person.") var company: String?

    func validate() throws {
        if (person == nil) == (company == nil) { throw ValidationError("name a person, or a company with --company C") }
    }

    func run(in env: CLIEnvironment) async throws {
        let (timeline, clock) = try await env.withStore(global) { store, account in
            let clock = try await store.clock(as: account)
            if let company { return (try await store.activity.timeline(ofCompany: company, clock: clock, as: account), clock) }
            let found = try await store.people.resolve(person ?? "", as: account)
            return (try await store.activity.timeline(of: found, clock: clock, as: account), clock)
        }
        if global.json { try env.json(timeline); return }
        ConversationPrinter(env: env, clock: clock).timeline(timeline)
    }
}

/// `rapport search QUERY`: people and conversations.
struct SearchCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "search", abstract: "Full-text search over people and conversation notes and objectives.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Words to find; each matches the start of a word.") var query: String
    @Option(help: "At most N results of each kind.") var limit = 25
    @Option(help: "Pass over this many results of each kind first: the next page is --offset LIMIT.") var offset = 0

    func validate() throws {
        guard (1...1_000).contains(limit) else { throw ValidationError("--limit must be between 1 and 1000") }
        try MoreHint.validate(offset: offset)
    }

    struct Results: Encodable {
        var people: [PersonSearchHit]
        var conversations: [ConversationSearchHit]
        var feedback: [Feedback]
    }

    func run(in env: CLIEnvironment) async throws {
        let (fetched, clock) = try await env.withStore(global) { store, account in
            (Results(people: try await store.people.search(query, as: account, limit: limit + 1, offset: offset),
                     conversations: try await store.conversations.search(query, as: account, limit: limit + 1, offset: offset),
                     feedback: try await store.feedback.search(query, as: account, limit: limit + 1, offset: offset)),
             try await store.clock(as: account))
        }
        let more = [ListPage.of(fetched.people, limit: limit, offset: offset).hasMore, ListPage.of(fetched.conversations, limit: limit, offset: offset).hasMore,
                    ListPage.of(fetched.feedback, limit: limit, offset: offset).hasMore].contains(true)
        let results = Results(people: Array(fetched.people.prefix(limit)), conversations: Array(fetched.conversations.prefix(limit)),
                              feedback: Array(fetched.feedback.prefix(limit)))
        defer {
            // One offset pages the three kinds together.
            let page = ListPage<Never>(items: [], limit: limit, offset: offset, hasMore: more)
            if !global.json, let line = MoreHint.line(page, command: "rapport search", arguments: [query], options: [], defaultLimit: 25, global: global,
                                                      shown: "results \(offset + 1) to \(offset + limit) of each kind") {
                env.output.line(line)
            }
        }
        if global.json { try env.json(results); return }
        if results.people.isEmpty && results.conversations.isEmpty && results.feedback.isEmpty { env.output.line("Nothing matches \"\(query)\"."); return }
        if !results.people.isEmpty {
            env.output.line("People")
            for hit in results.people {
                var line = "  #\(hit.person.id)  \(hit.person.name)"
                if let company = hit.person.details.company { line += " (\(company))" }
                env.output.line(line + "  matched in \(hit.matchedIn.joined(separator: ", "))")
                if let excerpt = hit.excerpt { env.output.line("        \(excerpt)") }
            }
        }
        if !results.conversations.isEmpty {
            env.output.line("Conversations")
            for hit in results.conversations {
                env.output.line("  #\(hit.conversation.id)  \(clock.show(hit.conversation.details.at))  \(hit.conversation.title)  matched in \(hit.matchedIn.joined(separator: ", "))")
                if let excerpt = hit.excerpt { env.output.line("        \(excerpt)") }
            }
        }
        if !results.feedback.isEmpty {
            env.output.line("Feedback")
            for f in results.feedback { FeedbackPrinter(env: env, zone: clock.zone).row(f, indent: "  ") }
        }
    }
}

/// Prints conversations, follow-ups and timelines for a terminal, in the user's zone.
struct ConversationPrinter {
    let env: CLIEnvironment
    let clock: UserClock

    func when(_ date: Date) -> String {
        "\(clock.show(date)) (\(LocalTime.relative(CalendarDay(date, in: clock.zone), from: clock.today)))"
    }

    func row(_ c: Conversation) {
        var line = "#\(c.id)  \(clock.show(c.details.at))  \(c.details.kind.rawValue.padding(10)) \(c.title)"
        if let company = c.details.company { line += " (\(company))" }
        if let objective = c.details.objective { line += " · \(objective)" }
        env.output.line(line)
    }

    func details(_ c: Conversation, followUps: [FollowUp]) {
        let d = c.details
        env.output.line(c.title + (d.company.map { " (\($0))" } ?? ""))
        var lines: [(String, String)] = [("Id", "#\(c.id)"), ("When", when(d.at))]
        if let minutes = d.durationMinutes { lines.append(("Duration", "\(minutes) min")) }
        if d.kind != .secondhand {
            lines.append(("Direction", d.direction == .inbound ? "inbound (they reached out)" : "outbound (you reached out)"))
        }
        if let via = d.via { lines.append(("Reported by", via)) }
        if let objective = d.objective { lines.append(("Objective", objective + (d.met.map { " (met: \($0.rawValue))" } ?? ""))) }
        let width = lines.map(\.0.count).max() ?? 0
        for (label, value) in lines {
            env.output.line("  " + label + ":" + String(repeating: " ", count: width - label.count + 1) + value)
        }
        if !d.notes.isEmpty {
            env.output.line("")
            for line in d.notes.split(separator: "\n", omittingEmptySubsequences: false) { env.output.line("  " + line) }
        }
        answers(c)
        for f in followUps { env.output.line("  " + followUp(f)) }
    }

    /// The guide run and each answer under its question.
    func answers(_ c: Conversation) {
        guard c.guide != nil || !c.details.answers.isEmpty else { return }
        env.output.line("")
        env.output.line("  Guide: \(c.guide?.name ?? "(deleted)")" + (c.details.answers.isEmpty ? " (no answers yet)" : ""))
        for a in c.details.answers {
            env.output.line("  \(a.position). \(a.question)")
            for line in a.answer.split(separator: "\n", omittingEmptySubsequences: false) { env.output.line("     " + line) }
        }
    }

    func followUp(_ f: FollowUp) -> String {
        var text = "Follow-up #\(f.id) [\(f.isOpen ? "open" : "done")] \(f.text)"
        if let day = f.dueDay {
            text += ", due \(day.label)" + (f.dueAt.map { " " + LocalTime.clock($0, in: clock.zone) } ?? "")
            if f.isOpen { text += " (\(LocalTime.relative(day, from: clock.today)))" }
        }
        if f.snoozes > 0 { text += ", snoozed \(f.snoozes)×" }
        return text
    }

    func timeline(_ t: Timeline) {
        if let person = t.person {
            env.output.line(person.name + (person.details.company.map { ", \($0)" } ?? ""))
            if let s = t.status { env.output.line("  " + StatusLine.text(s, clock: clock)) }
        } else if let company = t.company {
            env.output.line(company)
        }
        if t.entries.isEmpty { env.output.line("  Nothing yet: log a conversation with `rapport log call \(t.person.map { "\($0.id)" } ?? "REF")`."); return }
        for entry in t.entries {
            if let c = entry.conversation {
                env.output.line("  \(clock.show(c.details.at))  #\(c.id) \(c.title)" + (c.details.objective.map { " · \($0)" } ?? ""))
                if let first = c.details.notes.split(separator: "\n").first {
                    env.output.line("                    " + (first.count > 100 ? first.prefix(100) + "…" : first))
                }
            } else if let f = entry.followUp {
                env.output.line("  \(clock.show(entry.at))  \(followUp(f))" + (t.person == nil ? " — \(f.person.name)" : ""))
            }
        }
    }
}

/// One line on where a person stands: last contact, cadence, next due.
enum StatusLine {
    static func text(_ s: CadenceStatus, clock: UserClock) -> String {
        var parts: [String] = []
        if let last = s.lastContact {
            parts.append("last contact \(CalendarDay(last, in: clock.zone)) (\(LocalTime.relative(CalendarDay(last, in: clock.zone), from: clock.today)))")
        } else {
            parts.append("never talked to")
        }
        parts.append("\(s.conversations) conversation\(s.conversations == 1 ? "" : "s")")
        if let days = s.cadenceDays {
            parts.append("every \(days) days" + (s.cadenceSource == .stage ? " (stage default)" : ""))
            if let next = s.nextDue { parts.append("next due \(next) (\(s.phrase))") }
        } else {
            parts.append("no cadence")
        }
        return parts.joined(separator: " · ")
    }
}
