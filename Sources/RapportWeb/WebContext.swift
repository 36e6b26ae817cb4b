import Foundation
import Hummingbird
import Logging
import NIOCore
import RapportCore

/// The request context of every route: Hummingbird's core storage, plus the form and CSRF token the
/// ``CSRFMiddleware`` reads before a handler runs.
public struct WebContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The token pages embed in their forms.
    var csrfToken = ""
    /// The fields of an HTML form POST, already read and checked.
    var form = FormData()

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    /// The `{id}` of the route: a positive number, else the thing of `kind` is not found.
    func id(of kind: EntityKind) throws -> Int64 {
        let raw = parameters.get("id") ?? ""
        guard let id = Int64(raw), id > 0 else { throw RapportError.notFound(kind, raw) }
        return id
    }

    /// 1 MiB is plenty for a person with long notes.
    public var maxUploadSize: Int { 1_048_576 }
}

extension Request {
    /// Whether this request is for the JSON API under `/api/` (a doubled leading slash still counts).
    var isAPI: Bool { uri.path.drop { $0 == "/" }.hasPrefix("api/") }
}

/// The fields of an `application/x-www-form-urlencoded` body, in order, with repeats.
struct FormData: Sendable {
    var pairs: [(String, String)] = []

    init(pairs: [(String, String)] = []) {
        self.pairs = pairs
    }

    /// Reads `a=1&b=two+words&c=%3C`.
    init(encoded body: String) {
        pairs = body.split(separator: "&", omittingEmptySubsequences: true).map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let key = Self.decode(parts[0])
            let value = parts.count > 1 ? Self.decode(parts[1]) : ""
            return (key, value)
        }
    }

    /// The query string of a URL, read as a browser's GET form sends it (`+` for spaces).
    init(query request: Request) {
        self.init(encoded: request.uri.query ?? "")
    }

    /// The first value of `key`, or "".
    subscript(_ key: String) -> String {
        pairs.first { $0.0 == key }?.1 ?? ""
    }

    /// Every value of `key`.
    func all(_ key: String) -> [String] {
        pairs.filter { $0.0 == key }.map(\.1)
    }

    func has(_ key: String) -> Bool {
        pairs.contains { $0.0 == key }
    }

    /// A yes-or-no query parameter: `true`/`1` or `false`/`0`; absent is nil; anything else is refused naming it.
    func flag(_ key: String) throws -> Bool? {
        guard has(key) else { return nil }
        switch self[key] {
        case "true", "1": return true
        case "false", "0": return false
        default: throw RapportError.invalid(key, "\"\(self[key].prefix(40))\" is not true or false")
        }
    }

    /// The non-empty lines of a textarea.
    func lines(_ key: String) -> [String] {
        self[key].split(whereSeparator: \.isNewline).map { String($0).trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// One field or value as typed: `+` as a space, percent escapes undone, in NFC (``TextIdentity/nfc(_:)``), line
    /// breaks as `\n` (browsers send a textarea's as CRLF, HTML's form encoding).
    static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return (spaced.removingPercentEncoding ?? spaced).nfc.replacingOccurrences(of: "\r\n", with: "\n")
    }
}
