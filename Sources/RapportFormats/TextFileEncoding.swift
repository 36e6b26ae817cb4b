import Foundation
import RapportCore

/// How a text file is encoded, as contact exporters write them.
public enum TextFileEncoding: String, Sendable, Codable {
    case utf8 = "UTF-8"
    case utf8BOM = "UTF-8 with BOM"
    case utf16LE = "UTF-16 LE"
    case utf16BE = "UTF-16 BE"
    /// What Outlook's "ANSI" export and older Excel write: not valid UTF-8 and no BOM.
    case windows1252 = "Windows-1252"

    /// The encoding of the file at `url`, read in chunks (never whole): a BOM names UTF-8 or UTF-16; otherwise bytes
    /// that are valid UTF-8 are UTF-8, and any others are read as Windows-1252. Also counts the line breaks, an
    /// upper bound on the rows for a progress bar.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` when the file cannot be read.
    public static func sniff(_ url: URL) throws -> (encoding: TextFileEncoding, bytes: Int, lines: Int) {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw RapportError.invalid("file", "cannot read \(url.path); check the path and that you may read it")
        }
        defer { try? handle.close() }
        var validator = UTF8Validator()
        var first = true
        var encoding: TextFileEncoding?
        var bytes = 0, lines = 0
        while let chunk = try? handle.read(upToCount: 1 << 16), !chunk.isEmpty {
            bytes += chunk.count
            lines += chunk.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
            if first {
                first = false
                if chunk.starts(with: [0xEF, 0xBB, 0xBF]) { encoding = .utf8BOM }
                else if chunk.starts(with: [0xFF, 0xFE]) { encoding = .utf16LE }
                else if chunk.starts(with: [0xFE, 0xFF]) { encoding = .utf16BE }
            }
            if encoding == nil || encoding == .utf8BOM { validator.feed(chunk) }
        }
        if let encoding, encoding != .utf8BOM { return (encoding, bytes, lines) }
        return (validator.valid && validator.complete ? (encoding ?? .utf8) : .windows1252, bytes, lines)
    }

    /// Windows-1252's bytes 0x80 to 0x9F (the rest are Latin-1); the five unassigned ones map to themselves, as
    /// the WHATWG Encoding Standard says.
    static let windows1252High: [UInt32] = [
        0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
        0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
    ]

    /// Writes `source` (UTF-16 with a BOM) to `destination` as UTF-8, a chunk at a time; a surrogate pair split
    /// between two chunks is carried over.
    static func transcodeUTF16(_ source: URL, bigEndian: Bool, to destination: URL) throws {
        guard let input = try? FileHandle(forReadingFrom: source),
              FileManager.default.createFile(atPath: destination.path, contents: nil),
              let output = try? FileHandle(forWritingTo: destination) else {
            throw RapportError.invalid("file", "cannot read \(source.path) to convert it from UTF-16")
        }
        defer { try? input.close(); try? output.close() }
        var carry: [UInt16] = []
        var odd: UInt8?
        var first = true
        while let chunk = try? input.read(upToCount: 1 << 16), !chunk.isEmpty {
            var bytes = [UInt8](chunk)
            if first { bytes.removeFirst(2); first = false }
            if let odd { bytes.insert(odd, at: 0) }
            odd = bytes.count % 2 == 1 ? bytes.removeLast() : nil
            var units = carry
            units.reserveCapacity(carry.count + bytes.count / 2)
            for i in stride(from: 0, to: bytes.count, by: 2) {
                units.append(bigEndian ? UInt16(bytes[i]) << 8 | UInt16(bytes[i + 1]) : UInt16(bytes[i + 1]) << 8 | UInt16(bytes[i]))
            }
            carry = []
            if let last = units.last, (0xD800...0xDBFF).contains(last) { carry = [units.removeLast()] }
            try output.write(contentsOf: Data(String(decoding: units, as: UTF16.self).utf8))
        }
        if odd != nil || !carry.isEmpty {
            throw RapportError.invalid("file", "\(source.lastPathComponent) ends in the middle of a UTF-16 letter; export it again")
        }
    }

    /// `bytes` read as Windows-1252.
    static func windows1252String<Bytes: Sequence>(_ bytes: Bytes) -> String where Bytes.Element == UInt8 {
        var scalars = String.UnicodeScalarView()
        for byte in bytes {
            let value = (0x80...0x9F).contains(byte) ? windows1252High[Int(byte) - 0x80] : UInt32(byte)
            scalars.append(Unicode.Scalar(value) ?? "\u{FFFD}")
        }
        return String(scalars)
    }

    /// Writes `source` (Windows-1252) to `destination` as UTF-8, a chunk at a time.
    static func transcodeWindows1252(_ source: URL, to destination: URL) throws {
        guard let input = try? FileHandle(forReadingFrom: source),
              FileManager.default.createFile(atPath: destination.path, contents: nil),
              let output = try? FileHandle(forWritingTo: destination) else {
            throw RapportError.invalid("file", "cannot read \(source.path) to convert it from Windows-1252")
        }
        defer { try? input.close(); try? output.close() }
        while let chunk = try? input.read(upToCount: 1 << 16), !chunk.isEmpty {
            try output.write(contentsOf: Data(windows1252String(chunk).utf8))
        }
    }
}

/// Checks bytes for UTF-8 validity across chunk boundaries (a letter may be split between two reads).
struct UTF8Validator {
    private(set) var valid = true
    /// Continuation bytes still owed by the last lead byte.
    private var pending = 0
    /// The smallest allowed second byte after E0/F0 and the largest after ED/F4 (no overlongs, surrogates or > U+10FFFF).
    private var low: UInt8 = 0x80, high: UInt8 = 0xBF

    var complete: Bool { pending == 0 }

    mutating func feed(_ bytes: Data) {
        guard valid else { return }
        for byte in bytes {
            if pending > 0 {
                guard byte >= low && byte <= high else { valid = false; return }
                (low, high) = (0x80, 0xBF)
                pending -= 1
                continue
            }
            switch byte {
            case 0x00...0x7F: continue
            case 0xC2...0xDF: pending = 1
            case 0xE0: (pending, low) = (2, 0xA0)
            case 0xE1...0xEC, 0xEE...0xEF: pending = 2
            case 0xED: (pending, high) = (2, 0x9F)
            case 0xF0: (pending, low) = (3, 0x90)
            case 0xF1...0xF3: pending = 3
            case 0xF4: (pending, high) = (3, 0x8F)
            default: valid = false; return
            }
        }
    }
}
