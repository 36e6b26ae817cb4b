import Foundation
import Hummingbird
import RapportCore
import RapportStore

/// `/api/v1/feedback`, `/api/v1/themes`, `/api/v1/requests` and `/api/v1/hypotheses`.
struct LearningAPI: Sendable {
    let store: Store
    let account: AccountID

    struct FeedbackList: Encodable { var feedback: [Feedback]; var count: Int }
    struct ThemeList: Encodable { var themes: [ThemeSummary]; var count: Int }
    struct RequestList: Encodable { var requests: [FeatureRequest]; var count: Int; var formula: String }
    struct HypothesisList: Encodable { var hypotheses: [Hypothesis]; var count: Int }

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("feedback", use: listFeedback)
        group.post("feedback", use: addFeedback)
        group.post("feedback/tag", use: tag)
        group.get("feedback/:id", use: showFeedback)
        group.patch("feedback/:id", use: updateFeedback)
        group.delete("feedback/:id", use: deleteFeedback)
        group.get("themes", use: listThemes)
        group.get("themes/:theme", use: showTheme)
        group.patch("themes/:theme", use: renameTheme)
        group.post("themes/:theme/merge", use: mergeTheme)
        group.get("requests", use: listRequests)
        group.post("requests", use: addRequest)
        group.get("requests/:id", use: showRequest)
        group.patch("requests/:id", use: updateRequest)
        group.post("requests/:id/links", use: link)
        group.post("requests/:id/unlink", use: unlink)
        group.get("hypotheses", use: listHypotheses)
        group.post("hypotheses", use: addHypothesis)
        group.get("hypotheses/:id", use: showHypothesis)
        group.patch("hypotheses/:id", use: updateHypothesis)
        group.post("hypotheses/:id/evidence", use: addEvidence)
    }

    // MARK: Feedback

    @Sendable func listFeedback(_ request: Request, context: WebContext) async throws -> Response {
        let filter = try await FeedbackQuery.filter(FormData(query: request), store: store, account: account)
        let found = try await store.feedback.list(filter, as: account)
        return try JSONBody.response(FeedbackList(feedback: found, count: found.count))
    }

    static let feedbackKeys = ["text", "person", "conversation", "kind", "quote", "themes", "area", "severity", "secondhand"]

    @Sendable func addFeedback(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: Self.feedbackKeys)
        var read = BodyReader(body)
        let person = read.reference("person", required: true)
        let kind = read.choice("kind", FeedbackKind.self, required: true)
        let text = read.string("text", required: true) ?? ""
        let conversation = read.id("conversation")
        let (quote, themes, area, severity, secondhand) = (read.bool("quote"), read.strings("themes"), read.string("area", nullable: true), read.integer("severity", in: 1...5), read.bool("secondhand"))
        try read.finish()
        let who = try await store.people.resolve(person ?? "", as: account)
        var d = FeedbackDetails(text: text, person: who.id, kind: kind ?? .pain)
        d.conversation = conversation.map(ConversationID.init)
        d.quote = quote ?? false
        d.themes = themes ?? []
        d.area = area
        d.severity = severity
        d.secondhand = secondhand
        let added = try await store.feedback.add(d, as: account)
        return try JSONBody.created(added, at: "/api/v1/feedback/\(added.id)")
    }

    @Sendable func showFeedback(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.feedback.get(FeedbackID(try context.id(of: .feedback)), as: account))
    }

    @Sendable func updateFeedback(_ request: Request, context: WebContext) async throws -> Response {
        let id = FeedbackID(try context.id(of: .feedback))
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: Self.feedbackKeys.filter { $0 != "person" && $0 != "conversation" })
        var read = BodyReader(body)
        let text = read.string("text")
        let kind = read.choice("kind", FeedbackKind.self)
        let (quote, themes, area, secondhand) = (read.bool("quote"), read.strings("themes"), read.string("area", nullable: true), read.bool("secondhand"))
        let severity: Int?? = body.keys.contains("severity") ? .some(read.integer("severity", in: 1...5)) : .none
        let hasArea = body.keys.contains("area")
        try read.finish()
        let changed = try await store.feedback.update(id, as: account) { d in
            if let text { d.text = text }
            if let kind { d.kind = kind }
            if let quote { d.quote = quote }
            if let themes { d.themes = themes }
            if hasArea { d.area = area }
            if let severity { d.severity = severity }
            if let secondhand { d.secondhand = secondhand }
        }
        return try JSONBody.response(changed)
    }

    @Sendable func deleteFeedback(_ request: Request, context: WebContext) async throws -> Response {
        try await store.feedback.delete(FeedbackID(try context.id(of: .feedback)), as: account)
        return Response(status: .noContent)
    }

    /// `{"feedback": [1, 2], "themes": ["slow exports"]}`: bulk tagging.
    @Sendable func tag(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["feedback", "themes"])
        var read = BodyReader(body)
        let ids = read.ids("feedback") ?? []
        let themes = read.strings("themes") ?? []
        try read.finish()
        let tagged = try await store.feedback.tag(ids.map(FeedbackID.init), themes: themes, as: account)
        return try JSONBody.response(FeedbackList(feedback: tagged, count: tagged.count))
    }

    // MARK: Themes

    @Sendable func listThemes(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let clock = try await store.clock(as: account)
        let errors = FieldErrors()
        let (since, until) = try clock.bounds(since: q.has("since") ? q["since"] : nil, until: q.has("until") ? q["until"] : nil, errors: errors)
        let weeks = q.has("weeks") ? Int(q["weeks"]).flatMap { (1...26).contains($0) ? $0 : nil } : 4
        if weeks == nil { errors.append("weeks", "give a number of weeks from 1 to 26") }
        try errors.throwIfAny()
        let themes = try await store.themes.list(since: since, until: until, weeks: weeks ?? 4, as: account)
        return try JSONBody.response(ThemeList(themes: themes, count: themes.count))
    }

    @Sendable func showTheme(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.themes.show(try Self.theme(context), as: account))
    }

    @Sendable func renameTheme(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["name"])
        var read = BodyReader(body)
        let name = read.string("name", required: true) ?? ""
        try read.finish()
        let renamed = try await store.themes.rename(try Self.theme(context), to: name, as: account)
        return try JSONBody.response(try await store.themes.show(renamed, as: account))
    }

    @Sendable func mergeTheme(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["into"])
        var read = BodyReader(body)
        let into = read.string("into", required: true) ?? ""
        try read.finish()
        return try JSONBody.response(try await store.themes.merge(try Self.theme(context), into: into, as: account))
    }

    static func theme(_ context: WebContext) throws -> String {
        let raw = (context.parameters.get("theme") ?? "").removingPercentEncoding ?? ""
        guard !raw.trimmed.isEmpty else { throw RapportError.invalid("theme", "name a theme") }
        return raw
    }

    // MARK: Requests

    @Sendable func listRequests(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let errors = FieldErrors()
        let sort = q.has("sort") ? FeatureRequestSort(rawValue: q["sort"]) : .priority
        if sort == nil { errors.append("sort", "use priority, evidence or recent") }
        let status = q.has("status") ? FeatureRequestStatus(rawValue: q["status"]) : nil
        if q.has("status") && status == nil { errors.append("status", "use one of \(FeatureRequestStatus.allCases.map(\.rawValue).joined(separator: ", "))") }
        try errors.throwIfAny()
        let found = try await store.requests.list(sort: sort ?? .priority, status: status, as: account)
        return try JSONBody.response(RequestList(requests: found, count: found.count, formula: Priority.formula))
    }

    @Sendable func addRequest(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["title", "problem", "area", "impact", "effort", "feedback"])
        var read = BodyReader(body)
        let details = FeatureRequestDetails(title: read.string("title", required: true) ?? "", problem: read.string("problem", nullable: true), area: read.string("area", nullable: true),
                                            impact: read.integer("impact", in: 1...5), effort: read.integer("effort", in: 1...5))
        let feedback = read.ids("feedback") ?? []
        try read.finish()
        var added = try await store.requests.add(details, as: account)
        if !feedback.isEmpty { added = try await store.requests.link(added.id, feedback: feedback.map(FeedbackID.init), as: account) }
        return try JSONBody.created(added, at: "/api/v1/requests/\(added.id)")
    }

    @Sendable func showRequest(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.requests.get(FeatureRequestID(try context.id(of: .request)), as: account))
    }

    @Sendable func updateRequest(_ request: Request, context: WebContext) async throws -> Response {
        let id = FeatureRequestID(try context.id(of: .request))
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["title", "problem", "area", "impact", "effort", "status"])
        var read = BodyReader(body)
        let (title, problem, area) = (read.string("title"), read.string("problem", nullable: true), read.string("area", nullable: true))
        let status = read.choice("status", FeatureRequestStatus.self)
        let keys = Set(body.keys)
        let (impact, effort) = (read.integer("impact", in: 1...5), read.integer("effort", in: 1...5))
        try read.finish()
        func change<T>(_ key: String, _ value: T?) -> FieldChange<T>? { keys.contains(key) ? value.map(FieldChange.set) ?? .clear : nil }
        var patch = FeatureRequestPatch()
        patch.title = title
        patch.problem = change("problem", problem)
        patch.area = change("area", area)
        patch.impact = change("impact", impact)
        patch.effort = change("effort", effort)
        patch.status = status
        return try JSONBody.response(try await store.requests.update(id, with: patch, as: account))
    }

    @Sendable func link(_ request: Request, context: WebContext) async throws -> Response {
        try await links(request, context: context, linking: true)
    }

    @Sendable func unlink(_ request: Request, context: WebContext) async throws -> Response {
        try await links(request, context: context, linking: false)
    }

    func links(_ request: Request, context: WebContext, linking: Bool) async throws -> Response {
        let id = FeatureRequestID(try context.id(of: .request))
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["feedback"])
        var read = BodyReader(body)
        let ids = read.ids("feedback") ?? []
        if ids.isEmpty { read.errors.append("feedback", "give feedback ids, e.g. [12, 15]") }
        try read.finish()
        let changed = linking ? try await store.requests.link(id, feedback: ids.map(FeedbackID.init), as: account)
                              : try await store.requests.unlink(id, feedback: ids.map(FeedbackID.init), as: account)
        return try JSONBody.response(changed)
    }

    // MARK: Hypotheses

    @Sendable func listHypotheses(_ request: Request, context: WebContext) async throws -> Response {
        let found = try await store.hypotheses.list(as: account)
        return try JSONBody.response(HypothesisList(hypotheses: found, count: found.count))
    }

    @Sendable func addHypothesis(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["text", "personas", "area"])
        var read = BodyReader(body)
        let details = HypothesisDetails(text: read.string("text", required: true) ?? "", personas: read.strings("personas") ?? [], area: read.string("area", nullable: true))
        try read.finish()
        let added = try await store.hypotheses.add(details, as: account)
        return try JSONBody.created(added, at: "/api/v1/hypotheses/\(added.id)")
    }

    @Sendable func showHypothesis(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.hypotheses.get(HypothesisID(try context.id(of: .hypothesis)), as: account))
    }

    @Sendable func updateHypothesis(_ request: Request, context: WebContext) async throws -> Response {
        let id = HypothesisID(try context.id(of: .hypothesis))
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["text", "area", "personas", "status"])
        var read = BodyReader(body)
        var patch = HypothesisPatch()
        patch.text = read.string("text")
        if body.keys.contains("area") { patch.area = read.string("area", nullable: true).map(FieldChange.set) ?? .clear }
        patch.personas = read.strings("personas")
        patch.status = read.choice("status", HypothesisStatus.self)
        try read.finish()
        return try JSONBody.response(try await store.hypotheses.update(id, with: patch, as: account))
    }

    /// `{"feedback": 12, "supports": true, "note": "…"}` or `{"conversation": 7, "supports": false}`.
    @Sendable func addEvidence(_ request: Request, context: WebContext) async throws -> Response {
        let id = HypothesisID(try context.id(of: .hypothesis))
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["feedback", "conversation", "supports", "note"])
        var read = BodyReader(body)
        let supports = read.bool("supports")
        if supports == nil { read.errors.append("supports", "say true (it supports) or false (it contradicts)") }
        let note = read.string("note")
        let feedback = read.id("feedback"), conversation = read.id("conversation")
        if (feedback == nil) == (conversation == nil) { read.errors.append("feedback", "give a feedback id or a conversation id, not both") }
        try read.finish()
        let source: EvidenceSource = feedback.map { .feedback(FeedbackID($0)) } ?? .conversation(ConversationID(conversation ?? 0))
        return try JSONBody.response(try await store.hypotheses.addEvidence(id, source, supports: supports ?? true, note: note, as: account), status: .created)
    }
}

