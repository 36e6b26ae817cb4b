import Foundation
import Hummingbird
import RapportCore
import RapportStore

/// `/companies`: each company's industry and whether reports may name it; `GET /api/v1/companies` and
/// `PATCH /api/v1/companies/{name}` (`{"industry": "logistics", "shareable": true}`).
struct CompanyPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    struct Row {
        var name: String
        var industry: String
        var shareable: Bool
        var people: String
        var csrf: String
        var error: String?
        /// How an anonymised report names it.
        var shown: String
    }

    struct View {
        var chrome = Chrome(companies: true)
        var rows: [Row]
        var empty: Bool
        var saved: String?
    }

    func addRoutes(to router: Router<WebContext>, api: RouterGroup<WebContext>) {
        router.get("/companies", use: page)
        router.post("/companies", use: save)
        api.get("companies", use: list)
        api.patch("companies/{company}", use: patch)
    }

    func render(csrf: String, saved: String? = nil, typed: (name: String, industry: String, error: String)? = nil) async throws -> Response {
        let companies = try await store.companies.list(as: account)
        let rows = companies.map { c in
            let mine = typed.map { $0.name.lowercased() == c.name.lowercased() } ?? false
            return Row(name: c.name, industry: mine ? typed?.industry ?? "" : c.industry ?? "", shareable: c.shareable, people: "\(c.people) \(c.people == 1 ? "person" : "people")", csrf: csrf,
                       error: mine ? typed?.error : nil,
                       shown: ReportNames.company(c.name, industry: c.industry, shareable: c.shareable, stage: .customer, named: false))
        }
        return pages.render("companies", View(rows: rows, empty: rows.isEmpty, saved: saved), status: typed == nil ? .ok : .unprocessableContent)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let saved = FormData(query: request)["saved"]
        return try await render(csrf: context.csrfToken, saved: saved.isEmpty ? nil : saved)
    }

    /// One form per company: `name`, `industry`, `shareable` (a ticked box).
    @Sendable func save(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        do {
            let info = try await store.companies.set(form["name"], industry: form["industry"], shareable: form.has("shareable"), as: account)
            return Pages.redirect("/companies?saved=" + Pages.urlComponent(info.name))
        } catch let error as RapportError {
            let message = error.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            return try await render(csrf: context.csrfToken, typed: (form["name"], form["industry"], message))
        }
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let companies = try await store.companies.list(as: account)
        return try JSONBody.response(["companies": companies])
    }

    @Sendable func patch(_ request: Request, context: WebContext) async throws -> Response {
        let name = (context.parameters.get("company") ?? "").removingPercentEncoding ?? ""
        let body = try await JSONBody.decode(CompanyPatchBody.self, from: request, context: context)
        return try JSONBody.response(try await store.companies.set(name, industry: body.industry, shareable: body.shareable, as: account))
    }

    /// `PATCH /api/v1/companies/{name}`: `{"industry": "logistics" | null, "shareable": true}`; null or "" clears the industry.
    struct CompanyPatchBody: RequestBody {
        static let keys = ["industry", "shareable"]
        var industry: String?
        var shareable: Bool?

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            industry = read.isNull("industry") ? "" : read.string("industry")
            shareable = read.bool("shareable")
            try read.finish()
        }
    }
}
