import ArgumentParser
import RapportCore
import RapportStore

/// `rapport pick --persona P -n 3`: who should I ask?
struct PickCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "pick", abstract: "Who should I ask? Ranks the people of a persona and says why.",
        discussion: """
            Do-not-contact and archived people are left out. Score: warmth (10 a step above 1), advocate +15, \
            off the record +10, business hours where they are right now +20 (outside: -20, unknown zone: 0), \
            talked to or asked within `pick.recent-days` (default 14) -40, answered when asked before +5 each \
            (up to +15), has reached out before +5.
            """)
    @OptionGroup var global: GlobalOptions
    @Option(help: "The persona to ask.") var persona: String
    @Option(name: .short, help: "How many people to suggest.") var n = 3

    func validate() throws {
        guard (1...100).contains(n) else { throw ValidationError("-n must be between 1 and 100") }
    }

    func run(in env: CLIEnvironment) async throws {
        let now = env.now()
        let (found, result) = try await env.withStore(global) { store, account in
            let found = try await store.personas.find(persona, as: account)
            return (found, try await store.people.pick(from: found, count: n, now: now, as: account).result)
        }
        if global.json { try env.json(result); return }
        if result.suggestions.isEmpty {
            env.output.line("Nobody of \(found.name) can be asked right now.")
        }
        for s in result.suggestions {
            var head = "\(s.rank). \(s.person.name)"
            if let company = s.person.details.company { head += ", \(company)" }
            if let title = s.person.details.title { head += " (\(title))" }
            env.output.line("\(head)  score \(s.score)")
            for reason in s.reasons {
                let sign = reason.points > 0 ? "+\(reason.points)" : "\(reason.points)"
                env.output.line("     \(sign.padding(3)) \(reason.text)")
            }
            if let email = s.person.details.emails.first?.value { env.output.line("     email \(email)") }
            if let phone = s.person.details.phones.first?.value { env.output.line("     phone \(phone)") }
        }
        if !result.excluded.isEmpty {
            env.output.line("Left out: " + result.excluded.map { "\($0.person.name) (\($0.reason))" }.joined(separator: "; "))
        }
    }
}

extension String {
    func padding(_ width: Int) -> String { self + String(repeating: " ", count: max(0, width - count)) }
}
