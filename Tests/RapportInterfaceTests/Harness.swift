import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RapportCLI
import RapportCore
import RapportStore
import RapportWeb
import Testing

/// 2026-11-23 (a Monday) 09:00 UTC.
let fixedNow = Date(timeIntervalSince1970: 1_795_392_000 + 9 * 3600)

/// The databases these tests run on: SQLite always, PostgreSQL when `RAPPORT_TEST_POSTGRES_URL` is set.
enum Backend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static var available: [Backend] {
        ProcessInfo.processInfo.environment["RAPPORT_TEST_POSTGRES_URL"].map { $0.isEmpty ? [.sqlite] : [.sqlite, .postgres] } ?? [.sqlite]
    }

    var testDescription: String { rawValue }
}

/// One circle reached through every interface: the CLI (on SQLite, as the local account), the pages and the JSON
/// API (in process), and the store itself. On PostgreSQL each test has an account of its own, so tests sharing the
/// database never see each other's people; the CLI, which always acts as the local account, runs on SQLite only.
struct Circle {
    let backend: Backend
    let store: Store
    let account: AccountID
    let folder: URL
    var db: String { folder.appendingPathComponent("circle.sqlite").path }

    static func open(_ backend: Backend = .sqlite) async throws -> Circle {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-interfaces-\(UUID().uuidString)")
        let store: Store
        switch backend {
        case .sqlite: store = try await Store.open(.sqlite(path: folder.appendingPathComponent("circle.sqlite").path), now: { fixedNow })
        case .postgres: store = try await Store.open(.postgres(url: ProcessInfo.processInfo.environment["RAPPORT_TEST_POSTGRES_URL"] ?? ""), now: { fixedNow })
        }
        do {
            let account = backend == .sqlite ? try await store.localAccount() : try await store.createAccount(named: "interfaces-\(UUID().uuidString)")
            return Circle(backend: backend, store: store, account: account, folder: folder)
        } catch {
            await store.close()
            throw error
        }
    }

    /// Runs `body` with a fresh circle and always closes it.
    static func with(_ backend: Backend = .sqlite, _ body: (Circle) async throws -> Void) async throws {
        let circle = try await open(backend)
        do { try await body(circle) } catch {
            await circle.close()
            throw error
        }
        await circle.close()
    }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(at: folder)
    }

    struct CLIResult {
        let code: Int32
        let out: String
        let err: String

        func object() throws -> [String: Any] {
            try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [String: Any], "\(out) \(err)")
        }

        func list() throws -> [[String: Any]] {
            try #require(try JSONSerialization.jsonObject(with: Data(out.utf8)) as? [[String: Any]], "\(out) \(err)")
        }
    }

    /// Runs a `rapport` command on this circle's SQLite file.
    @discardableResult
    func cli(_ arguments: String...) async -> CLIResult {
        await cli(arguments)
    }

    func cli(_ arguments: [String], environment: [String: String] = [:]) async -> CLIResult {
        precondition(backend == .sqlite, "the CLI acts as the local account, so it runs on the SQLite circle only")
        let output = Output(echo: false)
        let variables = ["HOME": folder.path, "RAPPORT_DB": db].merging(environment) { $1 }
        let env = CLIEnvironment(output: output, variables: variables, now: { fixedNow })
        let code = await RapportCommand.run(arguments, in: env)
        return CLIResult(code: code, out: output.standardOutput, err: output.standardError)
    }

    /// Runs `body` against the web app (pages and API) in process.
    func web(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let app = Application(router: try await buildRouter(store: store, account: account))
        try await app.test(.router, body)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

    func object() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(body.readableBytesView)) as? [String: Any], "\(text)")
    }

    /// The session cookie this response set (`rapport_session=…`, for a Cookie header) and the CSRF token the page's
    /// forms carry for it.
    var csrf: (cookie: String, token: String)? {
        guard let session = sessionCookie, let token = formToken else { return nil }
        return (session, token)
    }

    /// `rapport_session=…` as this response set it.
    var sessionCookie: String? {
        headers[values: .setCookie].compactMap({ value -> String? in
            guard value.hasPrefix("rapport_session=") else { return nil }
            return String(value.prefix { $0 != ";" })
        }).first
    }

    /// The CSRF token in the page's forms (a hidden `_csrf` field or `?_csrf=` in an action).
    var formToken: String? {
        String(buffer: body).firstMatch(of: /_csrf(?:" value="|=)([0-9a-f]{64})/).map { String($0.output.1) }
    }
}

