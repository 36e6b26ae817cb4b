import ArgumentParser
import Foundation
import Logging
import RapportCore
import RapportStore
import Synchronization

/// Where a command's text goes: the terminal, or a buffer a test reads.
public final class Output: Sendable {
    private let buffers: Mutex<(out: String, err: String)>
    private let echo: Bool

    /// `echo: true` writes through to stdout and stderr; `false` only keeps the text (for tests).
    public init(echo: Bool) {
        self.echo = echo
        self.buffers = Mutex(("", ""))
    }

    public func line(_ text: String = "") {
        if echo {
            Self.write(text + "\n", to: .standardOutput)
        } else {
            buffers.withLock { $0.out += text + "\n" }
        }
    }

    /// Writes `text` exactly as it is, with no newline added (a file's bytes, such as an .ics with CRLF lines).
    public func raw(_ text: String) {
        if echo {
            Self.write(text, to: .standardOutput)
        } else {
            buffers.withLock { $0.out += text }
        }
    }

    /// Whether stderr is a terminal a person watches (never in tests): where progress bars go.
    public var isTerminal: Bool { echo && isatty(STDERR_FILENO) == 1 }

    /// Rewrites the current stderr line (a progress bar); nothing unless ``isTerminal``.
    public func status(_ text: String) {
        if isTerminal { Self.write("\r\u{1B}[2K" + text, to: .standardError) }
    }

    public func error(_ text: String) {
        if echo {
            Self.write(text + "\n", to: .standardError)
        } else {
            buffers.withLock { $0.err += text + "\n" }
        }
    }

    /// Writes without trapping: a reader that goes away early (`rapport ... | head`, `grep -q`)
    /// closes the pipe, and that is not a reason to crash.
    private static func write(_ text: String, to handle: FileHandle) {
        do {
            try handle.write(contentsOf: Data(text.utf8))
        } catch {
            // The reader is gone (EPIPE) or the terminal closed; there is no one left to tell.
        }
    }

    /// What was written to standard output so far (buffered mode only).
    public var standardOutput: String { buffers.withLock { $0.out } }
    /// What was written to standard error so far (buffered mode only).
    public var standardError: String { buffers.withLock { $0.err } }
}

/// What a command runs with: its output, the process environment and the clock. Tests pass their own.
public struct CLIEnvironment: Sendable {
    public var output: Output
    public var variables: [String: String]
    public var now: @Sendable () -> Date
    public var logger: Logger

    public init(
        output: Output, variables: [String: String], now: @escaping @Sendable () -> Date = { Date() },
        logger: Logger = CLIEnvironment.quietLogger()
    ) {
        self.output = output
        self.variables = variables
        self.now = now
        self.logger = logger
    }

    /// A logger that only speaks up about problems.
    public static func quietLogger() -> Logger {
        var logger = Logger(label: "rapport")
        logger.logLevel = .warning
        return logger
    }

    /// The real terminal and process environment.
    public static func live() -> CLIEnvironment {
        var logger = Logger(label: "rapport")
        logger.logLevel = ProcessInfo.processInfo.environment["LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .warning
        return CLIEnvironment(output: Output(echo: true), variables: ProcessInfo.processInfo.environment, logger: logger)
    }

    /// Opens the database the global options name and the acting (local) account, runs `body`, and closes it.
    func withStore<R>(
        _ global: GlobalOptions, _ body: (Store, AccountID) async throws -> R
    ) async throws -> R {
        let location = try DatabaseLocation.resolve(db: global.db, databaseURL: global.databaseURL, environment: variables)
        let store = try await Store.open(location, logger: logger, now: now)
        do {
            let account = try await store.localAccount()
            let result = try await body(store, account)
            await store.close()
            return result
        } catch {
            await store.close()
            throw error
        }
    }

    /// Prints `value` as JSON: camelCase keys, ISO 8601 dates, sorted keys.
    func json<T: Encodable>(_ value: T) throws {
        output.line(try JSONOutput.string(value))
    }
}

/// The JSON style of every `--json` output.
public enum JSONOutput {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    public static func string<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder().encode(value), as: UTF8.self)
    }
}

/// Options every command takes.
public struct GlobalOptions: ParsableArguments {
    @Option(name: .customLong("db"), help: "SQLite database file (default: $RAPPORT_DB, else the data folder).")
    var db: String?

    @Option(name: .customLong("database-url"), help: "PostgreSQL URL, postgres://user@host/db (default: $RAPPORT_DATABASE_URL).")
    var databaseURL: String?

    @Flag(name: .customLong("json"), help: "Print machine-readable JSON (camelCase keys, ISO 8601 dates).")
    var json = false

    public init() {}
}

/// A command that runs against an injected ``CLIEnvironment``.
public protocol RapportRunnable: AsyncParsableCommand {
    func run(in environment: CLIEnvironment) async throws
}

extension RapportRunnable {
    public mutating func run() async throws {
        let environment = CLIEnvironment.live()
        let code = await RapportCommand.execute(self, in: environment)
        if code != 0 { throw ExitCode(code) }
    }
}
