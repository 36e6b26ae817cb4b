import Foundation
import Hummingbird
import RapportCore
import RapportFormats
import RapportStore

/// What a report request asks for, read the same way by the page and the API:
/// `period` (week, month, range), `week` (2026-W47), `month` (2026-11), `since`/`until`, `format`, `names`,
/// `persona` and `theme` (repeatable).
struct ReportQuery: Sendable {
    var period: String
    var week: String
    var month: String
    var since: String
    var until: String
    var format: ReportFormat
    var named: Bool
    var personas: [String]
    var themes: [String]

    /// Reads `form`; an unknown format or period throws naming the field.
    init(_ form: FormData) throws {
        week = form["week"].trimmed
        month = form["month"].trimmed
        since = form["since"].trimmed
        until = form["until"].trimmed
        let typed = form["period"].trimmed.lowercased()
        if typed.isEmpty {
            period = !since.isEmpty || !until.isEmpty ? "range" : !month.isEmpty ? "month" : "week"
        } else if ["week", "month", "range"].contains(typed) {
            period = typed
        } else {
            throw RapportError.invalid("period", "\"\(form["period"])\" is not a period; choose week, month or range")
        }
        format = form["format"].trimmed.isEmpty ? .markdown : try ReportFormat.parse(form["format"])
        let names = form["names"].lowercased()
        guard ["", "0", "1", "true", "false", "on", "off", "yes", "no"].contains(names) else {
            throw RapportError.invalid("names", "\"\(form["names"].prefix(40))\" is not yes or no; give 1 to name people, 0 (or leave it out) to anonymise")
        }
        named = ["1", "true", "on", "yes"].contains(names)
        personas = form.all("persona").map { $0.trimmed }.filter { !$0.isEmpty }
        themes = form.all("theme").map { $0.trimmed }.filter { !$0.isEmpty }
    }

    var choice: ReportPeriodChoice {
        switch period {
        case "month": .month(month.nilIfEmpty)
        case "range": .range(since: since.nilIfEmpty, until: until.nilIfEmpty)
        default: .week(week.nilIfEmpty)
        }
    }

    func build(_ store: Store, as account: AccountID) async throws -> Report {
        try await store.reports.build(choice, named: named, personas: personas, themes: themes, as: account)
    }

    /// The same choices as a query string, for the preview and download links.
    var queryString: String {
        pairs.map { "\($0.0)=\(Pages.urlComponent($0.1))" }.joined(separator: "&")
    }

    /// The choices as name and value pairs.
    var pairs: [(String, String)] {
        var pairs = [("period", period), ("format", format.rawValue)]
        if !week.isEmpty { pairs.append(("week", week)) }
        if !month.isEmpty { pairs.append(("month", month)) }
        if !since.isEmpty { pairs.append(("since", since)) }
        if !until.isEmpty { pairs.append(("until", until)) }
        if named { pairs.append(("names", "1")) }
        pairs += personas.map { ("persona", $0) } + themes.map { ("theme", $0) }
        return pairs
    }

    /// The report as a response in the chosen format; `download` adds a file name to save it under.
    static func response(_ report: Report, format: ReportFormat, download: Bool) throws -> Response {
        // nosniff and no-store come from SecurityHeadersMiddleware, like every answer's.
        var headers: HTTPFields = [.contentType: format.contentType, .init("Referrer-Policy")!: "no-referrer"]
        // A report page runs only its own inline style (and the slides' script), fetches nothing, and may be framed
        // only by Rapport's own reports page.
        headers[.contentSecurityPolicy] = "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:; frame-ancestors 'self'"
        if download { headers[.contentDisposition] = "attachment; filename=\"\(format.fileName(for: report))\"" }
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: try format.render(report))))
    }
}

