import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RapportCore

/// Turns errors into `application/problem+json` for the API and into a plain page elsewhere.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: Pages
    let routes: RouteTable

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        // An API query parameter is given with a value or left out: `?since=` is refused, never read as "no filter",
        // so a script's missing variable is said, not silently widened.
        if request.isAPI, let empty = FormData(query: request).pairs.first(where: { $0.1.isEmpty }) {
            let field = String(empty.0.prefix(60))
            return try Problem(status: .unprocessableContent, kind: "invalid-input", title: "Invalid input",
                               detail: "\(field): is empty; give a value or leave it out",
                               errors: [.init(field: field, message: "is empty; give a value or leave it out")]).response()
        }
        do {
            return try await next(request, context)
        } catch let error as HTTPError where error.status == .notFound && error.body == nil {
            // No route matched: a path served with other methods is 405 with Allow; any other is 404.
            let allowed = routes.methods(for: request.uri.path)
            let problem = allowed.isEmpty
                ? Problem(status: .notFound, title: "Not found", detail: "there is nothing at \(request.uri.path.prefix(200))" + (request.isAPI ? "; see /api/v1/openapi.yaml" : ""))
                : Problem(status: .methodNotAllowed, title: "Method not allowed",
                          detail: "\(request.uri.path.prefix(200)) answers \(allowed.joined(separator: ", ")), not \(request.method.rawValue.prefix(20))")
            var response = try answer(problem, to: request)
            if !allowed.isEmpty { response.headers[.allow] = allowed.joined(separator: ", ") }
            return response
        } catch let error as RapportError where Self.namesMissingSubject(error, captures: routes.captures(for: request.uri.path)) {
            // The thing the address names does not exist (`/api/v1/guides/Nope`): 404, in the store's own words.
            let problem = Problem(status: .notFound, kind: "not-found", title: "Not found", detail: error.message,
                                  errors: error.fieldErrors.map { .init(field: $0.field, message: $0.message) })
            return try answer(problem, to: request)
        } catch {
            let problem = Self.problem(for: error)
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: error).prefix(300))"])
            }
            return try answer(problem, to: request)
        }
    }

    /// `problem` as the API's problem+json, or as a page for a browser.
    func answer(_ problem: Problem, to request: Request) throws -> Response {
        if request.isAPI { return try problem.response() }
        return pages.render("message", MessageView(heading: problem.title, message: problem.detail), status: HTTPResponse.Status(code: problem.status))
    }

    /// Whether `error` is the store saying that what a path capture names (`guide`, `theme`, `company`) is not
    /// there: one field error, on that capture, of the "no … " kind.
    static func namesMissingSubject(_ error: RapportError, captures: [String]) -> Bool {
        guard case .invalid(let fields) = error, fields.count == 1, captures.contains(fields[0].field) else { return false }
        return fields[0].message.hasPrefix("no ")
    }

    static func problem(for error: any Error) -> Problem {
        switch error {
        case let error as RapportError:
            switch error {
            case .notFound:
                return Problem(status: .notFound, kind: "not-found", title: "Not found", detail: error.message)
            case .ambiguous:
                return Problem(status: .conflict, kind: "ambiguous", title: "Ambiguous reference", detail: error.message)
            case .invalid(let fields):
                return Problem(status: .unprocessableContent, kind: "invalid-input", title: "Invalid input", detail: error.message,
                               errors: fields.map { .init(field: $0.field, message: $0.message) })
            case .conflict(let field, let message):
                return Problem(status: .conflict, kind: "conflict", title: "Conflict", detail: error.message, errors: [.init(field: field, message: message)])
            case .duplicate(let match):
                let hint = match.canAddAnyway
                    ? "see them at /api/v1/people/\(match.person.id), merge the two later, or send \"allowDuplicate\": true to add anyway"
                    : "an email belongs to one person; update #\(match.person.id) instead, or leave the email out"
                var problem = Problem(status: .conflict, kind: "duplicate", title: "Already in your circle", detail: error.message + "; " + hint,
                                      errors: error.fieldErrors.map { .init(field: $0.field, message: $0.message) })
                problem.existing = .init(match)
                return problem
            case .storage:
                return Problem(status: .internalServerError, kind: "storage", title: "Storage error", detail: "the database could not complete the request; nothing was changed")
            }
        case let error as MalformedJSON:
            return Problem(status: .badRequest, kind: "malformed-json", title: "Malformed JSON", detail: error.message)
        case let error as DecodingError:
            return Problem(status: .badRequest, kind: "malformed-json", title: "Malformed JSON", detail: JSONBody.describe(error),
                           errors: JSONBody.field(of: error).map { [.init(field: $0, message: JSONBody.problem(of: error))] })
        case let error as HTTPError:
            return Problem(status: error.status, kind: Problem.kind(of: error.status), title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
        case let error as any HTTPResponseError where error.status == .contentTooLarge:
            // `collectBody(upTo:)` throws NIOTooManyBytesError: every route answers 413, never 500.
            return Problem(status: .contentTooLarge, kind: "too-large", title: "Content too large",
                           detail: "the body is over 1 MiB; send less at once (a large file goes through the Import page or `rapport import`)")
        case let error as any HTTPResponseError:
            return Problem(status: error.status, kind: Problem.kind(of: error.status), title: error.status.reasonPhrase, detail: error.status.reasonPhrase)
        default:
            return Problem(status: .internalServerError, kind: "internal", title: "Internal error", detail: "something went wrong; nothing was changed")
        }
    }
}

struct MessageView {
    var chrome = Chrome()
    var heading: String
    var message: String
}
