import Synchronization
import Foundation
import Hummingbird
import Logging
import NIOCore
import RapportCore
import RapportStore

/// How the web app is served.
public struct WebConfiguration: Sendable {
    public var host: String
    public var port: Int

    public init(host: String = "127.0.0.1", port: Int = 8080) {
        self.host = host
        self.port = port
    }

    /// Names that reach this machine only.
    public static let loopbackHosts: Set<String> = ["127.0.0.1", "localhost", "::1"]

    /// Refuses any address but loopback: without a login, anyone on the network could read the list.
    public func checkPrivate() throws {
        guard Self.loopbackHosts.contains(host.lowercased()) else {
            throw RapportError.invalid(
                "host", "Rapport only listens on 127.0.0.1 until login exists (a later release); \"\(host)\" would show your private list to the network. Use --host 127.0.0.1")
        }
    }
}

/// Builds the web app over `store`, acting as `account`. The CLI's `serve` and the tests both call this.
public func buildApplication(
    configuration: WebConfiguration, store: Store, account: AccountID, logger: Logger = Logger(label: "rapport.web"),
    onServerRunning: @escaping @Sendable (any NIOCore.Channel) async -> Void = { _ in }
) async throws -> some ApplicationProtocol {
    try configuration.checkPrivate()
    let router = try await buildRouter(store: store, account: account)
    return Application(
        router: router,
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "Rapport"),
        onServerRunning: onServerRunning,
        logger: logger)
}

/// The routes: HTML pages at `/`, JSON at `/api/v1`.
public func buildRouter(store: Store, account: AccountID) async throws -> Router<WebContext> {
    let pages = try await Pages.load()
    // HEAD is answered wherever GET is (RFC 9110, 9.3.2): the GET's status and headers, no body.
    let router = Router(context: WebContext.self, options: .autoGenerateHeadEndpoints)
    // The test client sends no Host; a browser always does, and it must name this machine.
    router.add(middleware: SecurityHeadersMiddleware())
    let routeTable = RouteTable()
    router.add(middleware: CSRFMiddleware(allowedHosts: WebConfiguration.loopbackHosts, secret: try await store.settings.formSecret(as: account),
                                          routes: routeTable))
    router.add(middleware: ErrorMiddleware(pages: pages, routes: routeTable))
    let people = PeoplePages(store: store, account: account, pages: pages)
    people.addRoutes(to: router)
    ConversationPages(store: store, account: account, pages: pages, people: people).addRoutes(to: router)
    PersonaPages(store: store, account: account, pages: pages, now: store.now).addRoutes(to: router)
    let api = router.group("api/v1")
    PeopleAPI(store: store, account: account, now: store.now).addRoutes(to: api)
    PersonasAPI(store: store, account: account).addRoutes(to: api)
    ConversationsAPI(store: store, account: account).addRoutes(to: api)
    OutreachAPI(store: store, account: account).addRoutes(to: api)
    OutreachPages(store: store, account: account, pages: pages).addRoutes(to: router)
    CampaignPages(store: store, account: account, pages: pages).addRoutes(to: router)
    QuestionPages(store: store, account: account, pages: pages).addRoutes(to: router)
    GuidePages(store: store, account: account, pages: pages).addRoutes(to: router)
    GuidesAPI(store: store, account: account).addRoutes(to: api)
    LearningAPI(store: store, account: account).addRoutes(to: api)
    LearningPages(store: store, account: account, pages: pages).addRoutes(to: router)
    DashboardPages(store: store, account: account, pages: pages).addRoutes(to: router, api: api)
    SettingsPages(store: store, account: account, pages: pages).addRoutes(to: router, api: api)
    ReportPages(store: store, account: account, pages: pages).addRoutes(to: router, api: api)
    CompanyPages(store: store, account: account, pages: pages).addRoutes(to: router, api: api)
    ImportPages(store: store, account: account, pages: pages).addRoutes(to: router, api: api)
    ExportPages(store: store, account: account, pages: pages).addRoutes(to: router, api: api)
    let script = try String(contentsOf: WebResources.folder().appendingPathComponent("static/rapport.js"), encoding: .utf8)
    router.get("/assets/rapport.js") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(string: script)))
    }
    // Every style of the pages lives here: the CSP allows no inline style, so an attribute slipped into a page
    // (a note's link, once) can lay nothing over it.
    let styles = try String(contentsOf: WebResources.folder().appendingPathComponent("static/rapport.css"), encoding: .utf8)
    router.get("/assets/rapport.css") { _, _ in
        Response(status: .ok, headers: [.contentType: "text/css; charset=utf-8", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(string: styles)))
    }
    let openAPI = try OpenAPIDocument.load()
    api.get("openapi.yaml") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/yaml"], body: .init(byteBuffer: ByteBuffer(string: openAPI)))
    }
    routeTable.set(router.routes.map { ($0.method, $0.path.description) })
    return router
}

/// Every route's method and path pattern (`/api/v1/people/:id`), read once the router is built, so a request for
/// a path that exists with another method answers 405 with `Allow` (RFC 9110, 15.5.6) instead of 404.
final class RouteTable: Sendable {
    private let entries = Mutex<[(method: HTTPRequest.Method, segments: [Substring])]>([])

    func set(_ routes: [(HTTPRequest.Method, String)]) {
        entries.withLock { $0 = routes.map { ($0.0, $0.1.split(separator: "/")) } }
    }

    /// The names of the captures in the route `path` matches (`["guide"]` for `/api/v1/guides/Onboarding`).
    func captures(for path: String) -> [String] {
        guard let best = best(for: path).first else { return [] }
        return best.segments.compactMap { segment in
            if segment.hasPrefix(":") { return String(segment.dropFirst()) }
            if segment.hasPrefix("{") { return String(segment.dropFirst().dropLast()) }
            return nil
        }
    }

    /// The methods `path` is served with, sorted; empty when no route has this shape.
    func methods(for path: String) -> [String] {
        var methods = Set(best(for: path).map(\.method.rawValue))
        if methods.contains("GET") { methods.insert("HEAD") }  // made by .autoGenerateHeadEndpoints
        return methods.sorted()
    }

    /// The routes `path` matches, the most literal first as the router chooses.
    private func best(for path: String) -> [(method: HTTPRequest.Method, segments: [Substring])] {
        let parts = path.split(separator: "/")
        func isCapture(_ pattern: Substring) -> Bool { pattern.hasPrefix(":") || pattern.hasPrefix("{") || pattern == "*" }
        let matching = entries.withLock { entries in
            entries.filter { entry in
                entry.segments.count == parts.count && zip(entry.segments, parts).allSatisfy { pattern, part in isCapture(pattern) || pattern == part }
            }
        }
        // As the router does, a literal segment wins over a capture: `/feedback/tag` is not `/feedback/:id`.
        let rank = { (segments: [Substring]) in segments.map { isCapture($0) ? "1" : "0" }.joined() }
        guard let best = matching.map({ rank($0.segments) }).min() else { return [] }
        return matching.filter { rank($0.segments) == best }
    }
}

/// The OpenAPI 3.1 document that describes `/api/v1`.
public enum OpenAPIDocument {
    public static func load() throws -> String {
        try String(contentsOf: WebResources.folder().appendingPathComponent("openapi.yaml"), encoding: .utf8)
    }
}