/// The feedback filters of a query string (inbox page and API alike), with errors that name the field.
enum FeedbackQuery {
    static func filter(_ q: FormData, store: Store, account: AccountID) async throws -> FeedbackFilter {
        var filter = FeedbackFilter()
        let errors = FieldErrors()
        let clock = try await store.clock(as: account)
        if !q["kind"].isEmpty {
            if let kind = FeedbackKind(rawValue: q["kind"]) { filter.kind = kind } else {
                errors.append("kind", "\"\(q["kind"])\" is not a kind; use one of \(FeedbackKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        for (key, path) in [("theme", \FeedbackFilter.theme), ("area", \.area), ("company", \.company), ("persona", \.persona)] where !q[key].trimmed.isEmpty {
            filter[keyPath: path] = q[key]
        }
        (filter.since, filter.until) = try clock.bounds(since: q["since"].nilIfEmpty, until: q["until"].nilIfEmpty, errors: errors)
        filter.quotesOnly = try q.flag("quotes") ?? false
        if !q["conversation"].isEmpty {
            if let id = Int64(q["conversation"]) { filter.conversation = ConversationID(id) } else { errors.append("conversation", "give a conversation id") }
        }
        try errors.throwIfAny()
        if !q["person"].trimmed.isEmpty { filter.person = try await store.people.resolve(q["person"], as: account).id }
        return filter
    }
}
