import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// `rapport guides ...`: interview guides.
struct GuidesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "guides", abstract: "Interview guides: an objective and questions in order, filled for the person you talk to.",
        subcommands: [AddGuide.self, ListGuides.self, ShowGuide.self, EditGuide.self, ExportGuide.self, DeleteGuide.self])
}

struct AddGuide: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "add", abstract: "Add a guide: rapport guides add Onboarding --objective \"…\" --question 5 --question 8.",
        discussion: "A --question is a bank id, or the text of a new question, which joins the bank.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The guide's name.") var name: String
    @Option(help: "What you want to learn in these conversations.") var objective: String
    @Option(help: "A question: a bank id or new text. Repeatable, in order.") var question: [String] = []
    @Option(help: "A persona this guide is for. Repeatable.") var persona: [String] = []

    func run(in env: CLIEnvironment) async throws {
        let (guide, lint) = try await env.withStore(global) { store, account in
            var ids: [QuestionID] = []
            for ref in question { ids.append(try await store.questions.ensure(ref, as: account).id) }
            let guide = try await store.guides.add(GuideDetails(name: name, objective: objective, personas: persona, questions: ids), as: account)
            return (guide, try await store.settings.get(as: account).questionLint)
        }
        if global.json { try env.json(guide); return }
        env.output.line("Added guide \"\(guide.name)\" (#\(guide.id)) with \(guide.questions.count) question\(guide.questions.count == 1 ? "" : "s").")
        GuidePrinter(env: env).questions(guide, lint: lint)
        if guide.questions.isEmpty { env.output.line("Add questions with `rapport guides edit \"\(guide.name)\" --add ID`; see the bank with `rapport questions list`.") }
    }
}

struct ListGuides: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Every guide, by name.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let guides = try await env.withStore(global) { store, account in try await store.guides.list(as: account) }
        if global.json { try env.json(guides); return }
        if guides.isEmpty { env.output.line("No guides yet: add one with `rapport guides add NAME --objective TEXT --question ID`."); return }
        for g in guides {
            var line = "#\(g.id)  \(g.name) · \(g.questions.count) question\(g.questions.count == 1 ? "" : "s")"
            if !g.personas.isEmpty { line += " · for \(g.personas.joined(separator: ", "))" }
            env.output.line(line)
            env.output.line("     Objective: \(g.objective)")
        }
    }
}

struct ShowGuide: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a guide; with --for, ready for that person: placeholders filled, small talk, last conversation.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The guide's name or id.") var name: String
    @Option(name: .customLong("for"), help: "The person you are about to talk to.") var person: String?

    func run(in env: CLIEnvironment) async throws {
        let sheet = try await env.withStore(global) { store, account in
            let who = try await person.asyncMap { try await store.people.resolve($0, as: account).id }
            return try await store.guides.sheet(name, for: who, as: account)
        }
        if global.json { try env.json(sheet); return }
        GuidePrinter(env: env).sheet(sheet)
    }
}

struct EditGuide: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "edit", abstract: "Change a guide: its name, objective, personas, and its questions and their order.",
        discussion: "Positions (--remove, --move, --to) are the numbers `rapport guides show` prints, from 1.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The guide's name or id.") var name: String
    @Option(name: .customLong("name"), help: "A new name.") var newName: String?
    @Option(help: "A new objective.") var objective: String?
    @Option(help: "Replace the questions with these (ids or new text). Repeatable, in order.") var question: [String] = []
    @Option(help: "Add a question at the end (an id or new text). Repeatable.") var add: [String] = []
    @Option(help: "Take out the question at this position. Repeatable.") var remove: [Int] = []
    @Option(help: "Move the question at this position ...") var move: Int?
    @Option(help: "... to this position.") var to: Int?
    @Option(help: "Replace the personas with these. Repeatable.") var persona: [String] = []
    @Flag(name: .customLong("no-personas"), help: "Clear the personas.") var noPersonas = false

    func validate() throws {
        if (move == nil) != (to == nil) { throw ValidationError("--move N needs --to M, and --to M needs --move N") }
        if !persona.isEmpty && noPersonas { throw ValidationError("give --persona or --no-personas, not both") }
    }

    func run(in env: CLIEnvironment) async throws {
        let (guide, lint) = try await env.withStore(global) { store, account in
            var replace: [QuestionID] = [], adding: [QuestionID] = []
            for ref in question { replace.append(try await store.questions.ensure(ref, as: account).id) }
            for ref in add { adding.append(try await store.questions.ensure(ref, as: account).id) }
            var patch = GuidePatch()
            (patch.name, patch.objective) = (newName, objective)
            if !replace.isEmpty { patch.questions = replace }
            patch.removedPositions = Set(remove)
            patch.addedQuestions = adding
            if let move, let to { patch.move = .init(from: move, to: to) }
            if !persona.isEmpty { patch.personas = persona }
            if noPersonas { patch.personas = [] }
            let guide = try await store.guides.update(name, with: patch, as: account)
            return (guide, try await store.settings.get(as: account).questionLint)
        }
        if global.json { try env.json(guide); return }
        env.output.line("Updated guide \"\(guide.name)\".")
        GuidePrinter(env: env).questions(guide, lint: lint)
    }
}

