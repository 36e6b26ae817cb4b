#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The period a report covers: an ISO week, a calendar month, or a range of days (all in the user's zone).
public struct ReportPeriod: Sendable, Codable, Equatable {
    /// First day.
    public var from: CalendarDay
    /// Last day (inclusive).
    public var to: CalendarDay
    /// "Week 2026-W47 (16–22 Nov 2026)", "November 2026", "1 Oct 2026 to 15 Nov 2026".
    public var label: String

    public init(from: CalendarDay, to: CalendarDay, label: String) {
        self.from = from
        self.to = to
        self.label = label
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]

    /// The ISO week `text` names (`2026-W47`), or, when nil, the last complete week before `today`.
    public static func week(_ text: String?, today: CalendarDay) throws -> ReportPeriod {
        let week = try text.map { try ISOWeek.parse($0, field: "week") } ?? ISOWeek(today).adding(weeks: -1)
        let monday = week.monday, sunday = week.monday.adding(days: 6)
        return ReportPeriod(from: monday, to: sunday, label: "Week \(week) (\(monday.label) to \(sunday.label))")
    }

    /// The month `text` names (`2026-11`), or, when nil, the last complete month before `today`.
    public static func month(_ text: String?, today: CalendarDay) throws -> ReportPeriod {
        var year = today.year, month = today.month - 1
        if month == 0 { year -= 1; month = 12 }
        if let text {
            let parts = text.trimmed.split(separator: "-")
            guard parts.count == 2, let y = Int(parts[0]), let m = Int(parts[1]), (1...12).contains(m), (1970...9999).contains(y), parts[0].count == 4 else {
                throw RapportError.invalid("month", "\"\(text)\" is not a month; write it as YYYY-MM, e.g. 2026-11")
            }
            (year, month) = (y, m)
        }
        let first = CalendarDay(year: year, month: month, day: 1)
        let next = month == 12 ? CalendarDay(year: year + 1, month: 1, day: 1) : CalendarDay(year: year, month: month + 1, day: 1)
        return ReportPeriod(from: first, to: next.adding(days: -1), label: "\(months[month - 1]) \(year)")
    }

    /// A range of days; the end must not come before the start, and a range over two years is refused.
    public static func range(from: CalendarDay, to: CalendarDay) throws -> ReportPeriod {
        guard from <= to else { throw RapportError.invalid("until", "the end (\(to)) is before the start (\(from)); swap them") }
        guard from.days(to: to) <= 731 else { throw RapportError.invalid("since", "a report over more than two years is too long to read; split it") }
        return ReportPeriod(from: from, to: to, label: "\(from.label) to \(to.label)")
    }
}

/// Removes who people are from text that leaves the machine: names, emails and phone numbers of anyone in the
/// circle become "[name]", "[email]" and "[phone]"; emails and phone-like numbers are scrubbed even when unknown.
public struct Scrubber: Sendable {
    /// Lower-cased, accent-folded words and phrases to hide, as their words, filed under their first word, longest
    /// first: a word of the text is matched against the few phrases that start with it, so scrubbing is linear in the
    /// text, whatever the circle's size.
    let byFirstWord: [String: [(name: String, parts: [String])]]
    /// Company names to hide (folded), matched as whole phrases.
    let companies: Set<String>

    /// Every phrase hidden, longest first (for tests: the scrubber itself reads ``byFirstWord``).
    var names: [String] { byFirstWord.values.flatMap { $0.map(\.name) }.sorted { ($0.count, $0) > ($1.count, $1) } }

    /// `people`: everyone in the database (names and parts of names of three letters or more are hidden).
    /// `companies`: company names that may not be shared; they become "[company]".
    public init(people: [Person], companies: [String] = []) {
        self.init(nameKeys: people.map(\.name.matchingKey), companies: companies)
    }

