// Unicode normalisation (NFC, NFKD) is in Foundation only: FoundationEssentials on Linux has none, and the standard
// library keeps its normaliser internal. So this one file imports Foundation on every platform.
import Foundation

/// The one identity of text in Rapport: how text is stored (NFC) and the key by which two spellings of one name meet.
///
/// Every look-up (a person by name, a persona, tag, company, theme, guide, campaign, question or request by name),
/// every duplicate check, the full-text index and the "where it matched" check use ``TextIdentity/key(_:)``,
/// so "Álvaro", "ALVARO" and "alvaro" are one name on SQLite and PostgreSQL alike, whatever their locale: the key is
/// computed here and compared in SQL as plain text.
public enum TextIdentity {
    /// Bumped whenever ``key(_:)`` or ``SearchText`` changes what they produce, so stored keys and the search index
    /// are computed again (the store compares it with the version the database was last keyed with).
    public static let version = 1

    /// `text` in Unicode Normalization Form C (UAX #15): "Zoe\u{308}" (as pasted from macOS) becomes "Zoë".
    public static func nfc(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The matching key of `text`: compatibility decomposition (NFKD), combining marks removed (the kana voicing
    /// marks, which change the word, are kept), Unicode case folding, the Latin letters that do not decompose
    /// written plainly (ø → o, ł → l, đ → d, æ → ae, þ → th…), recomposed (NFC), runs of whitespace as one space,
    /// trimmed.
    ///
    /// "Ștefan Țurcanu" → "stefan turcanu"; "ÉMILIE" → "emilie"; "Straße" → "strasse"; "ＡＢＣ" → "abc";
    /// "İstanbul", "Işık" → "istanbul", "isik"; "王小明" stays "王小明".
    public static func key(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return collapsed(text.lowercased()) }
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            // Upper- then lower-casing each letter is full case folding for every script Rapport meets
            // (ß → ss, ς → σ, ſ → s, İ → i̇, ı → i), and agrees on both sides of every comparison.
            let folded = scalar.properties.changesWhenCaseFolded || scalar.properties.isUppercase
                ? scalar.properties.uppercaseMapping.lowercased() : String(scalar)
            for s in folded.decomposedStringWithCompatibilityMapping.unicodeScalars {
                switch s.properties.generalCategory {
                case .nonspacingMark where !kanaVoicing.contains(s.value), .enclosingMark:
                    continue
                default:
                    if let plain = undecomposed[s] { scalars.append(contentsOf: plain.unicodeScalars) } else { scalars.append(s) }
                }
            }
        }
        return collapsed(String(scalars).precomposedStringWithCanonicalMapping)
    }

    /// The key of an email address: NFC, case-folded, nothing else removed (accents in an address are part of it,
    /// RFC 6531); domains compare without case, and in practice so do local parts.
    public static func emailKey(_ email: String) -> String {
        nfc(email.trimmed).lowercased()
    }

    /// Latin letters with no canonical or compatibility decomposition, written as a reader without them would type.
    private static let undecomposed: [Unicode.Scalar: String] = [
        "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "ŀ": "l", "ƚ": "l", "ɨ": "i", "ʉ": "u",
        "æ": "ae", "œ": "oe", "þ": "th", "ß": "ss", "ĸ": "k", "ŋ": "n",
    ]

    /// U+3099 and U+309A, the combining (han)dakuten: か and が are different syllables, not one with an accent.
    private static let kanaVoicing: Set<UInt32> = [0x3099, 0x309A]

    private static func collapsed(_ text: String) -> String {
        text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }
}

extension String {
    /// This text in NFC; see ``TextIdentity/nfc(_:)``.
    public var nfc: String { TextIdentity.nfc(self) }

    /// This text's matching key; see ``TextIdentity/key(_:)``.
    public var matchingKey: String { TextIdentity.key(self) }
}

/// The words of text as the full-text index holds them, the same on SQLite (FTS5) and PostgreSQL (tsvector).
///
/// Text is keyed (``TextIdentity/key(_:)``) and split into words of letters, digits and marks. Chinese, Japanese
/// and Korean write no spaces between words and most of their names are two characters, so a run of those scripts
/// becomes its overlapping pairs of characters plus its last character alone: "王小明" → "王小 小明 明". Every
/// character of the run then starts a word, so a search for any part of it (小明, 明, 王小明) finds it, each word
/// as a prefix, on both databases. Latin, Greek, Cyrillic, Arabic, Hebrew and the rest keep whole words.
public enum SearchText {
    /// The index words of `text`, in order.
    public static func words(_ text: String) -> [String] {
        var out: [String] = []
        for run in TextIdentity.key(text).unicodeScalars.split(whereSeparator: { !isWordScalar($0) }) {
            var plain = String.UnicodeScalarView()
            var cjk: [Unicode.Scalar] = []
            func flush() {
                if !plain.isEmpty { out.append(String(plain)); plain = String.UnicodeScalarView() }
                if !cjk.isEmpty { out += pairs(cjk); cjk = [] }
            }
            for scalar in run {
                if isCJK(scalar) {
                    if !plain.isEmpty { flush() }
                    cjk.append(scalar)
                } else {
                    if !cjk.isEmpty { flush() }
                    plain.append(scalar)
                }
            }
            flush()
        }
        return out
    }

    /// The text to store in the index: its words, separated by single spaces.
    public static func indexed(_ text: String) -> String {
        words(text).joined(separator: " ")
    }

    /// Whether any of the query `words` (from ``words(_:)``) starts an index word of `text`: the same test the index
    /// makes, for saying where a hit matched.
    public static func matches(_ queryWords: [String], in text: String) -> Bool {
        let have = words(text)
        return queryWords.contains { word in have.contains { $0.hasPrefix(word) } }
    }

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        let p = s.properties
        if p.isAlphabetic || p.numericType != nil { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Han (with its extensions and compatibility ideographs), Hiragana, Katakana, Hangul and Bopomofo.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        if s.properties.isIdeographic { return true }
        switch s.value {
        case 0x1100...0x11FF, 0x3130...0x318F, 0xA960...0xA97F, 0xAC00...0xD7AF, 0xD7B0...0xD7FF: return true // Hangul
        case 0x3040...0x309F, 0x30A0...0x30FF, 0x31F0...0x31FF, 0xFF66...0xFF9F: return true // kana
        case 0x3100...0x312F, 0x31A0...0x31BF: return true // Bopomofo
        default: return false
        }
    }

    private static func pairs(_ run: [Unicode.Scalar]) -> [String] {
        var out: [String] = []
        if run.count > 1 {
            for i in 0..<(run.count - 1) {
                var pair = String.UnicodeScalarView()
                pair.append(run[i])
                pair.append(run[i + 1])
                out.append(String(pair))
            }
        }
        out.append(String(Character(run[run.count - 1])))
        return out
    }
}
