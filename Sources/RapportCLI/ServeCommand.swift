import ArgumentParser
import Foundation
import Hummingbird
import Logging
import NIOCore
import RapportCore
import RapportFormats
import RapportStore
import RapportWeb

/// `rapport serve`: the web app.
struct ServeCommand: RapportRunnable {
    static let configuration = CommandConfiguration(
        commandName: "serve", abstract: "Run the web app (127.0.0.1:8080 by default).")
    @OptionGroup var global: GlobalOptions
    @Option(help: "Address to listen on. Only loopback is allowed until login exists.") var host = "127.0.0.1"
    @Option(help: "Port to listen on; 0 picks a free one and prints it.") var port = 8080
    @Flag(help: "Start on a fresh temporary database filled with a demo circle.") var demo = false

    func validate() throws {
        guard (0...65_535).contains(port) else { throw ValidationError("--port must be between 0 and 65535") }
    }

    func run(in env: CLIEnvironment) async throws {
        let configuration = WebConfiguration(host: host, port: port)
        try configuration.checkPrivate()
        var options = global
        var demoFolder: URL?
        if demo {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-demo-\(UUID().uuidString)")
            demoFolder = folder
            options.db = folder.appendingPathComponent("demo.sqlite").path
            options.databaseURL = nil
        }
        defer { if let demoFolder { try? FileManager.default.removeItem(at: demoFolder) } }
        let output = env.output
        let host = host, demo = demo
        try await env.withStore(options) { store, account in
            if demo {
                let count = try await DemoCircle.fill(store, as: account)
                output.line("Demo circle ready: \(count) people in a temporary database (deleted when you stop).")
            } else {
                output.line("Database: \(store.location.displayName)")
            }
            // A snapshot a day while the server runs, the newest `backup.keep` kept (none for the throwaway demo).
            let folder = URL(fileURLWithPath: Backups.folder(for: store.location, environment: env.variables))
            let daily = demo ? nil : Task {
                var announced = false
                while !Task.isCancelled {
                    if let clock = try? await store.clock(as: account), let keep = clock.settings.value("backup.keep").flatMap(Int.init), keep > 0 {
                        if !announced { output.line("Daily backups: \(folder.path) (the last \(keep) kept; `rapport settings set backup.keep 0` turns them off)") }
                        announced = true
                        do { _ = try await store.backups.daily(in: folder, keep: keep, today: clock.today, as: account) } catch {
                            env.logger.error("daily backup failed", metadata: ["error": "\(error)"])
                        }
                    }
                    try? await Task.sleep(for: .seconds(3_600))
                }
            }
            defer { daily?.cancel() }
            let app = try await buildApplication(
                configuration: configuration, store: store, account: account, logger: env.logger
            ) { channel in
                let port = channel.localAddress?.port ?? configuration.port
                output.line("Rapport is running at http://\(host.contains(":") ? "[\(host)]" : host):\(port)/  (Ctrl-C to stop)")
            }
            try await app.runService()
        }
    }
}