struct ExportGuide: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "export", abstract: "A printable guide, with space for notes under each question.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The guide's name or id.") var name: String
    @Option(help: "The format: markdown.") var format = "markdown"
    @Option(name: .customLong("for"), help: "Fill it for this person.") var person: String?
    @Option(help: "Write to this file instead of the terminal.") var out: String?

    func validate() throws {
        if format.lowercased() != "markdown" && format.lowercased() != "md" {
            throw ValidationError("--format \(format) is not known; use --format markdown")
        }
    }

    func run(in env: CLIEnvironment) async throws {
        let sheet = try await env.withStore(global) { store, account in
            let who = try await person.asyncMap { try await store.people.resolve($0, as: account).id }
            return try await store.guides.sheet(name, for: who, as: account)
        }
        let markdown = GuideMarkdown.render(sheet)
        guard let out else { env.output.line(markdown); return }
        guard FileManager.default.createFile(atPath: out, contents: Data(markdown.utf8)) else {
            throw RapportError.invalid("out", "cannot write \"\(out)\"; check the folder exists and you may write there")
        }
        if global.json { try env.json(["file": out]) } else { env.output.line("Wrote \(out).") }
    }
}

struct DeleteGuide: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete a guide (asks for --yes). Conversations keep the answers given with it.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The guide's name or id.") var name: String
    @Flag(help: "Yes, delete it.") var yes = false

    func run(in env: CLIEnvironment) async throws {
        let deleted = try await env.withStore(global) { store, account in
            let guide = try await store.guides.get(name, as: account)
            guard yes else { throw RapportError.invalid("yes", "deleting the guide \"\(guide.name)\" cannot be undone; add --yes to confirm") }
            return try await store.guides.delete("#\(guide.id)", as: account)
        }
        if global.json { try env.json(["deleted": deleted.id]) } else { env.output.line("Deleted guide \"\(deleted.name)\".") }
    }
}

/// Prints guides and sheets for a terminal.
struct GuidePrinter {
    let env: CLIEnvironment

    func questions(_ guide: Guide, lint: QuestionLint) {
        env.output.line("  Objective: \(guide.objective)")
        if !guide.personas.isEmpty { env.output.line("  For: \(guide.personas.joined(separator: ", "))") }
        for q in guide.questions {
            env.output.line("  \(q.position). \(q.text)  (#\(q.id)\(q.retired ? ", retired" : ""))")
            LintPrinter(env: env).flags(lint.check(q.text), indent: "       ")
        }
    }

    func sheet(_ sheet: GuideSheet) {
        env.output.line(sheet.guide.name + (sheet.person.map { " — for \($0.name)" } ?? "") + (sheet.about.map { " (\($0))" } ?? ""))
        env.output.line("  Objective: \(sheet.objective)")
        if let smallTalk = sheet.smallTalk { env.output.line("  \(smallTalk)") }
        if let last = sheet.lastConversation { env.output.line("  Last conversation: \(last)") }
        env.output.line("")
        if sheet.questions.isEmpty { env.output.line("  No questions yet: `rapport guides edit \"\(sheet.guide.name)\" --add ID`.") }
        for q in sheet.questions { env.output.line("  \(q.position). \(q.text)" + (q.retired ? "  (retired)" : "")) }
        for hint in sheet.hints { env.output.line("  Note: \(hint)") }
        if let person = sheet.person, !sheet.questions.isEmpty {
            env.output.line("")
            env.output.line("  Log it with: rapport log call \(person.id) --guide \"\(sheet.guide.name)\" --answer 1=\"…\"")
        }
    }
}
