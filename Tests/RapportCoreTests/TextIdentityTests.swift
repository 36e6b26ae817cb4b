import Foundation
@testable import RapportCore
import Testing

@Suite("Text identity: NFC, the matching key and the words of the search index")
struct TextIdentityTests {
    /// ASCII text is split byte by byte (SearchText.asciiWords); this compares it with the Unicode path on random ASCII,
    /// every character class included (controls, punctuation, long runs), so the index holds the same words either way.
    @Test("the ASCII fast path gives the words the Unicode path gives")
    func asciiWordsMatch() {
        var random = SplitMix(seed: 0x5EED_0017)
        let alphabet = Array((0..<128).map { Character(Unicode.Scalar(UInt8($0))) })
        for round in 0..<3_000 {
            let length = round % 50 == 0 ? 450 : Int.random(in: 0...40, using: &random)
            let text = String((0..<length).map { _ in round % 3 == 0 ? alphabet.randomElement(using: &random)! : " aZ9_-.\n\tQé".filter(\.isASCII).randomElement(using: &random)! })
            #expect(SearchText.asciiWords(text) == SearchText.unicodeWords(text), "\(text.debugDescription)")
        }
        #expect(SearchText.words("Forklift-scheduling, TEAM 42") == ["forklift", "scheduling", "team", "42"])
        #expect(SearchText.words(String(repeating: "a", count: 300)).first?.count == 200)
    }

    @Test("the key folds case, removes accents and writes the letters that do not decompose plainly", arguments: [
        ("Álvaro Núñez", "alvaro nunez"), ("ÉMILIE", "emilie"), ("Łukasz Wróbel", "lukasz wrobel"),
        ("Ștefan Țurcanu", "stefan turcanu"), ("Straße", "strasse"), ("STRASSE", "strasse"), ("Søren", "soren"),
        ("Đoković", "dokovic"), ("Þórunn Ægisdóttir", "thorunn aegisdottir"), ("Cœur", "coeur"),
        ("İlker", "ilker"), ("IŞIL", "isil"), ("Işıl", "isil"), ("Nguyễn Thị", "nguyen thi"),
        ("ΠΑΠΑΔΌΠΟΥΛΟΣ", "παπαδοπουλοσ"), ("Παπαδόπουλος", "παπαδοπουλοσ"), ("Фёдор", "федор"),
        ("ＡＢＣ株式会社", "abc株式会社"), ("ｽｽﾞｷ", "スズキ"), ("ﬁnn", "finn"), ("  Dana \t Kim ", "dana kim"),
        ("مُحَمَّد", "محمد"), ("מֹשֶׁה", "משה"), ("王小明", "王小明"), ("김민준", "김민준"),
    ])
    func key(_ pair: (String, String)) {
        #expect(TextIdentity.key(pair.0) == pair.1)
        #expect(TextIdentity.key(pair.0).unicodeScalars.elementsEqual(pair.1.precomposedStringWithCanonicalMapping.unicodeScalars))
    }

    @Test("kana voicing marks stay: か and が are different syllables, in full or half width")
    func kana() {
        #expect(TextIdentity.key("がぎ") == "がぎ")
        #expect(TextIdentity.key("がぎ") != TextIdentity.key("かき"))
        #expect(TextIdentity.key("ｶﾞｷﾞ") == "ガギ")
    }

    @Test("a name pasted decomposed (NFD) and one typed composed (NFC) have one key and one NFC form")
    func forms() {
        let nfd = "Zoe\u{308} Mu\u{308}ller", nfc = "Zo\u{EB} M\u{FC}ller"
        #expect(Array(TextIdentity.nfc(nfd).utf8) == Array(nfc.utf8))
        #expect(Array(TextIdentity.key(nfd).utf8) == Array(TextIdentity.key(nfc).utf8))
        let hangul = "박서연".decomposedStringWithCanonicalMapping
        #expect(hangul.unicodeScalars.count == 8)
        #expect(TextIdentity.nfc(hangul).unicodeScalars.count == 3)
        #expect(TextIdentity.key(hangul) == "박서연")
    }

    @Test("emails compare by case only; accents in an address are part of it")
    func emails() {
        #expect(TextIdentity.emailKey(" Dana@Acme.COM ") == "dana@acme.com")
        #expect(TextIdentity.emailKey("josé@example.com") != TextIdentity.emailKey("jose@example.com"))
        #expect(TextIdentity.emailKey("jose\u{301}@example.com") == TextIdentity.emailKey("josé@example.com"))
    }

    @Test("phones compare by digits with 00 read as +, as close to E.164 as the number allows")
    func phones() {
        #expect(PhoneNumber.key("+49 (30) 123-4567") == "+49301234567")
        #expect(PhoneNumber.key("0049 30 1234567") == "+49301234567")
        #expect(PhoneNumber.key("030 1234567") == "0301234567")
    }

