import Foundation
import RapportCore

/// One content line of a vCard, unfolded and decoded: `item1.EMAIL;TYPE=work,pref:dana@acme.com`.
struct VCardProperty: Equatable {
    /// The group, lower-cased (`item1`), or nil.
    var group: String?
    /// The property name, upper-cased (`EMAIL`).
    var name: String
    /// Parameters by upper-cased name; bare 2.1 parameters (`WORK`, `QUOTED-PRINTABLE`) are `TYPE` values.
    var parameters: [String: [String]]
    /// The raw value: quoted-printable decoded and in Unicode, but still escaped (`\,` `\;` `\n`).
    var value: String
    /// The line it starts on, from 1.
    var line: Int

    /// Lower-cased `TYPE` values, however they were written (`TYPE=work,voice`, `type=WORK;type=pref`, `WORK`).
    var types: [String] {
        (parameters["TYPE"] ?? []).flatMap { $0.split(separator: ",") }.map { $0.trimmed.lowercased() }
    }
}

/// A vCard: its properties in order, and where it starts.
struct VCardCard {
    var line: Int
    var properties: [VCardProperty]
}

/// Reads vCard 2.1, 3.0 and 4.0 files as exporters write them (RFC 2425/2426, RFC 6350, and the 2.1 spec):
/// CRLF or LF, a BOM, folded lines (unfolded before decoding, so a fold inside a multi-byte letter is harmless),
/// 2.1's quoted-printable with soft line breaks and `CHARSET`, groups, and parameters in every form.
enum VCardReader {
    /// The cards of `data`.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` when a card never ends (naming it and its line), or when
    ///   there is no card at all.
    static func cards(_ data: Data, file: String) throws -> [VCardCard] {
        var bytes = [UInt8](data)
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        var cards: [VCardCard] = []
        var current: VCardCard?
        var name: String?
        for (line, raw) in logicalLines(bytes) {
            guard let property = parse(raw, line: line) else { continue }
            switch (property.name, property.value.trimmed.uppercased()) {
            case ("BEGIN", "VCARD"):
                if let open = current {
                    throw unterminated(open, name: name, file: file)
                }
                current = VCardCard(line: line, properties: [])
                name = nil
            case ("END", "VCARD"):
                if let card = current { cards.append(card) }
                current = nil
            default:
                if property.name == "FN" || (property.name == "N" && name == nil) { name = VCardValue.unescape(property.value) }
                current?.properties.append(property)
            }
        }
        if let open = current { throw unterminated(open, name: name, file: file) }
        if cards.isEmpty {
            throw RapportError.invalid("file", "\(file) holds no vCard (no BEGIN:VCARD … END:VCARD); export the contacts again as vCard")
        }
        return cards
    }

    static func unterminated(_ card: VCardCard, name: String?, file: String) -> RapportError {
        let who = name.map { "\"\($0.replacingOccurrences(of: ";", with: " ").trimmed)\"" } ?? "the card"
        return .invalid("file", "\(who) starting on line \(card.line) of \(file) never ends (no END:VCARD); nothing was imported; fix or export the file again")
    }

    /// The file's logical lines with their first physical line: folds (a line break then a space or tab) removed on
    /// the bytes, then each line decoded (UTF-8, else Windows-1252), then 2.1's quoted-printable soft breaks (`=`
    /// at a line's end) joined.
    static func logicalLines(_ bytes: [UInt8]) -> [(Int, String)] {
        var lines: [(Int, [UInt8])] = []
        var current: [UInt8] = []
        var start = 1, line = 1
        var i = 0
        while i < bytes.count {
            let byte = bytes[i]
            if byte == 0x0D || byte == 0x0A {
                let width = byte == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A ? 2 : 1
                line += 1
                let next = i + width < bytes.count ? bytes[i + width] : nil
                if next == 0x20 || next == 0x09 {
                    i += width + 1 // a fold: the line break and one space go
                    continue
                }
                lines.append((start, current))
                current = []
                start = line
                i += width
                continue
            }
            current.append(byte)
            i += 1
        }
        if !current.isEmpty { lines.append((start, current)) }
        var out: [(Int, String)] = []
        var pending: (Int, String)?
        for (number, raw) in lines {
            let text = String(validating: raw, as: UTF8.self) ?? TextFileEncoding.windows1252String(raw)
            if var open = pending {
                open.1 += text
                pending = open
            } else {
                pending = (number, text)
            }
            // A quoted-printable value whose line ends in "=" goes on, unindented, on the next line.
            if let open = pending, open.1.hasSuffix("="), isQuotedPrintable(open.1) {
                pending!.1.removeLast()
                continue
            }
            if let done = pending { out.append(done) }
            pending = nil
        }
        if let done = pending { out.append(done) }
        return out
    }

    static func isQuotedPrintable(_ line: String) -> Bool {
        guard let colon = line.firstIndex(of: ":") else { return false }
        return line[..<colon].uppercased().contains("QUOTED-PRINTABLE")
    }

    /// One logical line as a property; nil for a blank line or one without a colon.
    static func parse(_ line: String, line number: Int) -> VCardProperty? {
        var inQuotes = false
        guard let colon = line.firstIndex(where: { ch in
            if ch == "\"" { inQuotes.toggle() }
            return ch == ":" && !inQuotes
        }) else { return nil }
        let head = line[..<colon]
        var parts = splitParameters(head)
        guard !parts.isEmpty else { return nil }
        let nameAndGroup = parts.removeFirst()
        var group: String?
        var name = nameAndGroup.uppercased()
        if let dot = nameAndGroup.lastIndex(of: ".") {
            group = nameAndGroup[..<dot].lowercased()
            name = nameAndGroup[nameAndGroup.index(after: dot)...].uppercased()
        }
        var parameters: [String: [String]] = [:]
        for part in parts {
            if let eq = part.firstIndex(of: "=") {
                let key = part[..<eq].trimmed.uppercased()
                let value = part[part.index(after: eq)...].trimmed
                parameters[key, default: []].append(value.hasPrefix("\"") && value.hasSuffix("\"") && value.count >= 2 ? String(value.dropFirst().dropLast()) : value)
            } else {
                let bare = part.trimmed.uppercased()
                switch bare {
                case "QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT": parameters["ENCODING", default: []].append(bare)
                default: parameters["TYPE", default: []].append(bare)
                }
            }
        }
        var value = String(line[line.index(after: colon)...])
        let encoding = parameters["ENCODING"]?.first?.uppercased()
        if encoding == "QUOTED-PRINTABLE" || encoding == "QP" {
            let charset = parameters["CHARSET"]?.first?.uppercased() ?? "UTF-8"
            value = VCardValue.quotedPrintable(value, charset: charset)
        }
        return VCardProperty(group: group, name: name, parameters: parameters, value: value, line: number)
    }

    /// Splits `item1.TEL;TYPE="work,voice";PREF=1` at the semicolons outside quotes.
    static func splitParameters(_ head: Substring) -> [String] {
        var parts: [String] = []
        var current = ""
        var inQuotes = false
        for ch in head {
            if ch == "\"" { inQuotes.toggle() }
            if ch == ";" && !inQuotes { parts.append(current); current = "" } else { current.append(ch) }
        }
        parts.append(current)
        return parts
    }
}
