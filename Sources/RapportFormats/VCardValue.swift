import Foundation

/// vCard value syntax: escapes (RFC 6350 3.4), structured values split at unescaped `;` and lists at unescaped `,`,
/// and 2.1's quoted-printable.
enum VCardValue {
    /// `Dupont\, Fils & Cie` → `Dupont, Fils & Cie`; `\n` and `\N` become line breaks.
    static func unescape(_ text: String) -> String {
        var out = ""
        var escaping = false
        for ch in text {
            if escaping {
                switch ch {
                case "n", "N": out.append("\n")
                default: out.append(ch)
                }
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else {
                out.append(ch)
            }
        }
        if escaping { out.append("\\") }
        return out
    }

    /// Splits at every unescaped `separator`, then unescapes each part: `Dupont\, Fils & Cie;Achats` →
    /// ["Dupont, Fils & Cie", "Achats"].
    static func split(_ text: String, at separator: Character) -> [String] {
        var parts: [String] = []
        var current = ""
        var escaping = false
        for ch in text {
            if escaping {
                current.append("\\")
                current.append(ch)
                escaping = false
            } else if ch == "\\" {
                escaping = true
            } else if ch == separator {
                parts.append(unescape(current))
                current = ""
            } else {
                current.append(ch)
            }
        }
        if escaping { current.append("\\") }
        parts.append(unescape(current))
        return parts
    }

    /// Decodes quoted-printable (`=C3=A9`) to bytes, then reads them in `charset` (UTF-8, else Latin-1 /
    /// Windows-1252). An `=` not followed by two hex digits is a soft break left in the middle of a line and goes.
    static func quotedPrintable(_ text: String, charset: String) -> String {
        var bytes: [UInt8] = []
        let chars = Array(text.utf8)
        var i = 0
        while i < chars.count {
            if chars[i] == UInt8(ascii: "="), let value = hex(chars, at: i + 1) {
                bytes.append(value)
                i += 3
            } else if chars[i] == UInt8(ascii: "=") {
                i += 1
            } else {
                bytes.append(chars[i])
                i += 1
            }
        }
        let latin = charset.contains("8859") || charset.contains("1252") || charset.contains("LATIN")
        if !latin, let text = String(validating: bytes, as: UTF8.self) { return text }
        return TextFileEncoding.windows1252String(bytes)
    }

    /// The byte two hex digits at `index` spell, if they are hex digits.
    static func hex(_ chars: [UInt8], at index: Int) -> UInt8? {
        guard index + 1 < chars.count else { return nil }
        func digit(_ c: UInt8) -> UInt8? {
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): return c - UInt8(ascii: "0")
            case UInt8(ascii: "A")...UInt8(ascii: "F"): return c - UInt8(ascii: "A") + 10
            case UInt8(ascii: "a")...UInt8(ascii: "f"): return c - UInt8(ascii: "a") + 10
            default: return nil
            }
        }
        guard let high = digit(chars[index]), let low = digit(chars[index + 1]) else { return nil }
        return high << 4 | low
    }
}