    /// `nameKeys`: the matching key (``TextIdentity/key(_:)``) of everyone's name, as the store keeps it
    /// (`people.name_key`), so no name is folded here; names and parts of names of three letters or more are hidden.
    /// `companies`: company names that may not be shared; they become "[company]".
    public init(nameKeys: [String], companies: [String] = []) {
        self.companies = Set(companies.map { $0.matchingKey.trimmed }.filter { !$0.isEmpty })
        var set = self.companies
        set.reserveCapacity(nameKeys.count * 3)
        // Keys are stored trimmed and mostly ASCII: the checks below read bytes and count characters only when a
        // word holds something else (a report at 10,000 people builds this from 10,000 keys).
        for key in nameKeys {
            let full = Self.isTrimmed(key) ? key : key.trimmed
            if !full.isEmpty { set.insert(full) }
            for part in full.split(separator: " ") {
                if Self.hasThreeCharacters(part) { set.insert(String(part)) }
                // The pieces of a hyphenated part (a part without a hyphen is its own single piece, inserted above).
                guard part.utf8.contains(UInt8(ascii: "-")) else { continue }
                for piece in part.split(separator: "-") where Self.hasThreeCharacters(piece) { set.insert(String(piece)) }
            }
        }
        // Within a first word, candidates are tried longest first. Lengths in bytes order them as characters would
        // wherever it matters: two phrases can both match at a word only when one's words begin the other's, and then
        // the one with more words is longer in both.
        var index: [String: [(name: String, length: Int, parts: [String])]] = [:]
        for name in set {
            let parts = name.split(separator: " ").map(String.init)
            if let first = parts.first { index[first, default: []].append((name, name.utf8.count, parts)) }
        }
        // Longest first within each first word: the few phrases a word can start, not the whole circle, are sorted.
        byFirstWord = index.mapValues { phrases in
            phrases.sorted { ($0.length, $0.name) > ($1.length, $1.name) }.map { ($0.name, $0.parts) }
        }
    }

    /// True when `text` starts and ends with a visible ASCII character, so `trimmed` would return it unchanged.
    private static func isTrimmed(_ text: String) -> Bool {
        guard let first = text.utf8.first, let last = text.utf8.last else { return true }
        return (0x21..<0x7F).contains(first) && (0x21..<0x7F).contains(last)
    }

    /// `word.count >= 3`, without counting characters when the word is plain ASCII (each byte then one character;
    /// a carriage return is left to `count`, since CR LF is one).
    private static func hasThreeCharacters(_ word: Substring) -> Bool {
        let bytes = word.utf8
        guard bytes.count >= 3 else { return false }
        return bytes.allSatisfy { $0 < 0x80 && $0 != 0x0D } || word.count >= 3
    }

    /// `text` with emails, phone numbers and known names replaced.
    public func scrub(_ text: String) -> String {
        let out = Self.maskingContacts(text)
        // Names: match the longest known phrase at each word. Each word is keyed once.
        let keys = out.map { token -> String? in
            guard token.isWord else { return nil }
            let word = token.text.matchingKey
            return word.hasSuffix("'s") ? String(word.dropLast(2)) : word
        }
        var result = ""
        var k = 0
        while k < out.count {
            if let (length, name) = match(keys, out, at: k) {
                result += companies.contains(name) ? "[company]" : "[name]"
                k += length
                continue
            }
            result += out[k].text
            k += 1
        }
        return result
    }

