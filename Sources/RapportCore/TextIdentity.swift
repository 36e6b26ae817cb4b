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
    public static let version = 2

    /// What any interface says of text holding U+0000 (NUL), which no store can keep whole.
    public static let nulMessage = "holds a NUL character (U+0000), which cannot be stored; remove it and send the text again"

    /// `text` in Unicode Normalization Form C (UAX #15): "Zoe\u{308}" (as pasted from macOS) becomes "Zoë".
    public static func nfc(_ text: String) -> String {
        text.utf8.allSatisfy { $0 < 0x80 } ? text : text.precomposedStringWithCanonicalMapping
    }

    /// The matching key of `text`: compatibility decomposition (NFKD, so full- and half-width forms meet), the
    /// accents of alphabets that write them optionally removed (the combining diacritical marks, Hebrew points and
    /// Arabic vowel signs; the vowel signs of Indic, Thai and other scripts, and the kana voicing marks, are letters
    /// there and stay), Unicode case folding, invisible characters (zero-width spaces, soft hyphens, direction
    /// marks) and the Arabic tatweel gone, the Latin letters that do not decompose written plainly (ø → o, ł → l,
    /// đ → d, æ → ae, þ → th…), letters written two ways made one (Persian ی and ک, typographic apostrophes and
    /// dashes), recomposed (NFC), spaces between Chinese, Japanese or Korean characters removed, other runs of
    /// whitespace as one space, trimmed.
    ///
    /// "Ștefan Țurcanu" → "stefan turcanu"; "ÉMILIE" → "emilie"; "Straße" → "strasse"; "ＡＢＣ" → "abc";
    /// "İstanbul", "Işık" → "istanbul", "isik"; "O’Brien" → "o'brien"; "山田　太郎" → "山田太郎".
    public static func key(_ text: String) -> String {
        if text.utf8.allSatisfy({ $0 < 0x80 }) { return collapsed(text.lowercased()) }
        var scalars = String.UnicodeScalarView()
        for scalar in text.decomposedStringWithCompatibilityMapping.unicodeScalars {
            // Upper- then lower-casing each letter is full case folding for every script Rapport meets
            // (ß → ss, ς → σ, ſ → s, İ → i̇, ı → i), and agrees on both sides of every comparison.
            let folded = scalar.properties.changesWhenCaseFolded || scalar.properties.isUppercase
                ? scalar.properties.uppercaseMapping.lowercased() : String(scalar)
            for s in folded.decomposedStringWithCompatibilityMapping.unicodeScalars {
                if isOptionalMark(s) || s.properties.isDefaultIgnorableCodePoint || s.value == 0x0640 { continue }
                if let plain = undecomposed[s] { scalars.append(contentsOf: plain.unicodeScalars) } else { scalars.append(s) }
            }
        }
        return collapsed(String(scalars).precomposedStringWithCanonicalMapping)
    }

    /// Marks that are accents a reader may leave out: the combining diacritical marks (and their extensions),
    /// Hebrew points and cantillation, Arabic vowel signs and Quranic marks.
    static func isOptionalMark(_ s: Unicode.Scalar) -> Bool {
        switch s.value {
        case 0x0300...0x036F, 0x1AB0...0x1AFF, 0x1DC0...0x1DFF, 0x20D0...0x20FF, 0xFE20...0xFE2F: return true
        case 0x0591...0x05C7: return s.properties.generalCategory == .nonspacingMark
        case 0x0610...0x061A, 0x064B...0x065F, 0x0670, 0x06D6...0x06ED, 0x08D3...0x08FF: return true
        default: return false
        }
    }

    /// The key of an email address: NFC, case-folded, nothing else removed (accents in an address are part of it,
    /// RFC 6531); domains compare without case, and in practice so do local parts.
    public static func emailKey(_ email: String) -> String {
        nfc(email.trimmed).lowercased()
    }

    /// Latin letters with no canonical or compatibility decomposition, written as a reader without them would type.
    /// and the letters and signs written two ways for one.
    private static let undecomposed: [Unicode.Scalar: String] = [
        "ø": "o", "ł": "l", "đ": "d", "ð": "d", "ħ": "h", "ŧ": "t", "ı": "i", "ŀ": "l", "ƚ": "l", "ɨ": "i", "ʉ": "u",
        "æ": "ae", "œ": "oe", "þ": "th", "ß": "ss", "ĸ": "k", "ŋ": "n",
        "\u{06CC}": "\u{064A}", "\u{0649}": "\u{064A}", "\u{06A9}": "\u{0643}", // Persian yeh, alef maksura, Persian kaf
        "\u{2019}": "'", "\u{2018}": "'", "\u{02BC}": "'",
        "\u{2010}": "-", "\u{2011}": "-", "\u{2012}": "-", "\u{2013}": "-", "\u{2014}": "-", "\u{2212}": "-",
    ]

    /// Runs of whitespace as one space, trimmed; none between two Chinese, Japanese or Korean characters, which are
    /// written with or without one.
    private static func collapsed(_ text: String) -> String {
        let words = text.split(whereSeparator: \.isWhitespace)
        guard words.count > 1 else { return words.first.map(String.init) ?? "" }
        var out = String(words[0])
        for word in words.dropFirst() {
            if let last = out.unicodeScalars.last, let first = word.unicodeScalars.first, SearchText.isCJK(last), SearchText.isCJK(first) {
                out += word
            } else {
                out += " " + word
            }
        }
        return out
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
        text.utf8.allSatisfy({ $0 < 0x80 }) ? asciiWords(text) : unicodeWords(text)
    }

    /// ``words(_:)`` of ASCII text, byte by byte: its key is the text in lower case (spaces collapsed), its word
    /// characters are letters and digits, and it has no CJK. The same words as ``unicodeWords(_:)`` gives (a property
    /// test compares them), without a Unicode property look-up per character: most text a PM types is ASCII.
    static func asciiWords(_ text: String) -> [String] {
        var out: [String] = []
        var word: [UInt8] = []
        func flush() {
            if !word.isEmpty { out.append(String(decoding: word.prefix(longestWord), as: UTF8.self)) }
            word.removeAll(keepingCapacity: true)
        }
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): word.append(byte)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): word.append(byte + 32)
            default: flush()
            }
        }
        flush()
        return out
    }

    /// ``words(_:)`` of any text.
    static func unicodeWords(_ text: String) -> [String] {
        var out: [String] = []
        for run in TextIdentity.key(text).unicodeScalars.split(whereSeparator: { !isWordScalar($0) }) {
            var plain = String.UnicodeScalarView()
            var cjk: [Unicode.Scalar] = []
            func flush() {
                if !plain.isEmpty { out.append(String(String.UnicodeScalarView(plain.prefix(longestWord)))); plain = String.UnicodeScalarView() }
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
        // By code points, as both indexes compare, not by Swift's characters (a vowel sign joins its letter there).
        return queryWords.contains { word in have.contains { $0.unicodeScalars.starts(with: word.unicodeScalars) } }
    }

    /// The longest word kept, in code points: PostgreSQL refuses lexemes over 2,047 bytes, so longer words (a
    /// pasted token) are cut alike in the index and in queries on both databases.
    static let longestWord = 200

    static func isWordScalar(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII { return ("a"..."z").contains(s) || ("A"..."Z").contains(s) || ("0"..."9").contains(s) }
        let p = s.properties
        if p.isAlphabetic || p.numericType != nil { return true }
        switch p.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Han (with its extensions and compatibility ideographs), Hiragana, Katakana, Hangul and Bopomofo.
    static func isCJK(_ s: Unicode.Scalar) -> Bool {
        // Nothing below the Hangul Jamo is CJK (the first ideographs are at U+2E80).
        if s.value < 0x1100 { return false }
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