    @Test("CJK runs are indexed as overlapping pairs plus their last character; other scripts as whole words")
    func words() {
        #expect(SearchText.words("王小明") == ["王小", "小明", "明"])
        #expect(SearchText.words("李") == ["李"])
        #expect(SearchText.words("深圳快运有限公司") == ["深圳", "圳快", "快运", "运有", "有限", "限公", "公司", "司"])
        #expect(SearchText.words("ABC株式会社 Tokyo") == ["abc", "株式", "式会", "会社", "社", "tokyo"])
        #expect(SearchText.words("김민준") == ["김민", "민준", "준"])
        #expect(SearchText.words("Zoë Müller, dana@acme.com") == ["zoe", "muller", "dana", "acme", "com"])
        #expect(SearchText.words("مُحَمَّد الفارسي") == ["محمد", "الفارسي"])
        #expect(SearchText.indexed("山田 太郎") == "山田 田太 太郎 郎")
    }

    @Test("every part of a CJK name, and any prefix of a word elsewhere, is found the way the index finds it")
    func matches() {
        for query in ["王", "小", "明", "王小", "小明", "王小明"] {
            #expect(SearchText.matches(SearchText.words(query), in: "王小明"), "\(query)")
        }
        #expect(SearchText.matches(SearchText.words("stefan"), in: "Ștefan Țurcanu"))
        #expect(SearchText.matches(SearchText.words("STRASSE"), in: "Jürgen Straße"))
        #expect(SearchText.matches(SearchText.words("turc"), in: "Ștefan Țurcanu"))
        #expect(!SearchText.matches(SearchText.words("urcanu"), in: "Ștefan Țurcanu"))
    }

    @Test("the excerpt is cut around the match as written, even after letters whose key is longer")
    func excerpt() throws {
        let notes = String(repeating: "Straße Æsir ", count: 8) + "then the exports took an hour"
        let excerpt = try #require(TextExcerpt.around(SearchText.words("exports"), in: notes))
        #expect(excerpt.contains("exports took an hour"))
        #expect(TextExcerpt.around(SearchText.words("nothing"), in: notes) == nil)
    }

    @Test("names, closest names and person references compare by key")
    func references() throws {
        #expect(ClosestNames.to("muller", among: ["Müller", "Miller"], maxDistance: 1, limit: 2) == ["Müller", "Miller"])
        let alvaro = Person(id: PersonID(1), details: PersonDetails(name: "Álvaro Núñez"), createdAt: .distantPast, updatedAt: .distantPast)
        let alvaroJr = Person(id: PersonID(2), details: PersonDetails(name: "Álvaro Núñez Jr"), createdAt: .distantPast, updatedAt: .distantPast)
        #expect(try PersonReference.choose("ALVARO NUNEZ", among: [alvaroJr, alvaro]).id == PersonID(1))
    }

    @Test("invisible characters, typographic apostrophes, Persian letters, the tatweel and spaces between CJK characters do not split one name in two")
    func spellings() {
        #expect(TextIdentity.key("Ali\u{200B}ce Smith") == "alice smith")
        #expect(TextIdentity.key("Mül\u{00AD}ler") == "muller")
        #expect(TextIdentity.key("O’Brien") == TextIdentity.key("o'brien"))
        #expect(TextIdentity.key("علی") == TextIdentity.key("علي"))
        #expect(TextIdentity.key("کریم") == TextIdentity.key("كريم"))
        #expect(TextIdentity.key("محـــمد") == TextIdentity.key("محمد"))
        #expect(TextIdentity.key("山田　太郎") == TextIdentity.key("山田太郎"))
        #expect(TextIdentity.key("Jean-Luc") == TextIdentity.key("Jean‐Luc"))
    }

    @Test("vowel signs that are letters (Devanagari, Thai) and kana voicing stay: different names keep different keys")
    func lettersThatLookLikeMarks() {
        #expect(TextIdentity.key("राज शर्मा") != TextIdentity.key("राजू शर्मा"))
        #expect(TextIdentity.key("ปีติ") != TextIdentity.key("ปิติ"))
        #expect(TextIdentity.key("がぎ") != TextIdentity.key("かき"))
        #expect(SearchText.matches(SearchText.words("म"), in: "मीना शर्मा"))
        #expect(SearchText.matches(SearchText.words("मी"), in: "मीना शर्मा"))
        #expect(!SearchText.matches(SearchText.words("मी"), in: "मोहन दास"))
    }

    @Test("a word longer than either database indexes is cut alike in the index and the query")
    func longWords() {
        let token = String(repeating: "a", count: 3_000)
        #expect(SearchText.words(token).first?.count == 200)
        #expect(SearchText.matches(SearchText.words(token), in: "x " + token))
    }

    @Test("a trunk prefix written (0) after the country code is not part of the number")
    func trunkPrefix() {
        #expect(PhoneNumber.key("+49 (0)30 1234567") == PhoneNumber.key("+49 30 1234567"))
        #expect(PhoneNumber.key("0049 (0)30 1234567") == "+49301234567")
    }
}
