import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// Guards every HTML form against cross-site requests, and the whole app against DNS rebinding.
///
/// Pages get a random token in a `SameSite=Strict`, HttpOnly cookie and in each form; a POST whose `_csrf` field
/// does not match the cookie is refused with 403 before any handler runs, so nothing changes. JSON API writes must
/// be `application/json`, which a browser cannot send across sites without a CORS preflight (never granted here).
struct CSRFMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let cookieName = "rapport_csrf"
    static let uploadHeader = HTTPField.Name("Rapport-Upload")!
    let allowedHosts: Set<String>

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var context = context
        if let host = request.head.authority.map(Self.hostName), !allowedHosts.contains(host) {
            return Pages.plain(.forbidden, "Requests must address this machine (127.0.0.1 or localhost); \"\(host)\" was refused.")
        }
        let existing = request.cookies[Self.cookieName]?.value
        let token = existing.flatMap { Self.isWellFormed($0) ? $0 : nil } ?? Self.newToken()
        context.csrfToken = token
        var request = request
        let isAPI = request.isAPI
        if request.method == .post || request.method == .patch || request.method == .put || request.method == .delete {
            let type = (request.headers[.contentType] ?? "").lowercased()
            if type.hasPrefix("multipart/form-data") {
                // An upload is read as it streams in, so its token travels in the address: `?_csrf=…` for a page's
                // form, and for the API the header `Rapport-Upload: 1`, which no other site's page can send.
                let allowed = isAPI ? request.headers[Self.uploadHeader] == "1"
                    : existing.map { Self.matches(FormData(query: request)["_csrf"], $0) } ?? false
                guard allowed else {
                    return isAPI
                        ? try Problem(status: .forbidden, title: "Forbidden", detail: "send uploads with the header Rapport-Upload: 1").response()
                        : Pages.plain(.forbidden, "This form has expired or came from another site, so nothing was changed. Go back, reload the page and submit it again.")
                }
            } else if isAPI {
                if request.method != .delete, !type.hasPrefix("application/json") {
                    return try Problem(
                        status: .unsupportedMediaType, title: "Unsupported media type",
                        detail: "send the body as JSON with the header Content-Type: application/json"
                    ).response()
                }
            } else {
                let body = try await request.collectBody(upTo: context.maxUploadSize)
                let form = FormData(encoded: String(buffer: body))
                guard let cookie = existing, Self.matches(form["_csrf"], cookie) else {
                    return Pages.plain(.forbidden, "This form has expired or came from another site, so nothing was changed. Go back, reload the page and submit it again.")
                }
                context.form = form
            }
        }
        var response = try await next(request, context)
        if existing != token, !isAPI {
            response.headers.append(HTTPField(
                name: .setCookie, value: "\(Self.cookieName)=\(token); Path=/; HttpOnly; SameSite=Strict"))
        }
        return response
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

    /// Compares in constant time, so the comparison leaks nothing about the token.
    static func matches(_ given: String, _ expected: String) -> Bool {
        let a = Array(given.utf8), b = Array(expected.utf8)
        guard a.count == b.count, !a.isEmpty else { return false }
        return zip(a, b).reduce(UInt8(0)) { $0 | ($1.0 ^ $1.1) } == 0
    }
}
