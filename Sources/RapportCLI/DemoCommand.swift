import ArgumentParser
import RapportCore
import RapportFormats
import RapportStore

/// `rapport demo`: fills an empty database with the demo circle.
struct DemoCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill an empty database with a demo circle of 60 people (use --db to pick a scratch file).",
        discussion: "Refuses a database that already has people, so your own circle is never mixed with made-up ones.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let count = try await env.withStore(global) { store, account in
            let existing = try await store.people.list(PersonFilter(limit: 1), as: account)
                + store.people.list(PersonFilter(archived: true, limit: 1), as: account)
            guard existing.isEmpty, try await store.personas.list(as: account).isEmpty else {
                throw RapportError.conflict(field: "db", message: "\(store.location.displayName) already has people or personas; pass --db with a new file for the demo")
            }
            return try await DemoCircle.fill(store, as: account)
        }
        if global.json { try env.json(["people": count]) } else { env.output.line("Added the demo circle: \(count) people, 8 companies, 5 personas.") }
    }
}
