import Crypto
import CryptoExtras
import Foundation
import RapportCore

/// Encrypts and decrypts files in the age format (age-encryption.org/v1) with a passphrase, the scrypt recipient,
/// so a backup opens with the standard `age -d` tool even without Rapport.
///
/// The header: the version line, one `-> scrypt SALT LOG2N` stanza whose body is the 16-byte file key sealed with
/// ChaCha20-Poly1305 under scrypt(passphrase, "age-encryption.org/v1/scrypt" + salt, N = 2^LOG2N, r = 8, p = 1), and
/// `--- MAC`, an HMAC-SHA-256 of the header under HKDF-SHA-256(file key, "header"). The payload: a 16-byte nonce, then
/// the plaintext in 64 KiB chunks, each sealed with ChaCha20-Poly1305 under HKDF-SHA-256(file key, nonce, "payload")
/// and the nonce `counter (11 bytes, big-endian) || last (1 byte)` (the STREAM construction).
public enum AgeFile {
    static let version = "age-encryption.org/v1"
    static let chunk = 64 * 1024
    /// age's default work factor for passphrases (about a second); files may ask for up to 2^22.
    public static let workFactor = 18
    static let maxWorkFactor = 22

    /// Whether `data` starts like an age file.
    public static func isAge(_ data: Data) -> Bool { data.starts(with: Array((version + "\n").utf8)) }

    /// Encrypts the file at `source` into `destination`, a chunk at a time; `progress` gets the bytes done.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `passphrase` when it is empty, under `file` when a file cannot
    ///   be read or written.
    public static func encrypt(_ source: URL, to destination: URL, passphrase: String, workFactor: Int = workFactor,
                               progress: ((Int) -> Void)? = nil) throws {
        guard !passphrase.isEmpty else { throw RapportError.invalid("passphrase", "give a passphrase; an empty one protects nothing") }
        let fileKey = SymmetricKey(size: .bits128)
        var salt = [UInt8](repeating: 0, count: 16)
        var generator = SystemRandomNumberGenerator()
        for i in salt.indices { salt[i] = UInt8.random(in: 0...255, using: &generator) }
        let wrapKey = try scrypt(passphrase, salt: salt, workFactor: workFactor)
        let wrapped = try ChaChaPoly.seal(fileKey.bytes, using: wrapKey, nonce: try ChaChaPoly.Nonce(data: Data(count: 12))).combinedTail
        var header = "\(version)\n-> scrypt \(base64(salt)) \(workFactor)\n\(wrapLines(base64(wrapped)))---"
        let mac = HMAC<SHA256>.authenticationCode(for: Data(header.utf8), using: derive(fileKey, salt: [], info: "header"))
        header += " " + base64(Array(mac)) + "\n"
        let nonce = (0..<16).map { _ in UInt8.random(in: 0...255, using: &generator) }
        let payloadKey = derive(fileKey, salt: nonce, info: "payload")
        guard let input = try? FileHandle(forReadingFrom: source) else {
            throw RapportError.invalid("file", "cannot read \(source.path) to encrypt it")
        }
        defer { try? input.close() }
        let output = try create(destination)
        defer { try? output.close() }
        try output.write(contentsOf: Data(header.utf8) + Data(nonce))
        var counter: UInt64 = 0
        var done = 0
        var current = (try? input.read(upToCount: chunk)) ?? Data()
        while true {
            let next = current.count == chunk ? (try? input.read(upToCount: chunk)) ?? Data() : Data()
            let last = next.isEmpty
            let sealed = try ChaChaPoly.seal(current, using: payloadKey, nonce: streamNonce(counter, last: last))
            try output.write(contentsOf: sealed.ciphertext + sealed.tag)
            done += current.count
            progress?(done)
            if last { break }
            counter += 1
            current = next
        }
    }

