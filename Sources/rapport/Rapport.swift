import ArgumentParser
import RapportCLI

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The `rapport` executable: hands over to the CLI.
@main
struct Rapport {
    static func main() async {
        // A reader that stops early (`| head`, `grep -q`) must not kill us mid-write; writes see EPIPE instead.
        signal(SIGPIPE, SIG_IGN)
        await RapportCommand.main()
    }
}
