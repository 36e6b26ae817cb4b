import Foundation
import RapportCore

/// A body that is not strict JSON: what is wrong and where, said as a 400 `malformed-json` problem.
struct MalformedJSON: Error, Equatable {
    var message: String
}

/// Checks a request body against the JSON grammar of RFC 8259, with I-JSON's rules on surrogates and names (RFC 7493
/// §2.1, §2.3), before anything decodes it, so every route reads the same strict JSON, whatever Foundation's parser
/// forgives.
///
/// Refused (``MalformedJSON``, naming the byte offset): bytes that are not UTF-8 (RFC 8259 §8.1), a control character
/// or raw NUL inside a string (§7), an escaped lone surrogate (RFC 7493 §2.1), trailing commas, leading zeros, `NaN`,
/// comments, anything after the value, and containers nested deeper than ``maxDepth`` (§9). A name given twice in one
/// object is valid grammar but ambiguous (RFC 8259 §4; RFC 7493 §2.3 forbids it): it is refused as invalid input naming
/// the field, because parsers disagree on which value wins; so is text holding an escaped NUL (`\u0000`, which no store
/// keeps whole: ``TextIdentity/nulMessage``), in a name or a value. Names are compared as Swift compares text, so one name
/// written composed and decomposed counts as given twice. Time and memory are linear in the body: the path of a value
/// is kept as a stack and spelt out only for an error.
struct JSONSyntax {
    /// Request bodies are a few levels deep; anything deeper is refused before it costs stack.
    static let maxDepth = 32

    private let bytes: [UInt8]
    private var at = 0
    /// Where the reader is: the names and list positions from the top, spelt out only for an error.
    private var trail: [Step] = []

    private enum Step {
        case name(String)
        case index(Int)
    }

    private var path: String {
        trail.reduce("") { path, step in
            switch step {
            case .name(let name): path.isEmpty ? name : "\(path).\(name)"
            case .index(let index): "\(path)[\(index)]"
            }
        }
    }

    /// Throws ``MalformedJSON`` or, for a repeated name, ``RapportError/invalid(_:_:)`` with the name's path.
    static func check(_ data: Data) throws {
        guard String(data: data, encoding: .utf8) != nil else {
            throw MalformedJSON(message: "the body is not UTF-8 text; send JSON encoded as UTF-8")
        }
        var reader = JSONSyntax(bytes: [UInt8](data))
        reader.whitespace()
        try reader.value(depth: 0)
        reader.whitespace()
        if reader.at < reader.bytes.count { throw reader.fail("there is more after the JSON value") }
    }

    private init(bytes: [UInt8]) { self.bytes = bytes }

    private func fail(_ what: String) -> MalformedJSON {
        MalformedJSON(message: "the body is not valid JSON: \(what) at byte \(at + 1)")
    }

    private var next: UInt8? { at < bytes.count ? bytes[at] : nil }

    private mutating func whitespace() {
        while let b = next, b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D { at += 1 }
    }

    private mutating func expect(_ byte: UInt8, _ what: String) throws {
        guard next == byte else { throw fail(next == nil ? "it ends early; \(what) is missing" : "\(what) was expected") }
        at += 1
    }

