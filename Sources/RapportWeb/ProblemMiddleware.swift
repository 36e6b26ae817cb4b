import Foundation
import HTTPTypes
import Hummingbird
import Logging
import RapportCore

/// Turns errors into `application/problem+json` for the API and into a plain page elsewhere.
struct ErrorMiddleware: RouterMiddleware {
    typealias Context = WebContext
    let pages: Pages

    func handle(_ request: Request, context: WebContext, next: (Request, WebContext) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = Self.problem(for: error)
            if problem.status >= 500 {
                context.logger.error("request failed", metadata: ["path": "\(request.uri.path)", "error": "\(String(describing: error).prefix(300))"])
            }
            if request.isAPI { return try problem.response() }
            let view = MessageView(heading: problem.title, message: problem.detail)
            return pages.render("message", view, status: HTTPResponse.Status(code: problem.status))
        }
    }

    static func problem(for error: any Error) -> Problem {
        switch error {
        case let error as RapportError:
            switch error {
            case .notFound:
                return Problem(status: .notFound, title: "Not found", detail: error.message)
            case .ambiguous:
                return Problem(status: .conflict, title: "Ambiguous reference", detail: error.message)
            case .invalid(let fields):
                return Problem(status: .unprocessableContent, title: "Invalid input", detail: error.message,
                               errors: fields.map { .init(field: $0.field, message: $0.message) })
            case .conflict(let field, let message):
                return Problem(status: .conflict, title: "Conflict", detail: error.message, errors: [.init(field: field, message: message)])
            case .duplicate(let match):
                let hint = match.canAddAnyway
                    ? "see them at /api/v1/people/\(match.person.id), merge the two later, or send \"allowDuplicate\": true to add anyway"
                    : "an email belongs to one person; update #\(match.person.id) instead, or leave the email out"
                var problem = Problem(status: .conflict, title: "Already in your circle", detail: error.message + "; " + hint,
                                      errors: error.fieldErrors.map { .init(field: $0.field, message: $0.message) })
                problem.existing = .init(match)
                return problem
            case .storage:
                return Problem(status: .internalServerError, title: "Storage error", detail: "the database could not complete the request; nothing was changed")
            }
        case let error as DecodingError:
            return Problem(status: .badRequest, title: "Malformed JSON", detail: JSONBody.describe(error),
                           errors: JSONBody.field(of: error).map { [.init(field: $0, message: JSONBody.describe(error))] })
        case let error as HTTPError:
            return Problem(status: error.status, title: error.status.reasonPhrase, detail: error.body ?? error.status.reasonPhrase)
        default:
            return Problem(status: .internalServerError, title: "Internal error", detail: "something went wrong; nothing was changed")
        }
    }
}

struct MessageView {
    var chrome = Chrome()
    var heading: String
    var message: String
}
