import Foundation
import Hummingbird
import NIOCore
import RapportCore
import RapportStore

/// The question bank page (with the lint inline) and one question's edit page.
struct QuestionPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>) {
        router.get("/questions", use: list)
        router.post("/questions", use: create)
        router.post("/questions/lint", use: check)
        router.get("/questions/:id", use: show)
        router.post("/questions/:id", use: update)
        router.post("/questions/:id/retire", use: retire)
        router.get("assets/guides.js", use: script)
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        try await bank(request, context: context, draft: QuestionDraft())
    }

    /// The bank, with the add form holding `draft` (what was typed, its lint and errors).
    func bank(_ request: Request, context: WebContext, draft: QuestionDraft, status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = FormData(query: request)
        let showRetired = q["retired"] == "1"
        let tag = q["tag"].trimmed.lowercased()
        let lint = try await store.settings.get(as: account).questionLint
        let all = try await store.questions.list(QuestionFilter(includeRetired: showRetired), as: account)
        let tags = Array(Set(all.flatMap(\.tags))).sorted()
        let shown = tag.isEmpty ? all : all.filter { $0.tags.contains(tag) }
        let view = QuestionBankView(
            csrf: context.csrfToken, draft: draft.view,
            rows: shown.map { QuestionRowView($0, lint: lint) }, count: shown.count,
            tags: [Choice(value: "", label: "All tags", selected: tag.isEmpty)] + tags.map { Choice(value: $0, label: $0, selected: $0 == tag) },
            showRetired: showRetired, jargon: lint.jargon.isEmpty ? nil : lint.jargon.joined(separator: ", "))
        return pages.render("questions", view, status: status)
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        var draft = QuestionDraft(text: form["text"], tags: form["tags"])
        do {
            let question = try await store.questions.add(QuestionDetails(text: draft.text, tags: Self.tags(draft.tags)), as: account)
            return Pages.redirect("/questions?added=\(question.id)#q\(question.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            draft.errors = PeoplePages.errorsByField(error)
            draft.flags = try await flags(draft.text)
            return try await bank(request, context: context, draft: draft, status: .unprocessableContent)
        }
    }

    /// "Check wording" without JavaScript: the page again, with the lint under the text.
    @Sendable func check(_ request: Request, context: WebContext) async throws -> Response {
        var draft = QuestionDraft(text: context.form["text"], tags: context.form["tags"])
        draft.flags = try await flags(draft.text)
        draft.checked = !draft.text.trimmed.isEmpty
        return try await bank(request, context: context, draft: draft)
    }

    func flags(_ text: String) async throws -> [FlagView] {
        guard !text.trimmed.isEmpty else { return [] }
        return try await store.settings.get(as: account).questionLint.check(text).map(FlagView.init)
    }

    static func tags(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        let question = try await find(context)
        return try await page(question, context: context, draft: QuestionDraft(text: question.text, tags: question.tags.joined(separator: ", ")))
    }

    func page(_ question: Question, context: WebContext, draft: QuestionDraft, status: HTTPResponse.Status = .ok) async throws -> Response {
        var draft = draft
        if draft.flags.isEmpty { draft.flags = try await flags(draft.text) }
        draft.checked = true
        let guides = try await store.guides.list(as: account).filter { $0.questions.contains { $0.id == question.id } }
        let view = QuestionPageView(
            csrf: context.csrfToken, id: question.id.description, text: question.text, retired: question.retired,
            row: QuestionRowView(question, lint: QuestionLint()), draft: draft.view,
            guides: guides.map { GuideLink(id: $0.id.description, name: $0.name) }, inGuides: !guides.isEmpty)
        return pages.render("question", view, status: status)
    }

    @Sendable func update(_ request: Request, context: WebContext) async throws -> Response {
        let question = try await find(context)
        var draft = QuestionDraft(text: context.form["text"], tags: context.form["tags"])
        let (text, tags) = (draft.text, Self.tags(draft.tags))
        do {
            _ = try await store.questions.update(question.id, as: account) { $0 = QuestionDetails(text: text, tags: tags) }
            return Pages.redirect("/questions/\(question.id)?saved=1")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            draft.errors = PeoplePages.errorsByField(error)
            return try await page(question, context: context, draft: draft, status: .unprocessableContent)
        }
    }

    @Sendable func retire(_ request: Request, context: WebContext) async throws -> Response {
        let question = try await find(context)
        _ = try await store.questions.setRetired(question.id, context.form["undo"] != "1", as: account)
        return Pages.redirect("/questions/\(question.id)")
    }

    func find(_ context: WebContext) async throws -> Question {
        try await store.questions.get(QuestionID(try context.id(of: .question)), as: account)
    }

    @Sendable func script(_ request: Request, context: WebContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(string: GuideScript.source)))
    }
}

/// What was typed into a question form, and what the lint and the rules said.
struct QuestionDraft {
    var text = ""
    var tags = ""
    var flags: [FlagView] = []
    var errors: [String: String] = [:]
    /// The lint ran on this text (so "looks open" may be said).
    var checked = false

    /// The draft for the template (stored properties only: Mustache reads them by reflection).
    var view: DraftView {
        DraftView(text: text, tags: tags, flags: flags, hasFlags: !flags.isEmpty, looksOpen: checked && flags.isEmpty && errors.isEmpty,
                  textError: errors["text"], tagError: errors["tag"], hasErrors: !errors.isEmpty)
    }
}

struct DraftView {
    var text: String
    var tags: String
    var flags: [FlagView]
    var hasFlags: Bool
    var looksOpen: Bool
    var textError: String?
    var tagError: String?
    var hasErrors: Bool
}

struct FlagView {
    var rule: String
    var trigger: String
    var why: String
    var suggestion: String

    init(_ flag: LintFlag) {
        rule = flag.rule.rawValue
        trigger = flag.trigger
        why = flag.why
        suggestion = flag.suggestion
    }
}

struct QuestionRowView {
    var id: String
    var text: String
    var tags: [String]
    var retired: Bool
    var asked: Int
    var longAnswers: Int
    var longPercent: String
    var flags: [FlagView]
    var hasFlags: Bool

    init(_ q: Question, lint: QuestionLint) {
        id = q.id.description
        text = q.text
        tags = q.tags
        retired = q.retired
        asked = q.usage.asked
        longAnswers = q.usage.longAnswers
        longPercent = q.usage.longPercent.map { "\($0)%" } ?? "–"
        flags = lint.check(q.text).map(FlagView.init)
        hasFlags = !flags.isEmpty
    }
}

struct QuestionBankView {
    var chrome = Chrome(questions: true)
    var csrf: String
    var draft: DraftView
    var rows: [QuestionRowView]
    var count: Int
    var tags: [Choice]
    var showRetired: Bool
    /// Nil without a list: Mustache treats an empty string as present.
    var jargon: String?
}

struct GuideLink {
    var id: String
    var name: String
}

struct QuestionPageView {
    var chrome = Chrome(questions: true)
    var csrf: String
    var id: String
    var text: String
    var retired: Bool
    var row: QuestionRowView
    var draft: DraftView
    var guides: [GuideLink]
    var inGuides: Bool
}
