/// The content lines vCard (RFC 6350, 3.2 and 3.4) and iCalendar (RFC 5545, 3.1 and 3.3.11) share: TEXT values
/// escaped the same way, and lines folded at 75 octets. ``VCardWriter`` and ``CalendarFile`` both write through it.
enum ContentLine {
    /// Escapes a TEXT value: backslash, semicolon, comma, and any line break as `\n`.
    static func escape(_ text: String) -> String {
        var out = ""
        for ch in text {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\n", "\r\n", "\r": out += "\\n"
            default: out.append(ch)
            }
        }
        return out
    }

    /// Folds a content line at 75 octets, never inside a UTF-8 sequence (a letter's accents may go to the next line,
    /// which both RFCs allow: unfolding joins them again). Continuation lines start with a space.
    static func fold(_ line: String) -> [String] {
        var out: [String] = []
        var current = String.UnicodeScalarView()
        var octets = 0
        for scalar in line.unicodeScalars {
            let size = UTF8.width(scalar)
            let limit = out.isEmpty ? 75 : 74
            if octets + size > limit {
                out.append(String(current))
                current = String.UnicodeScalarView()
                octets = 0
            }
            current.append(scalar)
            octets += size
        }
        out.append(String(current))
        return out.enumerated().map { $0.offset == 0 ? $0.element : " " + $0.element }
    }
}
