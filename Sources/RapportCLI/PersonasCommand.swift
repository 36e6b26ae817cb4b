import ArgumentParser
import RapportCore
import RapportStore

/// `rapport personas ...`
struct PersonasCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "personas", abstract: "The kinds of people your product serves.",
        subcommands: [AddPersona.self, ListPersonas.self, ShowPersona.self, EditPersona.self])
}

struct AddPersona: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add a persona.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name, e.g. \"Ops Lead\".") var name: String
    @Option(help: "Who they are.") var description = ""
    @Option(help: "What they want to achieve.") var goals = ""
    @Option(help: "What gets in their way.") var pains = ""

    func run(in env: CLIEnvironment) async throws {
        let details = PersonaDetails(name: name, description: description, goals: goals, pains: pains)
        let persona = try await env.withStore(global) { store, account in try await store.personas.add(details, as: account) }
        if global.json { try env.json(persona) } else { env.output.line("Added persona #\(persona.id) \(persona.name).") }
    }
}

struct EditPersona: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "edit", abstract: "Rename a persona or change its text.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name or id.") var persona: String
    @Option(help: "A new name.") var name: String?
    @Option(help: "Who they are.") var description: String?
    @Option(help: "What they want to achieve.") var goals: String?
    @Option(help: "What gets in their way.") var pains: String?

    func run(in env: CLIEnvironment) async throws {
        let updated = try await env.withStore(global) { store, account in
            let current = try await store.personas.find(persona, as: account)
            let details = PersonaDetails(
                name: name ?? current.name, description: description ?? current.description,
                goals: goals ?? current.goals, pains: pains ?? current.pains)
            return try await store.personas.update(current.id, with: details, as: account)
        }
        if global.json { try env.json(updated) } else { env.output.line("Updated persona #\(updated.id) \(updated.name).") }
    }
}

struct ListPersonas: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List personas with their people counts.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let personas = try await env.withStore(global) { store, account in try await store.personas.list(as: account) }
        if global.json { try env.json(personas); return }
        if personas.isEmpty {
            env.output.line("No personas yet. Add one with: rapport personas add \"Ops Lead\" --description \"Runs daily operations\"")
        }
        for persona in personas {
            env.output.line("#\(persona.id)  \(persona.name)  \(persona.peopleCount) \(persona.peopleCount == 1 ? "person" : "people")")
        }
    }
}

struct ShowPersona: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show a persona and its people.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "Its name or id.") var persona: String

    struct Shown: Encodable {
        var persona: Persona
        var people: [Person]
    }

    func run(in env: CLIEnvironment) async throws {
        let shown = try await env.withStore(global) { store, account in
            let found = try await store.personas.find(persona, as: account)
            return Shown(persona: found, people: try await store.people.list(PersonFilter(persona: found.name), as: account))
        }
        if global.json { try env.json(shown); return }
        let p = shown.persona
        env.output.line("\(p.name) (#\(p.id)), \(p.peopleCount) \(p.peopleCount == 1 ? "person" : "people")")
        for (label, text) in [("About", p.description), ("Goals", p.goals), ("Pains", p.pains)] where !text.isEmpty {
            env.output.line("  \(label): \(text)")
        }
        env.output.line("")
        PersonPrinter(env: env, json: false).table(shown.people, filtered: true)
    }
}