    /// The tokens of `text` with emails and phone-like runs replaced by "[email]" and "[phone]": the first pass of
    /// ``scrub(_:)``, before names.
    static func maskingContacts(_ text: String) -> [Token] {
        var words = tokens(text)
        // Emails and phone-like runs first: anything with an @, and runs of 7+ digits with phone punctuation.
        for i in words.indices where words[i].isWord {
            if words[i].text.contains("@") && words[i].text.contains(".") { words[i].text = "[email]" }
        }
        var out: [Token] = []
        var i = 0
        while i < words.count {
            // Phone: a run of tokens made of digits, spaces, +, -, (, ), . with at least 7 digits.
            var j = i, digits = 0
            while j < words.count, words[j].text.allSatisfy({ $0.isNumber || " +-().".contains($0) }) {
                digits += words[j].text.filter(\.isNumber).count
                j += 1
            }
            if digits >= 7, j > i {
                var end = j
                while end > i, words[end - 1].text.allSatisfy({ !$0.isNumber }) { end -= 1 }
                // Spaces before the number stay; a trailing space after it too.
                let lead = String(words[i].text.prefix { $0 == " " })
                if !lead.isEmpty { out.append(Token(text: lead, isWord: false)) }
                out.append(Token(text: "[phone]", isWord: true))
                out.append(contentsOf: words[end..<j])
                i = j
                continue
            }
            out.append(words[i])
            i += 1
        }
        return out
    }

    /// The number of tokens the longest known name starting at `start` covers, and that name, if any. `keys` holds
    /// each word token's matching key (nil for spaces and punctuation); words of a phrase are one space apart.
    func match(_ keys: [String?], _ tokens: [Token], at start: Int) -> (Int, String)? {
        guard let first = keys[start], let candidates = byFirstWord[first] else { return nil }
        for (name, parts) in candidates {
            var k = start, matched = 0, consumed = 0
            while matched < parts.count, k < tokens.count {
                guard let key = keys[k] else {
                    guard matched > 0, tokens[k].text == " " else { break }
                    k += 1
                    consumed += 1
                    continue
                }
                guard key == parts[matched] else { break }
                matched += 1
                k += 1
                consumed += 1
            }
            if matched == parts.count { return (consumed, name) }
        }
        return nil
    }

    struct Token {
        var text: String
        var isWord: Bool
    }

    /// Splits into words (letters, digits, @ . _ + - ' inside a word) and everything else, keeping every character.
    static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var current = "", inWord = false
        func flush() {
            if !current.isEmpty { tokens.append(Token(text: current, isWord: inWord)) }
            current = ""
        }
        let chars = Array(text)
        for (index, c) in chars.enumerated() {
            let next = index + 1 < chars.count ? chars[index + 1] : " "
            let joiner = "@._+-'\u{2019}".contains(c) && inWord && (next.isLetter || next.isNumber)
            let isWordChar = c.isLetter || c.isNumber || joiner
            if isWordChar != inWord { flush(); inWord = isWordChar }
            current.append(c)
        }
        flush()
        return tokens
    }
}

/// How a report names a person or a company: anonymised by default ("a Head of Operations (Ops Lead persona) at a
/// logistics customer"), with names only when the PM asks for them or marked the company shareable.
public enum ReportNames {
    /// The company as a report may say it. `industry` and `shareable` come from the company; `stage` from the person.
    public static func company(_ name: String?, industry: String?, shareable: Bool, stage: Stage, named: Bool) -> String {
        if let name, named || shareable { return name }
        let kind: String
        switch stage {
        case .customer: kind = "customer"
        case .prospect: kind = "prospect"
        case .partner: kind = "partner"
        case .former: kind = "former customer"
        case .other: kind = "company"
        }
        var phrase = (industry?.trimmed.nilIfEmpty.map { "\($0) \(kind)" }) ?? kind
        // "a former logistics customer", not "a logistics former customer".
        if stage == .former, let industry = industry?.trimmed.nilIfEmpty { phrase = "former \(industry) customer" }
        return phrase.indefiniteArticle + " " + phrase
    }

    /// The person as a report may say it: their name when `named`, else their title, first persona and company.
    public static func person(_ p: Person, industry: String?, shareable: Bool, named: Bool) -> String {
        let company = company(p.details.company, industry: industry, shareable: shareable, stage: p.details.stage, named: named)
        if named { return p.name + (p.details.company == nil ? "" : ", \(company)") }
        var who = p.details.title?.trimmed.nilIfEmpty.map { $0.indefiniteArticle + " " + $0 } ?? "someone"
        if let persona = p.details.personas.first { who += " (\(persona) persona)" }
        return who + " at " + company
    }
}
