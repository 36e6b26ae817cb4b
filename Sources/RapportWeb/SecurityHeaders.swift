import HTTPTypes
import Hummingbird

/// Headers every response carries, whatever route (or error) made it, so no page, API answer, script or download
/// can be sniffed into another type, kept in a shared cache or framed by another site (OWASP Secure Headers):
///
/// - `X-Content-Type-Options: nosniff`
/// - `Cache-Control: no-store`: pages, API answers, downloads and the calendar feed hold a private circle; only
///   the scripts and the stylesheet (which hold no data) set their own `no-cache` (revalidated, never stale)
/// - `Referrer-Policy: same-origin` and `X-Frame-Options: DENY` (`SAMEORIGIN` where a page allows itself in a frame:
///   the report preview), unless the route set its own
///
/// A route's own `Content-Security-Policy` stays; one without gets `default-src 'none'; frame-ancestors 'none'`,
/// which is what a JSON answer or a download needs.
struct SecurityHeadersMiddleware: RouterMiddleware {
    typealias Context = WebContext
    static let contentTypeOptions = HTTPField.Name("X-Content-Type-Options")!
    static let referrerPolicy = HTTPField.Name("Referrer-Policy")!
    static let frameOptions = HTTPField.Name("X-Frame-Options")!

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        var response = try await next(request, context)
        Self.apply(to: &response.headers)
        return response
    }

    static func apply(to headers: inout HTTPFields) {
        headers[contentTypeOptions] = "nosniff"
        let isScript = headers[.contentType].map { $0.hasPrefix("text/javascript") || $0.hasPrefix("text/css") } == true
        if !isScript || headers[.cacheControl] == nil { headers[.cacheControl] = "no-store" }
        if headers[referrerPolicy] == nil { headers[referrerPolicy] = "same-origin" }
        let policy = headers[.contentSecurityPolicy]
        if policy == nil { headers[.contentSecurityPolicy] = "default-src 'none'; frame-ancestors 'none'" }
        if headers[frameOptions] == nil {
            headers[frameOptions] = policy?.contains("frame-ancestors 'self'") == true ? "SAMEORIGIN" : "DENY"
        }
    }
}
