import RapportCore

/// The last line of a paged list when more follows: the same command for the next page.
///
/// `options` are the command's options as typed, `(flag, value)`: a nil value leaves the option out, an empty one
/// writes the flag alone. Values with spaces or quotes are single-quoted for a POSIX shell. The database is named as
/// it was (`--db FILE`); a `--database-url` is written as `--database-url URL`, for the user to fill in, since it
/// may hold a password.
enum MoreHint {
    static func line<Item>(_ page: ListPage<Item>, command: String, arguments: [String] = [], options: [(String, String?)],
                           defaultLimit: Int, global: GlobalOptions) -> String? {
        guard let next = page.nextOffset else { return nil }
        var words = [command] + arguments.map(quoted)
        // The same database as this page (a URL may hold a password: it is not written out again).
        for (flag, value) in options + [("--db", global.db), ("--database-url", global.databaseURL.map { _ in "URL" })] {
            guard let value else { continue }
            words.append(value.isEmpty ? flag : "\(flag) \(quoted(value))")
        }
        if page.limit != defaultLimit { words.append("--limit \(page.limit)") }
        words.append("--offset \(next)")
        return "More (\(page.shown) shown): " + words.joined(separator: " ")
    }

    static func quoted(_ word: String) -> String {
        let plain = word.allSatisfy { $0.isLetter || $0.isNumber || "-_.,:/@+=".contains($0) }
        return plain && !word.isEmpty ? word : "'" + word.replacing("'", with: "'\\''") + "'"
    }
}
