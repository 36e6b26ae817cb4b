import Foundation
import Hummingbird
import RapportCore
import RapportStore

/// The feedback inbox (filters, add, bulk tag and link), themes with a weekly chart, the requests board and
/// hypotheses with their evidence.
struct LearningPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>) {
        router.get("/feedback", use: inbox)
        router.post("/feedback", use: addFeedback)
        router.post("/feedback/bulk", use: bulk)
        router.get("/feedback/:id", use: feedbackPage)
        router.post("/feedback/:id", use: updateFeedback)
        router.get("/themes", use: themes)
        router.get("/themes/:theme", use: theme)
        router.post("/themes/:theme", use: changeTheme)
        router.get("/requests", use: requests)
        router.post("/requests", use: addRequest)
        router.get("/requests/:id", use: request)
        router.post("/requests/:id", use: updateRequest)
        router.get("/hypotheses", use: hypotheses)
        router.post("/hypotheses", use: addHypothesis)
        router.get("/hypotheses/:id", use: hypothesis)
        router.post("/hypotheses/:id", use: updateHypothesis)
    }

    // MARK: Feedback

    @Sendable func inbox(_ request: Request, context: WebContext) async throws -> Response {
        try await inboxPage(request, context: context, form: FormData(), errors: [:])
    }

    func inboxPage(_ request: Request, context: WebContext, form: FormData, errors: [String: String], notice: String? = nil,
                   status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = FormData(query: request)
        var filterErrors: [String: String] = [:]
        var filter = FeedbackFilter()
        do { filter = try await FeedbackQuery.filter(q, store: store, account: account) } catch let error as RapportError where !error.fieldErrors.isEmpty {
            filterErrors = PeoplePages.errorsByField(error)
        }
        let clock = try await store.clock(as: account)
        let paging = PageQuery.clamped(q, limit: InboxView.pageSize)
        (filter.limit, filter.offset) = (paging.fetch, paging.offset)
        let page = paging.page(try await store.feedback.list(filter, as: account))
        let found = page.items
        let themes = try await store.themes.allNames(as: account)
        let requests = try await store.requests.list(sort: .recent, as: account)
        let people = try await store.people.list(PersonFilter(limit: 5_000), as: account)
        let view = InboxView(
            csrf: context.csrfToken, rows: found.map { FeedbackRowView($0, zone: clock.zone) }, count: found.count,
            kinds: [Choice(value: "", label: "Any kind", selected: q["kind"].isEmpty)] + FeedbackKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: q["kind"] == $0.rawValue) },
            newKinds: FeedbackKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: (form["kind"].isEmpty ? "pain" : form["kind"]) == $0.rawValue) },
            themes: [Choice(value: "", label: "Any theme", selected: q["theme"].isEmpty)] + themes.map { Choice(value: $0, label: $0, selected: Themes.key($0) == Themes.key(q["theme"])) },
            requests: requests.map { Choice(value: $0.id.description, label: "#\($0.id) \($0.title)", selected: false) }, hasRequests: !requests.isEmpty,
            people: people.map { PeoplePickerOption(value: "\($0.name) (#\($0.id))", label: $0.details.company ?? "") },
            query: FilterValues(person: q["person"], persona: q["persona"], area: q["area"], company: q["company"], since: q["since"], until: q["until"], quotes: q["quotes"] == "1"),
            filterError: filterErrors.values.sorted().joined(separator: " ").nilIfEmpty,
            text: form["text"], from: form["from"], themesText: form["themes"], quote: form["quote"] == "1",
            errorText: errors.values.sorted().joined(separator: " ").nilIfEmpty, notice: notice ?? q["notice"].nilIfEmpty,
            pager: Pager(page, path: "/feedback", query: q, keys: ["kind", "theme", "person", "persona", "area", "company", "since", "until", "quotes"]).ifAny)
        return pages.render("feedback", view, status: status)
    }

    @Sendable func addFeedback(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        do {
            let errors = FieldErrors()
            let kind = FeedbackKind(rawValue: form["kind"]) ?? { errors.append("kind", "choose a kind"); return .pain }()
            let person = try await errors.check { try await store.people.resolve(ConversationForm.references(form["from"]).first ?? "", as: account) }
            let severity = form["severity"].isEmpty ? nil : Int(form["severity"])
            if !form["severity"].isEmpty && severity == nil { errors.append("severity", "give 1 to 5") }
            try errors.throwIfAny()
            var d = FeedbackDetails(text: form["text"], person: person?.id ?? PersonID(0), kind: kind)
            d.quote = form["quote"] == "1"
            d.themes = form["themes"].split(separator: ",").map(String.init)
            d.area = form["area"]
            d.severity = severity
            if let c = Int64(form["conversation"]) { d.conversation = ConversationID(c) }
            let added = try await store.feedback.add(d, as: account)
            if let c = added.conversation, form["return"] == "conversation" { return Pages.redirect("/conversations/\(c)#feedback") }
            return Pages.redirect("/feedback?notice=" + Pages.urlComponent("Added feedback #\(added.id)"))
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            if let c = Int64(form["conversation"]), form["return"] == "conversation" {
                return Pages.plain(.unprocessableContent, "Nothing was saved: " + error.fieldErrors.map { "\($0.field): \($0.message)" }.joined(separator: " ") + "\nGo back to conversation #\(c) and fix it.")
            }
            return try await inboxPage(request, context: context, form: form, errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    /// Tag the ticked feedback with a theme, or link it to a request.
    @Sendable func bulk(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        let ids = form.all("ids").compactMap(Int64.init).map(FeedbackID.init)
        do {
            let notice: String
            if form["action"] == "link" {
                guard let rid = Int64(form["request"]) else { throw RapportError.invalid("request", "choose a request to link to") }
                if ids.isEmpty { throw RapportError.invalid("feedback", "tick the feedback to link") }
                let r = try await store.requests.link(FeatureRequestID(rid), feedback: ids, as: account)
                notice = "Linked \(ids.count) to request #\(r.id) (\(r.title)): evidence \(r.evidence.mentions) mentions from \(r.evidence.distinctPeople) people"
            } else {
                let tagged = try await store.feedback.tag(ids, themes: form["theme"].split(separator: ",").map(String.init), as: account)
                notice = "Tagged \(tagged.count) with \(form["theme"].trimmed)"
            }
            return Pages.redirect("/feedback?notice=" + Pages.urlComponent(notice))
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await inboxPage(request, context: context, form: FormData(), errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    @Sendable func feedbackPage(_ request: Request, context: WebContext) async throws -> Response {
        let f = try await store.feedback.get(FeedbackID(try context.id(of: .feedback)), as: account)
        return try await editPage(f, context: context, form: nil, errors: [:])
    }

    func editPage(_ f: Feedback, context: WebContext, form: FormData?, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let clock = try await store.clock(as: account)
        let requests = try await store.requests.linking(f.id, as: account)
        let kind = form?["kind"] ?? f.kind.rawValue
        let view = FeedbackEditView(
            csrf: context.csrfToken, row: FeedbackRowView(f, zone: clock.zone), text: form?["text"] ?? f.text,
            kinds: FeedbackKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0.rawValue == kind) },
            themes: form?["themes"] ?? f.themes.joined(separator: ", "), area: form?["area"] ?? f.area ?? "",
            severity: form?["severity"] ?? f.severity.map(String.init) ?? "", quote: form.map { $0["quote"] == "1" } ?? f.quote,
            secondhand: form.map { $0["secondhand"] == "1" } ?? f.secondhand,
            requests: requests.map { GuideLink(id: $0.id.description, name: $0.title) },
            errorText: errors.values.sorted().joined(separator: " ").nilIfEmpty)
        return pages.render("feedback_edit", view, status: status)
    }

    @Sendable func updateFeedback(_ request: Request, context: WebContext) async throws -> Response {
        let id = FeedbackID(try context.id(of: .feedback))
        let form = context.form
        if form["action"] == "delete" {
            guard form["confirm"] == "1" else {
                return try await editPage(try await store.feedback.get(id, as: account), context: context, form: nil,
                                          errors: ["confirm": "tick the box to confirm: deleting cannot be undone"], status: .unprocessableContent)
            }
            try await store.feedback.delete(id, as: account)
            return Pages.redirect("/feedback?notice=" + Pages.urlComponent("Deleted feedback #\(id)"))
        }
        do {
            let kind = FeedbackKind(rawValue: form["kind"])
            let severity = form["severity"].trimmed.isEmpty ? nil : Int(form["severity"].trimmed)
            if !form["severity"].trimmed.isEmpty && severity == nil { throw RapportError.invalid("severity", "give 1 (minor) to 5 (blocking)") }
            let (text, themes, area, quote, secondhand) = (form["text"], form["themes"].split(separator: ",").map(String.init), form["area"],
                                                           form["quote"] == "1", form["secondhand"] == "1")
            _ = try await store.feedback.update(id, as: account) { d in
                d.text = text
                if let kind { d.kind = kind }
                d.themes = themes
                d.area = area
                d.severity = severity
                d.quote = quote
                d.secondhand = secondhand
            }
            return Pages.redirect("/feedback/\(id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await editPage(try await store.feedback.get(id, as: account), context: context, form: form,
                                      errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    // MARK: Themes

    @Sendable func themes(_ request: Request, context: WebContext) async throws -> Response {
        let all = try await store.themes.list(as: account)
        let view = ThemesView(rows: all.map(ThemeRowView.init), count: all.count)
        return pages.render("themes", view)
    }

    @Sendable func theme(_ request: Request, context: WebContext) async throws -> Response {
        let name = (context.parameters.get("theme") ?? "").removingPercentEncoding ?? ""
        let detail = try await store.themes.show(name, as: account)
        let clock = try await store.clock(as: account)
        let view = ThemeView(csrf: context.csrfToken, others: try await store.themes.allNames(as: account).filter { $0 != detail.summary.name },
                             summary: ThemeRowView(detail.summary), chart: WeeklyChart.svg(detail.weekly, title: "Mentions of \(detail.summary.name) per week"),
                             weeks: detail.weekly.map { WeekRow(week: $0.week.description, count: $0.count) },
                             personas: detail.summary.personas.map { PersonaShare(persona: $0.persona, count: $0.count) },
                             hasPersonas: !detail.summary.personas.isEmpty,
                             feedback: detail.feedback.map { FeedbackRowView($0, zone: clock.zone) })
        return pages.render("theme", view)
    }

    /// Rename or merge, from the theme's page.
    @Sendable func changeTheme(_ request: Request, context: WebContext) async throws -> Response {
        let name = (context.parameters.get("theme") ?? "").removingPercentEncoding ?? ""
        let form = context.form
        let target: String
        if form["action"] == "merge" {
            target = try await store.themes.merge(name, into: form["into"], as: account).summary.name
        } else {
            target = try await store.themes.rename(name, to: form["name"], as: account)
        }
        return Pages.redirect("/themes/" + Pages.urlComponent(target))
    }

    // MARK: Requests

    @Sendable func requests(_ request: Request, context: WebContext) async throws -> Response {
        try await board(request, context: context, errors: [:])
    }

    func board(_ request: Request, context: WebContext, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let sort = FeatureRequestSort(rawValue: FormData(query: request)["sort"]) ?? .priority
        let all = try await store.requests.list(sort: sort, as: account)
        let view = RequestsView(csrf: context.csrfToken, rows: all.map(RequestRowView.init), count: all.count, formula: Priority.formula,
                                sorts: FeatureRequestSort.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == sort) },
                                errorText: errors.values.sorted().joined(separator: " ").nilIfEmpty)
        return pages.render("requests", view, status: status)
    }

    @Sendable func addRequest(_ request: Request, context: WebContext) async throws -> Response {
        do {
            let r = try await store.requests.add(FeatureRequestDetails(title: context.form["title"], problem: context.form["problem"], area: context.form["area"]), as: account)
            return Pages.redirect("/requests/\(r.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await board(request, context: context, errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    @Sendable func request(_ request: Request, context: WebContext) async throws -> Response {
        try await requestPage(try await store.requests.get(FeatureRequestID(try context.id(of: .request)), as: account), context: context, errors: [:])
    }

    func requestPage(_ r: FeatureRequest, context: WebContext, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let clock = try await store.clock(as: account)
        let settings = clock.settings
        var mails: [String: String] = [:]
        if r.status == .shipped {
            for asker in r.askers {
                guard let person = try? await store.people.get(asker.person.id, as: account), person.doNotContact == nil,
                      let email = person.mailableEmail?.value else { continue }
                let (subject, body) = RequestNotice.render(
                    subject: settings.value("requests.notify-subject") ?? "", body: settings.value("requests.notify-body") ?? RequestNotice.defaultBody,
                    request: r, person: person, product: settings.value("product"), sender: settings.value("sender.name"))
                var components = URLComponents()
                components.scheme = "mailto"
                components.path = email
                components.queryItems = [URLQueryItem(name: "subject", value: subject), URLQueryItem(name: "body", value: body)]
                mails[asker.person.id.description] = components.string
            }
        }
        let view = RequestView(
            csrf: context.csrfToken, row: RequestRowView(r), problem: r.problem,
            statuses: FeatureRequestStatus.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == r.status) },
            impact: r.impact.map(String.init) ?? "", effort: r.effort.map(String.init) ?? "",
            askers: r.askers.map { AskerView(id: $0.person.id.description, name: $0.person.name, company: $0.company,
                                              told: $0.notifiedAt.map { CalendarDay($0, in: clock.zone).description }, mailto: mails[$0.person.id.description]) },
            shipped: r.status == .shipped,
            firstHeard: r.evidence.firstHeard.map { CalendarDay($0, in: clock.zone).description }, lastHeard: r.evidence.lastHeard.map { CalendarDay($0, in: clock.zone).description },
            personas: r.evidence.personas.map { PersonaShare(persona: $0.persona, count: $0.count) },
            feedback: r.feedback.map { FeedbackRowView($0, zone: clock.zone) }, formula: Priority.formula,
            errorText: errors.values.sorted().joined(separator: " ").nilIfEmpty)
        return pages.render("request", view, status: status)
    }

    @Sendable func updateRequest(_ request: Request, context: WebContext) async throws -> Response {
        let id = FeatureRequestID(try context.id(of: .request))
        let form = context.form
        do {
            switch form["action"] {
            case "status":
                guard let status = FeatureRequestStatus(rawValue: form["status"]) else { throw RapportError.invalid("status", "choose a status") }
                _ = try await store.requests.setStatus(id, status, as: account)
            case "score":
                var patch = FeatureRequestPatch()
                patch.impact = Int(form["impact"]).map(FieldChange.set) ?? .clear
                patch.effort = Int(form["effort"]).map(FieldChange.set) ?? .clear
                _ = try await store.requests.update(id, with: patch, as: account)
            case "link":
                let ids = form["feedback"].split { $0 == "," || $0 == " " }.compactMap { Int64($0.trimmingPrefix("#")) }
                if ids.isEmpty { throw RapportError.invalid("feedback", "give feedback ids, e.g. 12, 15") }
                _ = try await store.requests.link(id, feedback: ids.map(FeedbackID.init), as: account)
            case "told":
                guard let person = Int64(form["person"]) else { throw RapportError.invalid("person", "say who was told") }
                _ = try await store.requests.recordNotified(id, people: [PersonID(person)], as: account)
            case "unlink":
                _ = try await store.requests.unlink(id, feedback: [FeedbackID(Int64(form["feedback"]) ?? 0)], as: account)
            default:
                throw RapportError.invalid("action", "use status, score, link or unlink")
            }
            return Pages.redirect("/requests/\(id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await requestPage(try await store.requests.get(id, as: account), context: context, errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    // MARK: Hypotheses

    @Sendable func hypotheses(_ request: Request, context: WebContext) async throws -> Response {
        try await hypothesesPage(context: context, errors: [:])
    }

    func hypothesesPage(context: WebContext, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let all = try await store.hypotheses.list(as: account)
        let personas = try await store.personas.list(as: account)
        let view = HypothesesView(csrf: context.csrfToken, rows: all.map(HypothesisRowView.init), count: all.count,
                                  personas: personas.map { Choice(value: $0.name, label: $0.name, selected: false) },
                                  errorText: errors.values.sorted().joined(separator: " ").nilIfEmpty)
        return pages.render("hypotheses", view, status: status)
    }

    @Sendable func addHypothesis(_ request: Request, context: WebContext) async throws -> Response {
        do {
            let h = try await store.hypotheses.add(HypothesisDetails(text: context.form["text"], personas: context.form.all("personas"), area: context.form["area"]), as: account)
            return Pages.redirect("/hypotheses/\(h.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await hypothesesPage(context: context, errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    @Sendable func hypothesis(_ request: Request, context: WebContext) async throws -> Response {
        try await hypothesisPage(try await store.hypotheses.get(HypothesisID(try context.id(of: .hypothesis)), as: account), context: context, errors: [:])
    }

    func hypothesisPage(_ h: Hypothesis, context: WebContext, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let clock = try await store.clock(as: account)
        let rows = h.evidence.map { EvidenceRowView($0, zone: clock.zone) }
        let view = HypothesisView(csrf: context.csrfToken, row: HypothesisRowView(h),
                                  statuses: HypothesisStatus.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: $0 == h.status) },
                                  supporting: rows.filter(\.supports), contradicting: rows.filter { !$0.supports },
                                  errorText: errors.values.sorted().joined(separator: " ").nilIfEmpty)
        return pages.render("hypothesis", view, status: status)
    }

    @Sendable func updateHypothesis(_ request: Request, context: WebContext) async throws -> Response {
        let id = HypothesisID(try context.id(of: .hypothesis))
        let form = context.form
        do {
            if form["action"] == "status" {
                guard let status = HypothesisStatus(rawValue: form["status"]) else { throw RapportError.invalid("status", "choose a status") }
                _ = try await store.hypotheses.setStatus(id, status, as: account)
            } else {
                _ = try await store.hypotheses.addEvidence(id, try EvidenceSource.parse(form["source"]), supports: form["supports"] != "0", note: form["note"], as: account)
            }
            return Pages.redirect("/hypotheses/\(id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await hypothesisPage(try await store.hypotheses.get(id, as: account), context: context, errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }
}