    /// A value inside `depth` containers.
    private mutating func value(depth: Int) throws {
        guard let b = next else { throw fail("it ends where a value should be") }
        if b == UInt8(ascii: "{") || b == UInt8(ascii: "["), depth >= Self.maxDepth {
            throw fail("it is nested more than \(Self.maxDepth) levels deep")
        }
        switch b {
        case UInt8(ascii: "{"): try object(depth: depth + 1)
        case UInt8(ascii: "["): try array(depth: depth + 1)
        case UInt8(ascii: "\""):
            if try string().utf8.contains(0) { throw RapportError.invalid(trail.isEmpty ? "body" : path, TextIdentity.nulMessage) }
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): try number()
        case UInt8(ascii: "t"): try literal("true")
        case UInt8(ascii: "f"): try literal("false")
        case UInt8(ascii: "n"): try literal("null")
        default: throw fail("a value (an object, a list, a string, a number, true, false or null) was expected")
        }
    }

    private mutating func literal(_ word: String) throws {
        for b in word.utf8 {
            guard next == b else { throw fail("\"\(word)\" is misspelt") }
            at += 1
        }
    }

    private mutating func object(depth: Int) throws {
        at += 1
        whitespace()
        if next == UInt8(ascii: "}") { at += 1; return }
        var names: Set<String> = []
        while true {
            whitespace()
            guard next == UInt8(ascii: "\"") else { throw fail("a field name in double quotes was expected (is there a comma too many?)") }
            let name = try string()
            trail.append(.name(name))
            if name.utf8.contains(0) { throw RapportError.invalid(path, TextIdentity.nulMessage) }
            guard names.insert(name).inserted else {
                throw RapportError.invalid(path, "is given twice; give each field once")
            }
            whitespace()
            try expect(UInt8(ascii: ":"), "a colon after the field name")
            whitespace()
            try value(depth: depth)
            trail.removeLast()
            whitespace()
            if next == UInt8(ascii: ",") { at += 1; continue }
            try expect(UInt8(ascii: "}"), "a comma or the closing brace")
            return
        }
    }

    private mutating func array(depth: Int) throws {
        at += 1
        whitespace()
        if next == UInt8(ascii: "]") { at += 1; return }
        var index = 0
        while true {
            whitespace()
            if next == UInt8(ascii: "]") { throw fail("a value was expected after the comma (is there a comma too many?)") }
            trail.append(.index(index))
            try value(depth: depth)
            trail.removeLast()
            index += 1
            whitespace()
            if next == UInt8(ascii: ",") { at += 1; continue }
            try expect(UInt8(ascii: "]"), "a comma or the closing bracket")
            return
        }
    }

    /// A string (the opening quote is next), decoded: names are compared as their characters, not their escapes.
    private mutating func string() throws -> String {
        at += 1
        var scalars = String.UnicodeScalarView()
        var run: [UInt8] = []
        func flush() {
            if !run.isEmpty { scalars.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars); run.removeAll() }
        }
        while true {
            guard let b = next else { throw fail("a string is not closed") }
            switch b {
            case UInt8(ascii: "\""):
                at += 1
                flush()
                return String(scalars)
            case UInt8(ascii: "\\"):
                flush()
                at += 1
                guard let e = next else { throw fail("a string is not closed") }
                at += 1
                switch e {
                case UInt8(ascii: "\""): scalars.append("\"")
                case UInt8(ascii: "\\"): scalars.append("\\")
                case UInt8(ascii: "/"): scalars.append("/")
                case UInt8(ascii: "b"): scalars.append("\u{08}")
                case UInt8(ascii: "f"): scalars.append("\u{0C}")
                case UInt8(ascii: "n"): scalars.append("\n")
                case UInt8(ascii: "r"): scalars.append("\r")
                case UInt8(ascii: "t"): scalars.append("\t")
                case UInt8(ascii: "u"):
                    let unit = try hex4()
                    if (0xD800...0xDBFF).contains(unit) {
                        guard next == UInt8(ascii: "\\"), at + 1 < bytes.count, bytes[at + 1] == UInt8(ascii: "u") else {
                            throw fail("an escaped character is half of a surrogate pair")
                        }
                        at += 2
                        let low = try hex4()
                        guard (0xDC00...0xDFFF).contains(low) else { throw fail("an escaped character is half of a surrogate pair") }
                        scalars.append(Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))!)
                    } else if (0xDC00...0xDFFF).contains(unit) {
                        throw fail("an escaped character is half of a surrogate pair")
                    } else {
                        scalars.append(Unicode.Scalar(unit)!)
                    }
                default: throw fail("\"\\\(Character(Unicode.Scalar(e)))\" is not an escape JSON knows")
                }
            case 0x00..<0x20:
                throw fail("a control character (U+\(String(format: "%04X", b))) is written raw inside a string; escape it")
            default:
                run.append(b)
                at += 1
            }
        }
    }

    private mutating func hex4() throws -> UInt32 {
        var unit: UInt32 = 0
        for _ in 0..<4 {
            guard let b = next, let digit = Self.hexValue(b) else { throw fail("\\u needs four hexadecimal digits") }
            unit = unit * 16 + digit
            at += 1
        }
        return unit
    }

    private static func hexValue(_ b: UInt8) -> UInt32? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(b - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(b - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(b - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    private mutating func number() throws {
        if next == UInt8(ascii: "-") { at += 1 }
        guard let first = next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) else { throw fail("a number needs a digit") }
        at += 1
        if first == UInt8(ascii: "0"), let b = next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) {
            throw fail("a number starts with a 0 (leading zeros are not JSON)")
        }
        digits()
        if next == UInt8(ascii: ".") {
            at += 1
            try someDigits()
        }
        if next == UInt8(ascii: "e") || next == UInt8(ascii: "E") {
            at += 1
            if next == UInt8(ascii: "+") || next == UInt8(ascii: "-") { at += 1 }
            try someDigits()
        }
    }

    private mutating func digits() {
        while let b = next, (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(b) { at += 1 }
    }

    private mutating func someDigits() throws {
        let start = at
        digits()
        if at == start { throw fail("a number's fraction or exponent needs a digit") }
    }
}
