import ArgumentParser
import Foundation
import RapportCore
import RapportStore

/// `rapport companies ...`
struct CompaniesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "companies", abstract: "Companies: their industry, and whether reports may name them.",
        subcommands: [ListCompanies.self, SetCompany.self])
}

struct ListCompanies: RapportRunnable {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Companies with their people, industry and shareability.")
    @OptionGroup var global: GlobalOptions

    func run(in env: CLIEnvironment) async throws {
        let found = try await env.withStore(global) { store, account in try await store.companies.list(as: account) }
        if global.json { try env.json(found); return }
        if found.isEmpty { env.output.line("No companies yet: they come from people's --company."); return }
        for c in found {
            env.output.line("\(c.name) · \(c.people) \(c.people == 1 ? "person" : "people")" + (c.industry.map { " · \($0)" } ?? "")
                            + (c.shareable ? " · shareable in reports" : ""))
        }
    }
}

struct SetCompany: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set a company's industry (reports say \"a logistics customer\") or let reports name it.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: "The company.") var name: String
    @Option(help: "Its industry, e.g. logistics (\"\" clears it).") var industry: String?
    @Flag(help: "Reports may name it even when anonymised.") var shareable = false
    @Flag(name: .customLong("private"), help: "Reports describe it by industry only (the default).") var isPrivate = false

    func validate() throws {
        if shareable && isPrivate { throw ValidationError("give --shareable or --private, not both") }
        if industry == nil && !shareable && !isPrivate { throw ValidationError("say what to set: --industry, --shareable or --private") }
    }

    func run(in env: CLIEnvironment) async throws {
        let info = try await env.withStore(global) { store, account in
            try await store.companies.set(name, industry: industry, shareable: shareable ? true : isPrivate ? false : nil, as: account)
        }
        if global.json { try env.json(info); return }
        env.output.line("\(info.name): " + (info.industry.map { "industry \($0)" } ?? "no industry") + (info.shareable ? ", reports may name it" : ", reports do not name it"))
    }
}
