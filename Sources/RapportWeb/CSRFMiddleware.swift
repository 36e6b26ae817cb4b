import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Crypto
import RapportCore

/// Guards every state-changing request against cross-site forgery (OWASP's "signed double-submit cookie"), and the
/// whole app against DNS rebinding.
///
/// A browser gets a random session id in a `SameSite=Strict`, HttpOnly cookie; each form carries the HMAC-SHA256 of
/// that id under the install's form secret (``SettingsRepository/formSecret(as:)``). A POST whose `_csrf` field is
/// not the HMAC of its cookie is refused with 403 before any handler runs, so nothing changes. A page that can set
/// cookies for this host (another port on 127.0.0.1) can pick any session id, but cannot make its token without the
/// secret. As a second layer, a state-changing request that says it came from another site (`Sec-Fetch-Site`) or
/// another origin (`Origin`) is refused, API calls included. JSON API writes must be `application/json`, which a
/// browser cannot send across sites without a CORS preflight (never granted here).
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let cookieName = "rapport_session"
    static let uploadHeader = HTTPField.Name("Rapport-Upload")!
    static let fetchSite = HTTPField.Name("Sec-Fetch-Site")!
    let allowedHosts: Set<String>
    let key: SymmetricKey
    let routes: RouteTable

    /// `secret` is the install's form secret (hex).
    init(allowedHosts: Set<String>, secret: String, routes: RouteTable) {
        self.allowedHosts = allowedHosts
        self.key = SymmetricKey(data: Array(secret.utf8))
        self.routes = routes
    }

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let host = request.head.authority.map(Self.hostName), !allowedHosts.contains(host) {
            return Pages.plain(.forbidden, "Requests must address this machine (127.0.0.1 or localhost); \"\(host)\" was refused.")
        }
        let existing = request.cookies[Self.cookieName].map(\.value).flatMap { Self.isWellFormed($0) ? $0 : nil }
        let session = existing ?? Self.newToken()
        context.csrfToken = token(for: session)
        var request = request
        let isAPI = request.isAPI
        if request.method == .post || request.method == .patch || request.method == .put || request.method == .delete {
            if let refusal = Self.crossSite(request) {
                return isAPI ? try Problem(status: .forbidden, kind: "cross-site", title: "Forbidden", detail: refusal).response()
                    : Pages.plain(.forbidden, refusal + " Nothing was changed.")
            }
            let type = (request.headers[.contentType] ?? "").lowercased()
            if type.hasPrefix("multipart/form-data") {
                // An upload is read as it streams in, so its token travels in the address: `?_csrf=…` for a page's
                // form, and for the API the header `Rapport-Upload: 1`, which no other site's page can send.
                let allowed = isAPI ? request.headers[Self.uploadHeader] == "1"
                    : existing.map { Self.matches(FormData(query: request)["_csrf"], token(for: $0)) } ?? false
                guard allowed else {
                    return isAPI
                        ? try Problem(status: .forbidden, title: "Forbidden", detail: "send uploads with the header Rapport-Upload: 1").response()
                        : Pages.plain(.forbidden, "This form has expired or came from another site, so nothing was changed. Go back, reload the page and submit it again.")
                }
            } else if isAPI {
                // A method the path is not served with goes on to its 405; nothing there reads a body.
                let served = routes.methods(for: request.uri.path).contains(request.method.rawValue)
                if served, request.method != .delete, !Self.isJSON(type, patch: request.method == .patch) {
                    return try Problem(
                        status: .unsupportedMediaType, title: "Unsupported media type",
                        detail: "send the body as JSON in UTF-8 with the header Content-Type: application/json"
                            + (request.method == .patch ? " (or application/merge-patch+json)" : "")
                    ).response()
                }
            } else {
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let form = FormData(encoded: String(buffer: body))
                guard let cookie = existing, Self.matches(form["_csrf"], token(for: cookie)) else {
                    return Pages.plain(.forbidden, "This form has expired or came from another site, so nothing was changed. Go back, reload the page and submit it again.")
                }
                if let field = form.pairs.first(where: { $0.0.utf8.contains(0) || $0.1.utf8.contains(0) })?.0 {
                    return Pages.plain(.unprocessableContent, "\(field.prefix(60)) \(TextIdentity.nulMessage). Nothing was changed; go back and try again.")
                }
                context.form = form
            }
        }
        var response = try await next(request, context)
        if existing != session, !isAPI {
            response.headers.append(HTTPField(
                name: .setCookie, value: "\(Self.cookieName)=\(session); Path=/; HttpOnly; SameSite=Strict"))
        }
        return response
    }

    /// The form token for `session`: HMAC-SHA256 under the install's secret, as hex (64 digits).
    func token(for session: String) -> String {
        HMAC<SHA256>.authenticationCode(for: Array("rapport-csrf:\(session)".utf8), using: key)
            .map { String(format: "%02x", $0) }.joined()
    }

    /// Why a state-changing request is refused as coming from elsewhere, or nil: `Sec-Fetch-Site` other than
    /// `same-origin` or `none` (a bookmark, the address bar), or an `Origin` that is not this server's own.
    /// Clients that send neither (curl, scripts, the CLI's tests) are judged by the token or content type alone.
    static func crossSite(_ request: Request) -> String? {
        if let site = request.headers[fetchSite]?.lowercased(), site != "same-origin", site != "none" {
            return "This request came from another site (\(site)), so Rapport refused it."
        }
        if let origin = request.headers[.origin] {
            let own = request.head.authority.map { ["http://" + $0.lowercased(), "https://" + $0.lowercased()] } ?? []
            if !own.contains(origin.lowercased()) {
                return "This request came from another origin (\(origin.prefix(100))), so Rapport refused it."
            }
        }
        return nil
    }

    static func hostName(_ authority: String) -> String {
        if authority.hasPrefix("["), let end = authority.firstIndex(of: "]") {
            return String(authority[authority.index(after: authority.startIndex)..<end])
        }
        return String(authority.split(separator: ":").first ?? "")
    }

    static func newToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }

    static func isWellFormed(_ token: String) -> Bool {
        token.count == 64 && token.allSatisfy(\.isHexDigit)
    }

    /// Whether a Content-Type names JSON: `application/json` (RFC 8259 §11), or on PATCH the JSON merge patch
    /// type `application/merge-patch+json` (RFC 7396 §4), with no charset but UTF-8 (RFC 8259 §8.1).
    static func isJSON(_ header: String, patch: Bool) -> Bool {
        let parts = header.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard let media = parts.first, media == "application/json" || (patch && media == "application/merge-patch+json") else { return false }
        return parts.dropFirst().allSatisfy { parameter in
            guard parameter.hasPrefix("charset=") else { return true }
            return ["utf-8", "\"utf-8\""].contains(parameter.dropFirst("charset=".count))
        }
    }

    /// Compares in constant time, so the comparison leaks nothing about the token.
    static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count, !a.isEmpty else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