extension TestClientProtocol {
    /// GETs `page` for the CSRF cookie, then POSTs `fields` to `uri` as a browser's form does.
    func submit(_ uri: String, _ fields: [(String, String)], from page: String) async throws -> TestResponse {
        let opened = try await execute(uri: page, method: .get)
        var pair = opened.csrf
        if pair == nil, let cookie = opened.sessionCookie {
            // A page with no form of its own: the same session's token from a page that has one.
            pair = try await execute(uri: "/people/new", method: .get, headers: [.cookie: cookie]).formToken.map { (cookie, $0) }
        }
        let csrf = try #require(pair)
        let body = ([("_csrf", csrf.token)] + fields).map { query($0.0) + "=" + query($0.1) }.joined(separator: "&")
        return try await execute(uri: uri, method: .post,
                                 headers: [.cookie: csrf.cookie, .contentType: "application/x-www-form-urlencoded"],
                                 body: ByteBuffer(string: body))
    }

    /// Sends `parts` as `multipart/form-data` (RFC 7578): `(name, filename, bytes)`, a nil filename for a plain
    /// field. `query` is added to the address (a page's `?_csrf=`).
    func upload(_ uri: String, _ parts: [(String, String?, Data)], headers: HTTPFields = [:]) async throws -> TestResponse {
        let boundary = "rapport-test-\(UUID().uuidString)"
        var body = Data()
        for (name, filename, bytes) in parts {
            body += Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(name)\"".utf8)
            if let filename { body += Data("; filename=\"\(filename)\"\r\nContent-Type: application/octet-stream".utf8) }
            body += Data("\r\n\r\n".utf8) + bytes + Data("\r\n".utf8)
        }
        body += Data("--\(boundary)--\r\n".utf8)
        var all = headers
        all[.contentType] = "multipart/form-data; boundary=\(boundary)"
        return try await execute(uri: uri, method: .post, headers: all, body: ByteBuffer(bytes: body))
    }

    /// Sends `json` to the API.
    func send(_ uri: String, _ method: HTTPRequest.Method, _ json: String) async throws -> TestResponse {
        try await execute(uri: uri, method: method, headers: [.contentType: "application/json"], body: ByteBuffer(string: json))
    }
}

/// `text` percent-encoded for a query string or a form body: every byte but ASCII letters, digits and `-._~`.
func query(_ text: String) -> String {
    let allowed = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
    return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
}

/// The fields a browser sends when the form posting to `action` is submitted as drawn (hidden and text inputs,
/// ticked boxes, textareas, the selected option of each select), `_csrf` left out. `where` picks one of several
/// forms with the same action by a bit of its HTML.
func formFields(in html: String, action: String, where marker: String? = nil) throws -> [(String, String)] {
    let forms = html.components(separatedBy: "<form").dropFirst().map { "<form" + ($0.components(separatedBy: "</form>").first ?? "") }
    let form = try #require(forms.first { $0.contains("action=\"\(action)\"") && (marker.map($0.contains) ?? true) }, "no form for \(action)")
    func attribute(_ name: String, _ tag: String) -> String? {
        guard let range = tag.range(of: " \(name)=\"") else { return nil }
        return String(tag[range.upperBound...].prefix { $0 != "\"" })
    }
    func unescaped(_ text: String) -> String {
        text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
    var fields: [(String, String)] = []
    var rest = Substring(form)
    while let open = rest.firstIndex(of: "<") {
        rest = rest[open...]
        let tag = String(rest.prefix { $0 != ">" })
        if tag.hasPrefix("<input"), let name = attribute("name", tag), name != "_csrf" {
            let type = attribute("type", tag) ?? "text"
            if type != "checkbox" || tag.contains(" checked") { fields.append((name, unescaped(attribute("value", tag) ?? ""))) }
        } else if tag.hasPrefix("<textarea"), let name = attribute("name", tag) {
            let body = rest.dropFirst(tag.count + 1)
            fields.append((name, unescaped(String(body.prefix(upTo: body.range(of: "</textarea>")?.lowerBound ?? body.endIndex)))))
        } else if tag.hasPrefix("<select"), let name = attribute("name", tag) {
            let body = rest.dropFirst(tag.count + 1)
            let options = String(body.prefix(upTo: body.range(of: "</select>")?.lowerBound ?? body.endIndex))
                .components(separatedBy: "<option").dropFirst()
            let chosen = options.first { $0.contains(" selected") } ?? options.first
            fields.append((name, unescaped(chosen.flatMap { attribute("value", " " + $0) } ?? "")))
        }
        rest = rest.dropFirst()
    }
    return fields
}

/// `fields` with `name` set to `value` (added when missing).
func setting(_ fields: [(String, String)], _ name: String, _ value: String) -> [(String, String)] {
    fields.contains { $0.0 == name } ? fields.map { $0.0 == name ? (name, value) : $0 } : fields + [(name, value)]
}
