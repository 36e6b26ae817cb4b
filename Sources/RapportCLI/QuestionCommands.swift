import ArgumentParser
import Foundation
import RapportCore
import RapportStore

/// `rapport questions ...`: the question bank and its lint.
struct QuestionsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "questions", abstract: "The question bank: add, list, edit, retire, and lint questions.",
        subcommands: [AddQuestion.self, ListQuestions.self, EditQuestion.self, RetireQuestion.self, LintQuestions.self])
}

struct AddQuestion: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a question to the bank (the lint says what it thinks, but it is added).",
        discussion: "Placeholders: {{first_name}}, {{name}}, {{role}} (their title), {{company}}, {{product}} (`rapport settings set product NAME`).")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The question.") var text: String
    @Option(help: "A tag. Repeatable.") var tag: [String] = []

    func run(in env: CLIEnvironment) async throws {
        let (added, lint) = try await env.withStore(global) { store, account in
            (try await store.questions.add(QuestionDetails(text: text, tags: tag), as: account),
             try await store.settings.get(as: account).questionLint)
        }
        let linted = LintedQuestion(added, lint: lint)
        if global.json { try env.json(linted); return }
        env.output.line("Added question #\(added.id): \(added.text)")
        if !linted.lint.isEmpty {
            env.output.line("The lint has a thought:")
            LintPrinter(env: env).flags(linted.lint)
        }
    }
}

struct ListQuestions: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "The bank, with how often each question was asked and got a long answer (over 200 characters).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Only questions with this tag.") var tag: String?
    @Flag(help: "Include retired questions.") var all = false

    func run(in env: CLIEnvironment) async throws {
        let (questions, lint) = try await env.withStore(global) { store, account in
            (try await store.questions.list(QuestionFilter(tag: tag, includeRetired: all), as: account),
             try await store.settings.get(as: account).questionLint)
        }
        let linted = questions.map { LintedQuestion($0, lint: lint) }
        if global.json { try env.json(linted); return }
        if linted.isEmpty {
            env.output.line(tag.map { "No questions tagged \($0)." } ?? "The bank is empty: add one with `rapport questions add \"How do you …?\"`.")
            return
        }
        for item in linted {
            let q = item.question
            let usage = q.usage.asked == 0 ? "not asked yet" : "asked \(q.usage.asked), long \(q.usage.longAnswers) (\(q.usage.longPercent ?? 0)%)"
            var line = "#\(q.id)".padding(5) + " " + q.text
            if q.retired { line += "  (retired)" }
            env.output.line(line)
            var meta = "      " + usage
            if !q.tags.isEmpty { meta += " · " + q.tags.joined(separator: ", ") }
            if !item.lint.isEmpty { meta += " · lint: " + item.lint.map(\.rule.rawValue).joined(separator: ", ") }
            env.output.line(meta)
        }
        env.output.line("\(linted.count) question\(linted.count == 1 ? "" : "s"); a long answer is over \(QuestionUsage.longAnswer) characters.")
    }
}

struct EditQuestion: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a question's text or tags. Answers already given keep the question as it was asked.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The question's id.") var id: String
    @Option(help: "The new text.") var text: String?
    @Option(help: "Replace the tags with these. Repeatable.") var tag: [String] = []
    @Option(name: .customLong("add-tag"), help: "Add a tag. Repeatable.") var addTag: [String] = []
    @Option(name: .customLong("remove-tag"), help: "Remove a tag. Repeatable.") var removeTag: [String] = []

    func validate() throws {
        if text == nil && tag.isEmpty && addTag.isEmpty && removeTag.isEmpty {
            throw ValidationError("say what to change: --text, --tag, --add-tag or --remove-tag")
        }
    }

    func run(in env: CLIEnvironment) async throws {
        let (text, tag, addTag, removeTag) = (self.text, self.tag, self.addTag, Set(self.removeTag.map { $0.trimmed.lowercased() }))
        let (changed, lint) = try await env.withStore(global) { store, account in
            let question = try await store.questions.find(id, as: account)
            let changed = try await store.questions.update(question.id, as: account) { d in
                if let text { d.text = text }
                if !tag.isEmpty { d.tags = tag }
                d.tags = (d.tags + addTag).filter { !removeTag.contains($0.trimmed.lowercased()) }
            }
            return (changed, try await store.settings.get(as: account).questionLint)
        }
        let linted = LintedQuestion(changed, lint: lint)
        if global.json { try env.json(linted); return }
        env.output.line("Updated question #\(changed.id): \(changed.text)" + (changed.tags.isEmpty ? "" : " [\(changed.tags.joined(separator: ", "))]"))
        if !linted.lint.isEmpty { LintPrinter(env: env).flags(linted.lint) }
    }
}

