import Foundation
import RapportCore
@testable import RapportFormats
import Testing

/// The age format with a passphrase (age-encryption.org/v1, scrypt recipient). Interoperability with a real age
/// implementation (pyrage) is checked in `e2e/test_import_export.py`; here, the file's shape and its failures.
@Suite("age files: encrypted, decrypted, and refused when wrong")
struct AgeFileTests {
    /// A low work factor: the tests check the format, not scrypt's cost.
    static let factor = 10

    static func sealed(_ bytes: [UInt8], passphrase: String = "correct horse battery") throws -> (ScratchFile, URL) {
        let plain = try ScratchFile("plain", bytes: bytes)
        let sealed = plain.url.deletingLastPathComponent().appendingPathComponent("sealed.age")
        try AgeFile.encrypt(plain.url, to: sealed, passphrase: passphrase, workFactor: factor)
        return (plain, sealed)
    }

    @Test("sizes around the 64 KiB chunk come back byte for byte", arguments: [0, 1, 65_535, 65_536, 65_537, 200_000])
    func roundTrip(_ size: Int) throws {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<size).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let (plain, sealed) = try Self.sealed(bytes)
        defer { plain.remove() }
        let opened = plain.url.deletingLastPathComponent().appendingPathComponent("opened")
        try AgeFile.decrypt(sealed, to: opened, passphrase: "correct horse battery")
        #expect(try Data(contentsOf: opened) == Data(bytes))
        // Header, 16-byte nonce, then each chunk of at most 64 KiB with its 16-byte tag.
        let chunks = max(1, (size + 65_535) / 65_536)
        let file = try Data(contentsOf: sealed)
        let header = String(decoding: file.prefix(200), as: UTF8.self).components(separatedBy: "\n")
        #expect(header[0] == "age-encryption.org/v1" && header[1].hasPrefix("-> scrypt ") && header[1].hasSuffix(" \(Self.factor)"))
        #expect(header[2].count == 43 && header[3].hasPrefix("--- ") && header[3].prefix(47).count == 47)
        let headerBytes = header.prefix(3).joined(separator: "\n").utf8.count + 1 + 47 + 1
        #expect(try Data(contentsOf: sealed).count == headerBytes + 16 + size + 16 * chunks)
    }

    @Test("a wrong passphrase says so under passphrase and writes nothing")
    func wrongPassphrase() throws {
        let (plain, sealed) = try Self.sealed(Array("secret circle".utf8))
        defer { plain.remove() }
        let opened = plain.url.deletingLastPathComponent().appendingPathComponent("opened")
        let error = #expect(throws: RapportError.self) { try AgeFile.decrypt(sealed, to: opened, passphrase: "Correct horse battery") }
        #expect(error?.fieldErrors.first?.field == "passphrase" && error?.message.contains("nothing was written") == true)
        #expect(!FileManager.default.fileExists(atPath: opened.path))
        #expect(try FileManager.default.contentsOfDirectory(atPath: plain.url.deletingLastPathComponent().path).sorted() == ["plain", "sealed.age"])
    }

    @Test("a changed byte anywhere, a cut, or an impossible work factor refuses the file and writes nothing")
    func tampering() throws {
        let (plain, sealed) = try Self.sealed((0..<70_000).map { UInt8($0 % 251) })
        defer { plain.remove() }
        let original = try Data(contentsOf: sealed)
        let folder = plain.url.deletingLastPathComponent()
        var cases: [(String, Data)] = []
        for offset in [original.count - 1, original.count - 40_000, 140] {
            var changed = original
            changed[offset] ^= 0x20
            cases.append(("byte \(offset)", changed))
        }
        cases.append(("cut at a chunk", original.prefix(original.count - (70_000 - 65_536) - 16)))
        cases.append(("cut short", original.prefix(original.count - 3)))
        let text = String(decoding: original.prefix(120), as: UTF8.self)
        let factorLine = try #require(text.components(separatedBy: "\n").dropFirst().first)
        cases.append(("work factor 40", Data(String(decoding: original, as: UTF8.self).replacingOccurrences(of: factorLine, with: factorLine.dropLast(2) + "40").utf8)))
        cases.append(("not age", Data("SQLite format 3\u{0}".utf8)))
        for (name, bytes) in cases {
            let file = folder.appendingPathComponent("case.age")
            try bytes.write(to: file)
            let opened = folder.appendingPathComponent("opened")
            #expect(throws: RapportError.self, "\(name)") { try AgeFile.decrypt(file, to: opened, passphrase: "correct horse battery") }
            #expect(!FileManager.default.fileExists(atPath: opened.path), "\(name)")
        }
    }

    @Test("an empty passphrase is refused before anything is written")
    func emptyPassphrase() throws {
        let plain = try ScratchFile("plain", bytes: [1, 2, 3])
        defer { plain.remove() }
        let sealed = plain.url.deletingLastPathComponent().appendingPathComponent("sealed.age")
        #expect(throws: RapportError.self) { try AgeFile.encrypt(plain.url, to: sealed, passphrase: "", workFactor: Self.factor) }
        #expect(!FileManager.default.fileExists(atPath: sealed.path))
    }
}
