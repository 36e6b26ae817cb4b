import Foundation
import SQLKit

/// Columns that hold a JSON array of strings (`["a","b"]`) or a JSON object of strings (`{"k":"v"}`), as Rapport
/// writes them (`previous_companies`, `links`, `fields` on `people`; lists on campaigns, goals and questions).
///
/// Most rows hold an empty list (`[]`) or object (`{}`): those are read without a JSON decoder, which costs more than
/// the rest of the row (a `JSONDecoder` pass is several microseconds; a report reads 6,000 people, three such columns
/// each). Anything else goes through `JSONDecoder`, so a hand-edited value is read as JSON reads it.
enum JSONColumn {
    /// The strings of a JSON array. Throws `DecodingError` when the text is not an array of strings.
    static func strings(_ text: String) throws -> [String] {
        if isEmpty(text, open: UInt8(ascii: "["), close: UInt8(ascii: "]")) { return [] }
        return try JSONDecoder().decode([String].self, from: Data(text.utf8))
    }

    /// The members of a JSON object of strings. Throws `DecodingError` when the text is not such an object.
    static func dictionary(_ text: String) throws -> [String: String] {
        if isEmpty(text, open: UInt8(ascii: "{"), close: UInt8(ascii: "}")) { return [:] }
        return try JSONDecoder().decode([String: String].self, from: Data(text.utf8))
    }

    /// `[]` or `{}`, with any JSON white space (RFC 8259 §2: space, tab, line feed, carriage return) around or inside.
    private static func isEmpty(_ text: String, open: UInt8, close: UInt8) -> Bool {
        var seenOpen = false, seenClose = false
        for byte in text.utf8 {
            switch byte {
            case 0x20, 0x09, 0x0A, 0x0D: continue
            case open where !seenOpen: seenOpen = true
            case close where seenOpen && !seenClose: seenClose = true
            default: return false
            }
        }
        return seenOpen && seenClose
    }
}

extension SQLRow {
    /// The column's JSON array of strings (see ``JSONColumn``).
    func jsonStrings(_ column: String) throws -> [String] {
        try JSONColumn.strings(decode(column: column, as: String.self))
    }

    /// The column's JSON object of strings (see ``JSONColumn``).
    func jsonDictionary(_ column: String) throws -> [String: String] {
        try JSONColumn.dictionary(decode(column: column, as: String.self))
    }
}
