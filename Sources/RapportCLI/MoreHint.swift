import ArgumentParser
import RapportCore

/// The last line of a paged list when more follows: the same command for the next page.
///
/// `options` are the command's options as typed, `(flag, value)`: a nil value leaves the option out, an empty one
/// writes the flag alone. Values with spaces or quotes are single-quoted for a POSIX shell. The database is named as
/// it was (`--db FILE`); a `--database-url` is written as `--database-url URL`, for the user to fill in, since it
/// may hold a password. `shown` says what this page showed when it is not the page's own range.
enum MoreHint {
    static func line<Item>(_ page: ListPage<Item>, command: String, arguments: [String] = [], options: [(String, String?)],
                           defaultLimit: Int, global: GlobalOptions, shown: String? = nil) -> String? {
        guard let next = page.nextOffset else { return nil }
        var words = [command] + arguments.map(quoted)
        // The same database as this page (a URL may hold a password: it is not written out again).
        for (flag, value) in options + [("--db", global.db), ("--database-url", global.databaseURL.map { _ in "URL" })] {
            guard let value else { continue }
            words.append(value.isEmpty ? flag : "\(flag) \(quoted(value))")
        }
        if page.limit != defaultLimit { words.append("--limit \(page.limit)") }
        words.append("--offset \(next)")
        return "More (\(shown ?? page.shown) shown): " + words.joined(separator: " ")
    }

    /// The check of `--offset` every paged command makes, before it runs.
    static func validate(offset: Int) throws {
        guard (0...Paging.maxOffset).contains(offset) else { throw ValidationError("--offset must be between 0 and \(Paging.maxOffset)") }
    }

    static func quoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_.,:/@+=".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
