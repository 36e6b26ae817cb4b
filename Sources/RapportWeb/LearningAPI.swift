import Foundation
import Hummingbird
import RapportCore
import RapportStore

/// `/api/v1/feedback`, `/api/v1/themes`, `/api/v1/requests` and `/api/v1/hypotheses`.
struct LearningAPI: Sendable {
    let store: Store
    let account: AccountID

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
        let q = FormData(query: request)
        let errors = FieldErrors()
        let paging = PageQuery.read(q, defaultLimit: 500, maxLimit: 10_000, noun: "pieces of feedback", errors: errors)
        try errors.throwIfAny()
        var filter = try await FeedbackQuery.filter(q, store: store, account: account)
        (filter.limit, filter.offset) = (paging.fetch, paging.offset)
        return try JSONBody.response(PageBody(key: "feedback", page: paging.page(try await store.feedback.list(filter, as: account))))
    }

    static let feedbackKeys = ["text", "person", "conversation", "kind", "quote", "themes", "area", "severity", "secondhand"]

    @Sendable func addFeedback(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(FeedbackBody.self, from: request, context: context)
        var d = body.details
        d.person = try await store.people.resolve(body.person, as: account).id
        let added = try await store.feedback.add(d, as: account)
        return try JSONBody.created(added, at: "/api/v1/feedback/\(added.id)")
    }

    @Sendable func showFeedback(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.feedback.get(FeedbackID(try context.id(of: .feedback)), as: account))
    }

    @Sendable func updateFeedback(_ request: Request, context: WebContext) async throws -> Response {
        let id = FeedbackID(try context.id(of: .feedback))
        let body = try await JSONBody.decode(FeedbackPatchBody.self, from: request, context: context)
        let changed = try await store.feedback.update(id, as: account) { d in body.apply(to: &d) }
        return try JSONBody.response(changed)
    }

    @Sendable func deleteFeedback(_ request: Request, context: WebContext) async throws -> Response {
        try await store.feedback.delete(FeedbackID(try context.id(of: .feedback)), as: account)
        return Response(status: .noContent)
    }

    /// `{"feedback": [1, 2], "themes": ["slow exports"]}`: bulk tagging.
    @Sendable func tag(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(TagBody.self, from: request, context: context)
        let tagged = try await store.feedback.tag(body.feedback, themes: body.themes, as: account)
        return try JSONBody.response(PageBody(key: "feedback", page: ListPage(items: tagged, limit: max(tagged.count, 1), offset: 0, hasMore: false)))
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
        let name = try await JSONBody.decode(ThemeNameBody.self, from: request, context: context).name
        let renamed = try await store.themes.rename(try Self.theme(context), to: name, as: account)
        return try JSONBody.response(try await store.themes.show(renamed, as: account))
    }

    @Sendable func mergeTheme(_ request: Request, context: WebContext) async throws -> Response {
        let into = try await JSONBody.decode(ThemeMergeBody.self, from: request, context: context).into
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
        let body = try await JSONBody.decode(FeatureRequestBody.self, from: request, context: context)
        let added = try await store.requests.add(body.details, linking: body.feedback, as: account)
        return try JSONBody.created(added, at: "/api/v1/requests/\(added.id)")
    }

    @Sendable func showRequest(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.requests.get(FeatureRequestID(try context.id(of: .request)), as: account))
    }

    @Sendable func updateRequest(_ request: Request, context: WebContext) async throws -> Response {
        let id = FeatureRequestID(try context.id(of: .request))
        let patch = try await JSONBody.decode(FeatureRequestPatchBody.self, from: request, context: context).patch
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
        let ids = try await JSONBody.decode(LinkBody.self, from: request, context: context).feedback
        let changed = linking ? try await store.requests.link(id, feedback: ids, as: account)
                              : try await store.requests.unlink(id, feedback: ids, as: account)
        return try JSONBody.response(changed)
    }

    // MARK: Hypotheses

    @Sendable func listHypotheses(_ request: Request, context: WebContext) async throws -> Response {
        let found = try await store.hypotheses.list(as: account)
        return try JSONBody.response(HypothesisList(hypotheses: found, count: found.count))
    }

    @Sendable func addHypothesis(_ request: Request, context: WebContext) async throws -> Response {
        let details = try await JSONBody.decode(HypothesisBody.self, from: request, context: context).details
        let added = try await store.hypotheses.add(details, as: account)
        return try JSONBody.created(added, at: "/api/v1/hypotheses/\(added.id)")
    }

    @Sendable func showHypothesis(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.hypotheses.get(HypothesisID(try context.id(of: .hypothesis)), as: account))
    }

    @Sendable func updateHypothesis(_ request: Request, context: WebContext) async throws -> Response {
        let id = HypothesisID(try context.id(of: .hypothesis))
        let patch = try await JSONBody.decode(HypothesisPatchBody.self, from: request, context: context).patch
        return try JSONBody.response(try await store.hypotheses.update(id, with: patch, as: account))
    }

    /// `{"feedback": 12, "supports": true, "note": "…"}` or `{"conversation": 7, "supports": false}`.
    @Sendable func addEvidence(_ request: Request, context: WebContext) async throws -> Response {
        let id = HypothesisID(try context.id(of: .hypothesis))
        let body = try await JSONBody.decode(EvidenceBody.self, from: request, context: context)
        return try JSONBody.response(try await store.hypotheses.addEvidence(id, body.source, supports: body.supports, note: body.note, as: account),
                                     status: .created)
    }

    // MARK: Request bodies

    /// `POST /api/v1/feedback`: text, person (id, email or name) and kind required.
    struct FeedbackBody: RequestBody {
        static let keys = feedbackKeys
        /// Who said it, to resolve; `details.person` is set from it.
        var person: String
        var details: FeedbackDetails

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            person = read.reference("person", required: true) ?? ""
            let kind = read.choice("kind", FeedbackKind.self, required: true)
            details = FeedbackDetails(text: read.string("text", required: true) ?? "", person: PersonID(0), kind: kind ?? .pain)
            details.conversation = read.id("conversation").map(ConversationID.init)
            details.quote = read.bool("quote") ?? false
            details.themes = read.strings("themes") ?? []
            details.area = read.string("area", nullable: true)
            details.severity = read.integer("severity", in: 1...5)
            details.secondhand = read.bool("secondhand")
            try read.finish()
        }
    }

    /// `PATCH /api/v1/feedback/{id}`: what it names changes; `null` clears area and severity.
    struct FeedbackPatchBody: RequestBody {
        static let keys = feedbackKeys.filter { $0 != "person" && $0 != "conversation" }
        var text: String?, kind: FeedbackKind?, quote: Bool?, themes: [String]?, secondhand: Bool?
        var area: FieldChange<String>?
        var severity: FieldChange<Int>?

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            (text, kind, quote, themes, secondhand) = (read.string("text"), read.choice("kind", FeedbackKind.self), read.bool("quote"),
                                                       read.strings("themes"), read.bool("secondhand"))
            if read.has("area") { area = read.string("area", nullable: true).map(FieldChange.set) ?? .clear }
            if read.has("severity") { severity = read.integer("severity", in: 1...5).map(FieldChange.set) ?? .clear }
            try read.finish()
        }

        func apply(to d: inout FeedbackDetails) {
            if let text { d.text = text }
            if let kind { d.kind = kind }
            if let quote { d.quote = quote }
            if let themes { d.themes = themes }
            if let area { d.area = area.value }
            if let severity { d.severity = severity.value }
            if let secondhand { d.secondhand = secondhand }
        }
    }

    /// `POST /api/v1/feedback/tag`: `{"feedback": [1, 2], "themes": ["slow exports"]}`.
    struct TagBody: RequestBody {
        static let keys = ["feedback", "themes"]
        var feedback: [FeedbackID]
        var themes: [String]

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            feedback = (read.ids("feedback") ?? []).map(FeedbackID.init)
            themes = read.strings("themes") ?? []
            try read.finish()
        }
    }

    /// `PATCH /api/v1/themes/{theme}`: `{"name": "new name"}`.
    struct ThemeNameBody: RequestBody {
        static let keys = ["name"]
        var name: String

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            name = read.string("name", required: true) ?? ""
            try read.finish()
        }
    }

    /// `POST /api/v1/themes/{theme}/merge`: `{"into": "other theme"}`.
    struct ThemeMergeBody: RequestBody {
        static let keys = ["into"]
        var into: String

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            into = read.string("into", required: true) ?? ""
            try read.finish()
        }
    }

    /// `POST /api/v1/requests`: title required; impact and effort 1 to 5; feedback ids to link.
    struct FeatureRequestBody: RequestBody {
        static let keys = ["title", "problem", "area", "impact", "effort", "feedback"]
        var details: FeatureRequestDetails
        var feedback: [FeedbackID]

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            details = FeatureRequestDetails(title: read.string("title", required: true) ?? "", problem: read.string("problem", nullable: true),
                                            area: read.string("area", nullable: true),
                                            impact: read.integer("impact", in: 1...5), effort: read.integer("effort", in: 1...5))
            feedback = (read.ids("feedback") ?? []).map(FeedbackID.init)
            try read.finish()
        }
    }

    /// `PATCH /api/v1/requests/{id}`: merge patch; `null` clears problem, area, impact and effort.
    struct FeatureRequestPatchBody: RequestBody {
        static let keys = ["title", "problem", "area", "impact", "effort", "status"]
        var patch = FeatureRequestPatch()

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            func change<T>(_ key: String, _ value: T?) -> FieldChange<T>? { read.has(key) ? value.map(FieldChange.set) ?? .clear : nil }
            patch.title = read.string("title")
            patch.problem = change("problem", read.string("problem", nullable: true))
            patch.area = change("area", read.string("area", nullable: true))
            patch.impact = change("impact", read.integer("impact", in: 1...5))
            patch.effort = change("effort", read.integer("effort", in: 1...5))
            patch.status = read.choice("status", FeatureRequestStatus.self)
            try read.finish()
        }
    }

    /// `POST /api/v1/requests/{id}/links` and `/unlink`: `{"feedback": [12, 15]}`, at least one.
    struct LinkBody: RequestBody {
        static let keys = ["feedback"]
        var feedback: [FeedbackID]

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            let ids = read.ids("feedback") ?? []
            if ids.isEmpty && read.errors.isEmpty { read.fail("feedback", "give feedback ids, e.g. [12, 15]") }
            feedback = ids.map(FeedbackID.init)
            try read.finish()
        }
    }

    /// `POST /api/v1/hypotheses`: text required; personas by name; area.
    struct HypothesisBody: RequestBody {
        static let keys = ["text", "personas", "area"]
        var details: HypothesisDetails

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            details = HypothesisDetails(text: read.string("text", required: true) ?? "", personas: read.strings("personas") ?? [],
                                        area: read.string("area", nullable: true))
            try read.finish()
        }
    }

    /// `PATCH /api/v1/hypotheses/{id}`: text, area (`null` clears), personas (replaced), status.
    struct HypothesisPatchBody: RequestBody {
        static let keys = ["text", "area", "personas", "status"]
        var patch = HypothesisPatch()

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            patch.text = read.string("text")
            if read.has("area") { patch.area = read.string("area", nullable: true).map(FieldChange.set) ?? .clear }
            patch.personas = read.strings("personas")
            patch.status = read.choice("status", HypothesisStatus.self)
            try read.finish()
        }
    }

    /// `POST /api/v1/hypotheses/{id}/evidence`: `{"feedback": 12, "supports": true, "note": "…"}` or
    /// `{"conversation": 7, "supports": false}`: one source, never both.
    struct EvidenceBody: RequestBody {
        static let keys = ["feedback", "conversation", "supports", "note"]
        var source: EvidenceSource
        var supports: Bool
        var note: String?

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            let said = read.bool("supports")
            if said == nil && !read.has("supports") { read.fail("supports", "say true (it supports) or false (it contradicts)") }
            note = read.string("note")
            let feedback = read.id("feedback"), conversation = read.id("conversation")
            if feedback != nil && conversation != nil {
                read.fail("feedback", "give a feedback id or a conversation id, not both")
            } else if feedback == nil && conversation == nil && [read.has("feedback") && !read.isNull("feedback"),
                                                                   read.has("conversation") && !read.isNull("conversation")] == [false, false] {
                read.fail("feedback", "give the feedback id (or the conversation id) the evidence comes from, e.g. \"feedback\": 12")
            }
            try read.finish()
            source = feedback.map { .feedback(FeedbackID($0)) } ?? .conversation(ConversationID(conversation ?? 0))
            supports = said ?? true
        }
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
