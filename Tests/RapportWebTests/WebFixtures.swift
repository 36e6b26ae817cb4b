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

    /// The CSRF token this response set in its cookie.
    var csrfCookie: String? {
        headers[values: .setCookie].compactMap { value -> String? in
            guard value.hasPrefix("rapport_csrf=") else { return nil }
            return String(value.dropFirst("rapport_csrf=".count).prefix { $0 != ";" })
        }.first
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
    let token = try #require(try await client.execute(uri: page, method: .get).csrfCookie)
    return try await client.execute(
        uri: uri, method: .post,
        headers: [.cookie: "rapport_csrf=\(token)", .contentType: "application/x-www-form-urlencoded"],
        body: formBody([("_csrf", token)] + fields))
}

let jsonHeaders: HTTPFields = [.contentType: "application/json"]