    /// Decrypts the age file at `source` into `destination`.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `passphrase` when it does not open the file (nothing is written),
    ///   under `file` when the file is not an age file with a passphrase, or was changed or cut short.
    public static func decrypt(_ source: URL, to destination: URL, passphrase: String, progress: ((Int) -> Void)? = nil) throws {
        guard let input = try? FileHandle(forReadingFrom: source) else {
            throw RapportError.invalid("file", "cannot read \(source.path)")
        }
        defer { try? input.close() }
        // The header is text up to and including the "--- MAC" line; the binary payload follows it.
        var header = Data()
        var lineStart = 0
        while true {
            guard header.count < 64 * 1024, let byte = try? input.read(upToCount: 1), let b = byte.first else {
                throw damaged("its header never ends")
            }
            header.append(b)
            if b == 0x0A {
                if header[lineStart...].starts(with: Array("---".utf8)) { break }
                lineStart = header.count
            }
        }
        let text = String(decoding: header, as: UTF8.self)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        lines.removeLast()
        guard lines.first == version else { throw damaged("it is not an age file (age-encryption.org/v1)") }
        let stanzas = lines.filter { $0.hasPrefix("-> ") }
        guard stanzas.count == 1, let stanza = stanzas.first, stanza.hasPrefix("-> scrypt ") else {
            throw RapportError.invalid("file", "the file was encrypted for a key, not with a passphrase; open it with `age -d -i KEYFILE`")
        }
        let args = stanza.split(separator: " ").map(String.init)
        guard args.count == 4, let salt = unbase64(args[2]), salt.count == 16, let factor = Int(args[3]), factor > 0,
              factor <= maxWorkFactor, String(factor) == args[3] else { throw damaged("its scrypt stanza is not valid") }
        guard let macLine = lines.last, macLine.hasPrefix("--- "), let mac = unbase64(String(macLine.dropFirst(4))),
              let stanzaIndex = lines.firstIndex(of: stanza) else { throw damaged("its header has no MAC") }
        let body = lines[(stanzaIndex + 1)..<(lines.count - 1)].joined()
        guard let wrapped = unbase64(body), wrapped.count == 32 else { throw damaged("its wrapped key is not valid") }
        let wrapKey = try scrypt(passphrase, salt: salt, workFactor: factor)
        guard let key = try? ChaChaPoly.open(ChaChaPoly.SealedBox(combined: Data(count: 12) + wrapped), using: wrapKey) else {
            throw RapportError.invalid("passphrase", "this passphrase does not open the file; nothing was written")
        }
        let fileKey = SymmetricKey(data: key)
        let macked = Data(text.dropLast(macLine.count - 3 + 1).utf8)
        guard HMAC<SHA256>.isValidAuthenticationCode(mac, authenticating: macked, using: derive(fileKey, salt: [], info: "header")) else {
            throw damaged("its header was changed")
        }
        guard let nonce = try? input.read(upToCount: 16), nonce.count == 16 else { throw damaged("it is cut short") }
        let payloadKey = derive(fileKey, salt: Array(nonce), info: "payload")
        let temporary = destination.deletingLastPathComponent().appendingPathComponent(".\(destination.lastPathComponent).\(UUID().uuidString).part")
        let output = try create(temporary)
        do {
            var counter: UInt64 = 0
            var done = 0
            var current = (try? input.read(upToCount: chunk + 16)) ?? Data()
            while true {
                let next = (try? input.read(upToCount: chunk + 16)) ?? Data()
                let last = next.isEmpty
                guard current.count >= 16, last || current.count == chunk + 16, !(last && current.count == 16 && counter > 0),
                      let plain = try? ChaChaPoly.open(ChaChaPoly.SealedBox(nonce: streamNonce(counter, last: last),
                                                                             ciphertext: current.dropLast(16), tag: current.suffix(16)),
                                                       using: payloadKey) else {
                    throw damaged("it was changed or cut short")
                }
                try output.write(contentsOf: plain)
                done += plain.count
                progress?(done)
                if last { break }
                counter += 1
                current = next
            }
            try output.close()
            guard rename(temporary.path, destination.path) == 0 else { throw RapportError.invalid("file", "cannot write \(destination.path)") }
        } catch {
            try? output.close()
            try? FileManager.default.removeItem(at: temporary)
            throw error
        }
    }

    static func scrypt(_ passphrase: String, salt: [UInt8], workFactor: Int) throws -> SymmetricKey {
        guard !passphrase.isEmpty else { throw RapportError.invalid("passphrase", "give the passphrase the file was encrypted with") }
        return try KDF.Scrypt.deriveKey(from: Array(passphrase.utf8), salt: Array("age-encryption.org/v1/scrypt".utf8) + salt,
                                        outputByteCount: 32, rounds: 1 << workFactor, blockSize: 8, parallelism: 1)
    }

    static func derive(_ key: SymmetricKey, salt: [UInt8], info: String) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(inputKeyMaterial: key, salt: salt, info: Array(info.utf8), outputByteCount: 32)
    }

    static func streamNonce(_ counter: UInt64, last: Bool) throws -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for i in 0..<8 { bytes[10 - i] = UInt8((counter >> (8 * UInt64(i))) & 0xFF) }
        bytes[11] = last ? 1 : 0
        return try ChaChaPoly.Nonce(data: bytes)
    }

    /// Base64 without padding, as age writes it.
    static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "=", with: "")
    }

    static func unbase64(_ text: String) -> [UInt8]? {
        guard !text.contains("=") else { return nil }
        let padded = text + String(repeating: "=", count: (4 - text.count % 4) % 4)
        return Data(base64Encoded: padded).map { Array($0) }
    }

    /// A stanza body wrapped at 64 columns; the last line is always shorter (empty when the body fills whole lines).
    static func wrapLines(_ text: String) -> String {
        var out = ""
        var rest = Substring(text)
        while rest.count >= 64 { out += rest.prefix(64) + "\n"; rest = rest.dropFirst(64) }
        return out + rest + "\n"
    }

    static func damaged(_ why: String) -> RapportError {
        .invalid("file", "the file cannot be decrypted: \(why); nothing was written")
    }

    static func create(_ url: URL) throws -> FileHandle {
        guard FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600]),
              let handle = try? FileHandle(forWritingTo: url) else {
            throw RapportError.invalid("file", "cannot write \(url.path); check the folder exists and you may write there")
        }
        return handle
    }
}

extension SymmetricKey {
    var bytes: [UInt8] { withUnsafeBytes { Array($0) } }
}

extension ChaChaPoly.SealedBox {
    /// The ciphertext followed by its tag, without the nonce (age stores the nonce apart, or knows it).
    var combinedTail: [UInt8] { Array(ciphertext + tag) }
}
