import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore
import RapportCore

/// The Mustache templates, loaded once at start-up, and the HTML responses made from them.
struct Pages: Sendable {
    let library: MustacheLibrary

    static func load() async throws -> Pages {
        let folder = try WebResources.folder().appendingPathComponent("templates").path
        let library = try await MustacheLibrary(directory: folder)
        guard library.getTemplate(named: "layout") != nil else {
            throw RapportError.storage("the page templates are missing from \(folder); rebuild with `swift build`")
        }
        return Pages(library: library)
    }

    /// Renders `template` with `view` as a full HTML page.
    func render(_ template: String, _ view: Any, status: HTTPResponse.Status = .ok) -> Response {
        guard let html = library.render(TemplateValues.of(view) ?? view, withTemplate: template) else {
            return Self.plain(.internalServerError, "The page \(template) could not be drawn.")
        }
        return Self.html(html, status: status)
    }

    static func html(_ html: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(
            status: status,
            headers: [.contentType: "text/html; charset=utf-8", .contentSecurityPolicy: "default-src 'self'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'"],
            body: .init(byteBuffer: ByteBuffer(string: html)))
    }

    static func plain(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "text/plain; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(string: text + "\n")))
    }

    /// Text as one URL path segment or query value: all but ASCII letters, digits and - . _ ~ percent-encoded.
    static func urlComponent(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }

    static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    static func redirect(_ location: String) -> Response {
        Response(status: .seeOther, headers: [.location: location])
    }
}

/// Which navigation entry is current.
struct Chrome {
    var people = false
    var newPerson = false
    var personas = false
    var log = false
    var due = false
    var conversations = false
    var settings = false
    var plan = false
    var funnel = false
    var campaigns = false
    var questions = false
    var guides = false
    var feedback = false
    var themes = false
    var requests = false
    var hypotheses = false
    var dashboard = false
    var goals = false
    var reports = false
    var companies = false
    var importExport = false
}

/// An RFC 9457 problem, the body of every API error.
struct Problem: Codable, Sendable {
    struct FieldProblem: Codable, Sendable {
        var field: String
        var message: String
    }

    /// The person a new one would repeat (a 409 on adding a person).
    struct ExistingPerson: Codable, Sendable {
        var id: Int64
        var name: String
        var href: String
        var basis: [DuplicateBasis]
        var canAddAnyway: Bool

        init(_ match: DuplicateMatch) {
            id = match.person.id.rawValue
            name = match.person.name
            href = "/api/v1/people/\(match.person.id)"
            basis = match.basis
            canAddAnyway = match.canAddAnyway
        }
    }

    /// A stable URI per kind of error (RFC 9457 section 3.1.1), `urn:rapport:problem:KIND`: `not-found`,
    /// `ambiguous`, `invalid-input`, `conflict`, `duplicate`, `storage`, `malformed-json`, `too-large`,
    /// `method-not-allowed`, `forbidden`, `internal`, or `http-CODE` for any other status.
    var type: String
    var title: String
    var status: Int
    var detail: String
    var errors: [FieldProblem]?
    var existing: ExistingPerson?

    init(status: HTTPResponse.Status, kind: String? = nil, title: String, detail: String, errors: [FieldProblem]? = nil) {
        self.type = "urn:rapport:problem:" + (kind ?? Self.kind(of: status))
        self.status = Int(status.code)
        self.title = title
        self.detail = Self.brief(detail, limit: 2_000)
        // Each error names a field and quotes what was sent: cut long ones, and say how many more past the first 50.
        var briefed = errors?.prefix(50).map { FieldProblem(field: Self.brief($0.field, limit: 200), message: Self.brief($0.message, limit: 600)) }
        if let errors, errors.count > 50 { briefed?.append(FieldProblem(field: "body", message: "and \(errors.count - 50) more mistakes like these")) }
        self.errors = briefed
    }

    /// `text` when it is short; else its start and its end around an ellipsis, so a problem that quotes what was sent
    /// (a 200,000-character name) stays small and still ends with what to do.
    static func brief(_ text: String, limit: Int) -> String {
        guard text.count > limit else { return text }
        let half = (limit - 3) / 2
        return String(text.prefix(half)) + " … " + String(text.suffix(half))
    }

    /// The kind for a status with no more specific one.
    static func kind(of status: HTTPResponse.Status) -> String {
        switch status {
        case .notFound: return "not-found"
        case .methodNotAllowed: return "method-not-allowed"
        case .forbidden: return "forbidden"
        case .contentTooLarge: return "too-large"
        case .badRequest: return "bad-request"
        default: return "http-\(status.code)"
        }
    }

    func response() throws -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Response(
            status: HTTPResponse.Status(code: status),
            headers: [.contentType: "application/problem+json"],
            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(self))))
    }
}

/// Finds the web resources (templates, OpenAPI document) in the built bundle, whose layout differs by platform.
enum WebResources {
    static func folder() throws -> URL {
        let bundle = Bundle.module
        let candidates = [bundle.resourceURL, bundle.resourceURL?.appendingPathComponent("Resources"),
                          bundle.bundleURL.appendingPathComponent("Resources")].compactMap { $0 }
        for candidate in candidates where FileManager.default.fileExists(atPath: candidate.appendingPathComponent("openapi.yaml").path) {
            return candidate
        }
        throw RapportError.storage("the web resources are missing from the build (looked in \(candidates.map(\.path).joined(separator: ", "))); rebuild with `swift build`")
    }
}

/// Mustache renders a section for any value but `false`, nil and an empty list, so a count guarding a section
/// (`{{#overdueCount}}<h2>Overdue ({{overdueCount}})</h2>…`) showed "Overdue (0)" over an empty table, and an empty
/// state (`{{^count}}No themes yet{{/count}}`) never showed. Here 0 is Mustache's null: a section of a count shows
/// only when there is something to count. A number still renders as its digits.
extension Int: @retroactive MustacheCustomRenderable {
    public var renderText: String { String(self) }
    public var isNull: Bool { self == 0 }
}