/// `/reports`: choose a period, filters, format and names; see a preview; download it or post it to Slack.
/// `GET /api/v1/reports` gives the same reports to other tools.
struct ReportPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    struct Choice {
        var value: String
        var label: String
        var selected: Bool
    }

    struct View {
        var chrome = Chrome(reports: true)
        var csrf: String
        var periods: [Choice]
        var week: String
        var month: String
        var since: String
        var until: String
        var formats: [Choice]
        var named: Bool
        var personas: [Choice]
        var themes: [Choice]
        var hasThemes: Bool
        var errorText: String?
        var errorField: String?
        var title: String?
        var summary: String?
        /// Text formats are shown in the page; HTML and slides in a frame.
        var text: String?
        var frame: String?
        var download: String?
        var canPost: Bool
        var posted: String?
        /// The choices again, as hidden fields of the "Post to Slack" form.
        var hidden: [Hidden] = []
    }

    struct Hidden {
        var name: String
        var value: String
    }

    func addRoutes(to router: Router<WebContext>, api: RouterGroup<WebContext>) {
        router.get("/reports", use: page)
        router.get("/reports/view", use: view)
        router.get("/reports/download", use: download)
        router.post("/reports/post", use: post)
        api.get("reports", use: apiReport)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let form = FormData(query: request)
        return try await render(form, csrf: context.csrfToken, preview: form.has("format") || form.has("period"))
    }

    /// The page with the choices in `form`; with `preview`, the report below them (or what is wrong).
    func render(_ form: FormData, csrf: String, preview: Bool, posted: String? = nil, failure: RapportError? = nil) async throws -> Response {
        let clock = try await store.clock(as: account)
        let personas = try await store.personas.list(as: account).map(\.name)
        let themes = try await store.themes.allNames(as: account)
        var query: ReportQuery?
        var error = failure
        do { query = try ReportQuery(form) } catch let e as RapportError { error = e }
        let chosenPersonas = Set((query?.personas ?? []).map(\.matchingKey)), chosenThemes = Set((query?.themes ?? []).map(\.matchingKey))
        let lastWeek = ISOWeek(clock.today).adding(weeks: -1)
        var view = View(
            csrf: csrf,
            periods: [("week", "A week"), ("month", "A month"), ("range", "From … to …")].map {
                Choice(value: $0.0, label: $0.1, selected: (query?.period ?? "week") == $0.0)
            },
            week: query?.week.nilIfEmpty ?? lastWeek.description, month: query?.month ?? "", since: query?.since ?? "", until: query?.until ?? "",
            formats: ReportFormat.allCases.map { Choice(value: $0.rawValue, label: Self.label($0), selected: (query?.format ?? .markdown) == $0) },
            named: query?.named ?? false,
            personas: personas.map { Choice(value: $0, label: $0, selected: chosenPersonas.contains($0.matchingKey)) },
            themes: themes.map { Choice(value: $0, label: $0, selected: chosenThemes.contains($0.matchingKey)) }, hasThemes: !themes.isEmpty,
            canPost: clock.settings.value("slack.webhook") != nil, posted: posted)
        if preview, let query, error == nil {
            do {
                let report = try await query.build(store, as: account)
                view.title = report.title
                view.summary = report.highlights.joined(separator: " · ")
                view.hidden = query.pairs.map { Hidden(name: $0.0, value: $0.1) }
                view.download = "/reports/download?" + query.queryString
                switch query.format {
                case .html, .slides: view.frame = "/reports/view?" + query.queryString
                default: view.text = try query.format.render(report)
                }
            } catch let e as RapportError { error = e }
        }
        if let error {
            view.errorText = error.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: "; ")
            view.errorField = error.fieldErrors.first?.field
        }
        return pages.render("reports", view, status: error == nil ? .ok : .unprocessableContent)
    }

    static func label(_ format: ReportFormat) -> String {
        switch format {
        case .markdown: "Markdown (wiki, docs)"
        case .html: "Web page (prints to PDF)"
        case .slack: "Slack message (Block Kit)"
        case .slides: "Slides"
        case .json: "JSON (other tools)"
        }
    }

    /// The report by itself (for the preview frame, or to open in a tab).
    @Sendable func view(_ request: Request, context: WebContext) async throws -> Response {
        let query = try ReportQuery(FormData(query: request))
        return try ReportQuery.response(try await query.build(store, as: account), format: query.format, download: false)
    }

    @Sendable func download(_ request: Request, context: WebContext) async throws -> Response {
        let query = try ReportQuery(FormData(query: request))
        return try ReportQuery.response(try await query.build(store, as: account), format: query.format, download: true)
    }

    /// Sends the report as a Slack message to the webhook in settings, and shows Slack's answer.
    @Sendable func post(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        do {
            let query = try ReportQuery(form)
            guard let webhook = try await store.clock(as: account).settings.value("slack.webhook") else {
                throw RapportError.invalid("slack.webhook", "no webhook set; add Slack's incoming-webhook URL under Settings")
            }
            let report = try await query.build(store, as: account)
            let answer = try await SlackWebhook.post(try ReportSlack.json(report), to: webhook)
            return try await render(form, csrf: context.csrfToken, preview: true,
                                    posted: "Posted to Slack: Slack answered \(answer.status) \(answer.body)")
        } catch let error as RapportError {
            return try await render(form, csrf: context.csrfToken, preview: true, failure: error)
        }
    }

    /// `GET /api/v1/reports?week=2026-W47&format=json&names=false&persona=…&theme=…` (JSON unless another format is asked).
    @Sendable func apiReport(_ request: Request, context: WebContext) async throws -> Response {
        let form = FormData(query: request)
        var query = try ReportQuery(form)
        if !form.has("format") { query.format = .json }
        return try ReportQuery.response(try await query.build(store, as: account), format: query.format, download: try form.flag("download") ?? false)
    }
}
