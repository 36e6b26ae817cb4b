import Foundation
import Hummingbird
import MultipartKit
import NIOCore
import RapportCore

/// A `multipart/form-data` upload (RFC 7578) read as it arrives: the file part streamed to a private temporary
/// file (never held whole), the other fields kept as text.
struct Upload {
    /// The form's text fields, in order, with repeats.
    var fields = FormData()
    /// The uploaded file, in a folder only this user can read; nil when none was sent.
    var file: URL?
    /// The name the browser gave it.
    var filename: String?

    /// The largest file accepted: a 100k-row CSV is far below it.
    static let maxFileBytes = 200 * 1024 * 1024
    static let maxFieldBytes = 64 * 1024

    /// Reads the body of `request`.
    ///
    /// - Throws: ``RapportError/invalid(_:)`` under `file` for a body that is not multipart or is too large.
    static func read(_ request: Request) async throws -> Upload {
        guard let type = request.headers[.contentType], let boundary = boundary(type) else {
            throw RapportError.invalid("file", "send the file as multipart/form-data with a boundary of 1 to 70 letters, digits or '()+_,-./:=? (an HTML form with enctype=\"multipart/form-data\" does this)")
        }
        let folder = try uploads()
        let reader = PartReader(folder: folder)
        let parser = MultipartParser(boundary: boundary)
        parser.onHeader = { name, value in reader.header(name, value) }
        parser.onBody = { buffer in reader.body(&buffer) }
        parser.onPartComplete = { reader.complete() }
        do {
            for try await buffer in request.body {
                try parser.execute(buffer)
                if let problem = reader.problem { throw problem }
            }
        } catch let error as RapportError {
            reader.discard()
            throw error
        } catch {
            reader.discard()
            throw RapportError.invalid("file", "the upload could not be read (\(error)); try again")
        }
        if let file = reader.file, let name = reader.filename {
            // The name the browser gave tells a .vcf from a .csv when the upload is previewed again.
            _ = FileManager.default.createFile(atPath: file.path + ".name", contents: Data(name.utf8), attributes: [.posixPermissions: 0o600])
        }
        return Upload(fields: FormData(pairs: reader.fields), file: reader.file, filename: reader.filename)
    }

    /// The upload's id, as the preview page hands it back (its file name in the uploads folder).
    var id: String? { file?.lastPathComponent }

    /// Removes the uploaded file, once it is imported or refused.
    func discard() {
        guard let file else { return }
        try? FileManager.default.removeItem(at: file)
        try? FileManager.default.removeItem(atPath: file.path + ".name")
    }

    /// `multipart/form-data; boundary="abc"` → `abc`.
    /// Only a boundary RFC 2046 (section 5.1.1) allows: 1 to 70 of its characters, not ending in a space. An empty
    /// one (`boundary=""`) once reached the multipart parser's precondition and stopped the server (issue 16).
    static func boundary(_ contentType: String) -> String? {
        guard contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        for part in contentType.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1).map { $0.trimmed }
            if pair.count == 2, pair[0].lowercased() == "boundary" {
                var value = pair[1]
                if value.count >= 2, value.hasPrefix("\""), value.hasSuffix("\"") { value = String(value.dropFirst().dropLast()) }
                let allowed = Set("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'()+_,-./:=? ")
                guard (1...70).contains(value.count), value.allSatisfy(allowed.contains), value.last != " " else { return nil }
                return value
            }
        }
        return nil
    }

    /// The private folder uploads wait in until they are imported (0700), emptied of anything over a day old.
    static func uploads() throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-uploads-\(getuid())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        // The folder's name is known to everyone on the machine: one made in advance by someone else is not used.
        let attributes = try FileManager.default.attributesOfItem(atPath: folder.path)
        guard (attributes[.ownerAccountID] as? NSNumber)?.uint32Value == getuid(),
              ((attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777) & 0o077 == 0 else {
            throw RapportError.storage("\(folder.path) belongs to someone else or others may read it; remove it and upload again")
        }
        let old = Date().addingTimeInterval(-86_400)
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? [] {
            let url = folder.appendingPathComponent(name)
            if let modified = (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date, modified < old {
                try? FileManager.default.removeItem(at: url)
            }
        }
        return folder
    }

    /// The upload named `id` (as the preview page hands it back), if it is still there; only a UUID names one, so
    /// no path can reach outside the folder.
    static func stored(_ id: String) throws -> Upload? {
        guard id.count == 36, UUID(uuidString: id) != nil else { return nil }
        let url = try uploads().appendingPathComponent(id)
        guard FileManager.default.fileExists(atPath: url.path) else { return nil }
        let name = FileManager.default.contents(atPath: url.path + ".name").map { String(decoding: $0, as: UTF8.self) }
        return Upload(file: url, filename: name)
    }
}

/// Collects the parts of one upload as the parser finds them.
private final class PartReader {
    let folder: URL
    var fields: [(String, String)] = []
    var file: URL?
    var filename: String?
    var problem: RapportError?
    private var name: String?
    private var partFilename: String?
    private var text = Data()
    private var handle: FileHandle?
    private var written = 0

    init(folder: URL) { self.folder = folder }

    func header(_ field: String, _ value: String) {
        guard field.lowercased() == "content-disposition" else { return }
        for part in value.split(separator: ";").map({ $0.trimmed }) {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            let unquoted = pair[1].trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if pair[0].lowercased() == "name" { name = unquoted }
            if pair[0].lowercased() == "filename" { partFilename = unquoted }
        }
    }

    func body(_ buffer: inout ByteBuffer) {
        guard problem == nil else { return }
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        if partFilename != nil && name == "file" {
            if handle == nil {
                guard file == nil else {
                    problem = .invalid("file", "send one file at a time")
                    return
                }
                let url = folder.appendingPathComponent(UUID().uuidString)
                _ = FileManager.default.createFile(atPath: url.path, contents: nil, attributes: [.posixPermissions: 0o600])
                handle = try? FileHandle(forWritingTo: url)
                file = url
                filename = partFilename
            }
            written += bytes.count
            guard written <= Upload.maxFileBytes else {
                problem = .invalid("file", "the file is over \(Upload.maxFileBytes / 1_048_576) MB; split it, or import it with `rapport import`")
                return
            }
            try? handle?.write(contentsOf: bytes)
        } else {
            text.append(contentsOf: bytes)
            if text.count > Upload.maxFieldBytes { problem = .invalid(name ?? "form", "this field is too long") }
        }
    }

    func complete() {
        if let handle {
            try? handle.close()
            self.handle = nil
        } else if let name {
            fields.append((name, String(decoding: text, as: UTF8.self).nfc.replacingOccurrences(of: "\r\n", with: "\n")))
        }
        name = nil
        partFilename = nil
        text = Data()
    }

    func discard() {
        try? handle?.close()
        if let file { try? FileManager.default.removeItem(at: file) }
    }
}
