import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import RapportCore
import RapportStore
@testable import RapportWeb
import Testing

/// 2026-11-23 (a Monday) 09:00 UTC.
let fixedNow = Date(timeIntervalSince1970: 1_795_392_000 + 9 * 3600)

/// A web app over a fresh SQLite store, with the helpers a browser would need (cookie, CSRF token).
struct WebHarness {
    let store: Store
    let account: AccountID
    let folder: URL

    static func make() async throws -> WebHarness {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("rapport-web-\(UUID().uuidString)")
        let store = try await Store.open(.sqlite(path: folder.appendingPathComponent("web.sqlite").path), now: { fixedNow })
        return WebHarness(store: store, account: try await store.localAccount(), folder: folder)
    }

    /// Runs `body` against the router in-process, then closes the store.
    func test(_ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let router = try await buildRouter(store: store, account: account)
        let app = Application(router: router)
        do {
            try await app.test(.router) { client in try await body(client) }
        } catch {
            await close()
            throw error
        }
        await close()
    }

    func close() async {
        await store.close()
        try? FileManager.default.removeItem(at: folder)
    }

    func add(_ name: String, _ configure: (inout PersonDetails) -> Void = { _ in }) async throws -> Person {
        var d = PersonDetails(name: name)
        configure(&d)
        return try await store.people.add(d, as: account).person
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }

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

    func json() throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any])
    }

    private var buffer: ByteBuffer { body }
}

/// Percent-encodes form fields the way a browser does.
func formBody(_ fields: [(String, String)]) -> ByteBuffer {
    var allowed = CharacterSet.alphanumerics
    allowed.insert(charactersIn: "-._*")
    let text = fields.map { key, value in
        let encode = { (s: String) in s.addingPercentEncoding(withAllowedCharacters: allowed)?.replacingOccurrences(of: "%20", with: "+") ?? "" }
        return encode(key) + "=" + encode(value)
    }.joined(separator: "&")
    return ByteBuffer(string: text)
}

/// GETs a page to obtain the CSRF cookie, then POSTs the form with it.
func submit(_ client: any TestClientProtocol, _ uri: String, _ fields: [(String, String)], from page: String = "/people/new") async throws -> TestResponse {
    let opened = try await client.execute(uri: page, method: .get)
    var csrf = opened.csrf
    if csrf == nil, let cookie = opened.sessionCookie {
        // A page with no form of its own (nothing due): the same session's token from a page that has one.
        let form = try await client.execute(uri: "/people/new", method: .get, headers: [.cookie: cookie])
        csrf = form.formToken.map { (cookie, $0) }
    }
    let pair = try #require(csrf)
    return try await client.execute(
        uri: uri, method: .post,
        headers: [.cookie: pair.cookie, .contentType: "application/x-www-form-urlencoded"],
        body: formBody([("_csrf", pair.token)] + fields))
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]
