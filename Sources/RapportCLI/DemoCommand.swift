import ArgumentParser
import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// `rapport demo`: fills an empty database with the demo circle, or `rapport demo generate` with a large one.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Fill an empty database with a demo circle of 60 people, or a generated one of any size (use --db to pick a scratch file).",
        discussion: "Refuses a database that already has people, so your own circle is never mixed with made-up ones.",
        subcommands: [DemoFill.self, DemoGenerate.self], defaultSubcommand: DemoFill.self)
}

/// `rapport demo [fill]`: the 60-person demo circle.
struct DemoFill: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "fill", abstract: "The demo circle: 60 people at 8 companies, 5 personas, conversations and feedback (the default).")
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

/// `rapport demo generate`: a large, deterministic circle written through the store's bulk path.
struct DemoGenerate: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "generate",
        abstract: "Fill an empty database with a generated circle of any size, to try Rapport at scale.",
        discussion: """
            People at companies on four continents (emails, phones, titles, personas, notes), conversations over the past \
            year and feedback over 40 themes, written as Rapport writes them (keys, search index). The same --seed and \
            counts give the same circle on the same day.

            Example: rapport demo generate --people 10000 --conversations 100000 --feedback 200000 --db /tmp/big.sqlite
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "How many people (1 to 1000000).") var people = 1_000
    @Option(help: "How many conversations (default: 10 per person).") var conversations: Int?
    @Option(help: "How many pieces of feedback (default: 2 per conversation).") var feedback: Int?
    @Option(help: "The seed: the same seed gives the same circle.") var seed: UInt64 = 7

    func run(in env: CLIEnvironment) async throws {
        let talks = conversations ?? people * 10
        let counts = GeneratedCircle.Counts(people: people, conversations: talks, feedback: feedback ?? talks * 2)
        let bar = ProgressBar(output: env.output, total: counts.people + counts.conversations, noun: "rows")
        let anchor = env.now()
        let summary = try await env.withStore(global) { store, account in
            try await GeneratedCircle.write(counts, seed: seed, to: store, as: account, anchor: anchor) { phase, done in
                bar.update(phase == "people" ? done : counts.people + done)
            }
        }
        bar.finish()
        if global.json { try env.json(summary); return }
        env.output.line("Generated \(summary.people) people at \(summary.companies) companies (\(summary.personas) personas), "
            + "\(summary.conversations) conversations and \(summary.feedback) pieces of feedback over \(summary.themes) themes.")
    }
}