struct RetireQuestion: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "retire", abstract: "Retire a question: it stays in guides and answers, but is no longer offered.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The question's id.") var id: String
    @Flag(help: "Bring a retired question back.") var undo = false

    func run(in env: CLIEnvironment) async throws {
        let changed = try await env.withStore(global) { store, account in
            try await store.questions.setRetired(try await store.questions.find(id, as: account).id, !undo, as: account)
        }
        if global.json { try env.json(changed); return }
        env.output.line(undo ? "Question #\(changed.id) is back in the bank." : "Retired question #\(changed.id): \(changed.text)")
    }
}

struct LintQuestions: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "lint", abstract: "Check a question, a file or the whole bank for closed, leading, double, hypothetical and jargon questions.",
        discussion: """
            Exits with status 1 when anything is flagged, so it can guard a shared guide file in a script or hook.
            A file's questions are its lines that end with "?" (list items, numbered lines and headings too).
            Jargon comes from `rapport settings set lint.jargon "synergy,SKU"`.
            """)
    @OptionGroup var global: GlobalOptions
    @Argument(help: "One question (default: every active question in the bank).") var text: String?
    @Option(help: "Lint the questions in this file instead (- for standard input).") var file: String?

    func validate() throws {
        if text != nil && file != nil { throw ValidationError("give a question or --file, not both") }
    }

    func run(in env: CLIEnvironment) async throws {
        let fileText = try file.map { try InputFile.read($0, field: "file") }
        let report = try await env.withStore(global) { store, account in
            let lint = try await store.settings.get(as: account).questionLint
            if let text { return LintReport([(nil, nil, text)], lint: lint) }
            if let fileText { return LintReport(LintReport.questions(inFile: fileText).map { (nil, $0.line, $0.text) }, lint: lint) }
            return LintReport(try await store.questions.list(as: account).map { ($0.id, nil, $0.text) }, lint: lint)
        }
        if global.json {
            try env.json(report)
        } else {
            LintPrinter(env: env).report(report, single: text != nil)
        }
        if report.flagged > 0 { throw ExitCode(1) }
    }
}

/// Prints lint flags for a terminal.
struct LintPrinter {
    let env: CLIEnvironment

    func flags(_ flags: [LintFlag], indent: String = "  ") {
        for flag in flags {
            env.output.line("\(indent)\(flag.rule.rawValue) (\"\(flag.trigger)\"): \(flag.why)")
            env.output.line("\(indent)  consider: \(flag.suggestion)")
        }
    }

    func report(_ report: LintReport, single: Bool) {
        for result in report.results where !result.flags.isEmpty {
            let place = result.id.map { "#\($0) " } ?? result.line.map { "line \($0): " } ?? ""
            env.output.line("\(place)\(result.text)")
            flags(result.flags)
        }
        if single {
            if report.flagged == 0 { env.output.line("Looks open: no closed, leading, double, hypothetical or jargon wording found.") }
        } else if report.checked == 0 {
            env.output.line("No questions to check.")
        } else {
            env.output.line("\(report.flagged) of \(report.checked) question\(report.checked == 1 ? "" : "s") flagged.")
        }
    }
}
