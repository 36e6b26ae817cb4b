import ArgumentParser
import Foundation
import RapportCore

/// `rapport`: the root command.
public struct RapportCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "rapport",
        abstract: "A private, local-first CRM for product managers who talk to customers.",
        discussion: """
            Your circle of customers stays on this machine: $XDG_DATA_HOME/rapport/rapport.sqlite by default.
            Name a person by id, email, or a unique part of their name.
            """,
        subcommands: [
            PeopleCommand.self, PersonasCommand.self, LogCommand.self, ConversationsCommand.self, TimelineCommand.self,
            DueCommand.self, FollowUpsCommand.self, PickCommand.self, PlanCommand.self, AttemptCommand.self, AttemptsCommand.self,
            FunnelCommand.self, CampaignsCommand.self, QuestionsCommand.self, GuidesCommand.self,
            FeedbackCommand.self, ThemesCommand.self, RequestsCommand.self, HypothesesCommand.self, GoalsCommand.self, StreakCommand.self, TodayCommand.self, CompaniesCommand.self, ReportCommand.self,
            SearchCommand.self, ImportCommand.self, ExportCommand.self, BackupCommand.self, RestoreCommand.self, SettingsCommand.self,
            ServeCommand.self, DemoCommand.self,
        ]
    )

    public init() {}

    /// Parses `arguments` and runs the command in `environment`; returns the exit code. Tests call this.
    public static func run(_ arguments: [String], in environment: CLIEnvironment) async -> Int32 {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot(arguments)
        } catch {
            let code = exitCode(for: error).rawValue
            let message = fullMessage(for: error)
            if code == 0 { environment.output.line(message) } else { environment.output.error(message) }
            return code
        }
        guard let runnable = command as? any RapportRunnable else {
            // Help and command groups: their `run()` throws a clean exit that carries the help text.
            var plain = command
            do {
                try plain.run()
                return 0
            } catch {
                let code = exitCode(for: error).rawValue
                let message = fullMessage(for: error)
                if code == 0 { environment.output.line(message) } else { environment.output.error(message) }
                return code
            }
        }
        return await execute(runnable, in: environment)
    }

    /// Runs a parsed command, turning failures into a message on stderr and a non-zero exit code.
    static func execute(_ command: any RapportRunnable, in environment: CLIEnvironment) async -> Int32 {
        do {
            try await command.run(in: environment)
            return 0
        } catch let error as RapportError {
            environment.output.error("error: " + error.commandLineMessage)
            return error.exitCode
        } catch let error as ExitCode {
            return error.rawValue
        } catch {
            environment.output.error("error: " + String(describing: error))
            return 1
        }
    }
}

extension RapportError {
    /// The message with what to do next said as commands and flags.
    var commandLineMessage: String {
        guard case .duplicate(let match) = self else { return message }
        let id = match.person.id
        return match.canAddAnyway
            ? "\(match.label) is already in your circle (\(DuplicateBasis.describe(match.basis))); use `rapport people show \(id)`, merge afterwards, or add again with --allow-duplicate"
            : "\(match.label) is already in your circle (\(DuplicateBasis.describe(match.basis))); an email belongs to one person: use `rapport people edit \(id)` to add what is new, or leave the email out"
    }

    /// 1 for a bad request the user can fix, 2 for a database problem.
    var exitCode: Int32 {
        if case .storage = self { return 2 }
        return 1
    }
}
