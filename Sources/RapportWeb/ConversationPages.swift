import Foundation
import HTTPTypes
import Hummingbird
import RapportCore
import RapportStore

/// The HTML pages for conversations, follow-ups and the due list.
struct ConversationPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages
    let people: PeoplePages

    func addRoutes(to router: Router<WebContext>) {
        router.get("/log", use: logPage)
        router.post("/log", use: logFromPage)
        router.post("/people/:id/log", use: logFromPerson)
        router.post("/people/:id/snooze", use: snoozePerson)
        router.post("/people/:id/followups", use: addFollowUp)
        router.get("/conversations", use: list)
        router.get("/conversations/:id", use: show)
        router.get("/conversations/:id/edit", use: editForm)
        router.post("/conversations/:id", use: update)
        router.post("/conversations/:id/delete", use: delete)
        router.get("/conversations/:id/answers", use: answersPage)
        router.post("/conversations/:id/answers", use: saveAnswers)
        router.get("/due", use: due)
        router.post("/followups/:id/done", use: done)
        router.post("/followups/:id/snooze", use: snoozeFollowUp)
    }

    // MARK: Logging

    @Sendable func logPage(_ request: Request, context: WebContext) async throws -> Response {
        var form = ConversationForm()
        let q = FormData(query: request)
        if let id = Int64(q["person"]), let person = try? await store.people.get(PersonID(id), as: account) {
            form.people = "\(person.name) (#\(person.id))"
        }
        if let guide = Int64(q["guide"]) {
            form.guide = guide.description
            form.ranGuide = guide.description
            form.objective = (try? await store.guides.get("#\(guide)", as: account).objective) ?? ""
        }
        return try await logPage(form, context: context, fresh: true)
    }

    func logPage(_ form: ConversationForm, context: WebContext, status: HTTPResponse.Status = .ok, fresh: Bool = false) async throws -> Response {
        let guides = try await store.guides.list(as: account)
        var sheet: GuideSheet?
        if let id = Int64(form.ranGuide), guides.contains(where: { $0.id.rawValue == id }) {
            // Filled for the first person the form names, when it names one that exists.
            let first = ConversationForm.references(form.people).first
            let person = try? await first.asyncMap { try await store.people.resolve($0, as: account).id }
            sheet = try await store.guides.sheet("#\(id)", for: person ?? nil, as: account)
        }
        var formView = form.view(action: "/log", submitLabel: "Log conversation", csrf: context.csrfToken, fixedPerson: nil,
                                 showFollowUp: true, guides: guides, sheet: sheet)
        formView.draftKey = "/log"
        formView.fresh = fresh ? "1" : "0"
        let view = LogPageView(heading: "Log a conversation", form: formView, people: try await pickerOptions(), cancel: "/people")
        return pages.render("log", view, status: status)
    }

    /// The person picker's choices: `Name (#12)`, which the form reads back as an id, with the company beside it.
    func pickerOptions() async throws -> [PeoplePickerOption] {
        try await store.people.list(PersonFilter(limit: 5_000), as: account).map {
            PeoplePickerOption(value: "\($0.name) (#\($0.id))", label: $0.details.company ?? "")
        }
    }

    @Sendable func logFromPage(_ request: Request, context: WebContext) async throws -> Response {
        var form = ConversationForm(form: context.form)
        if context.form["run"] == "1" {
            // "Run this guide": the same form again with the guide's questions, nothing saved yet.
            form.ranGuide = form.guide
            if form.objective.trimmed.isEmpty, let id = Int64(form.guide) {
                form.objective = (try? await store.guides.get("#\(id)", as: account).objective) ?? ""
            }
            return try await logPage(form, context: context)
        }
        let clock = try await store.clock(as: account)
        do {
            let (details, followUps) = try await form.parse(store: store, account: account, clock: clock)
            let logged = try await store.conversations.log(details, followUps: followUps, feedback: try form.heard(), as: account)
            return Pages.redirect("/conversations/\(logged.conversation.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            form.errors = PeoplePages.errorsByField(error)
            return try await logPage(form, context: context, status: .unprocessableContent)
        }
    }

    /// The form on a person's page: they are in it already; more people may be added.
    @Sendable func logFromPerson(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await people.find(context)
        var form = ConversationForm(form: context.form)
        let others = form.people
        form.people = (["#\(person.id)"] + (others.isEmpty ? [] : [others])).joined(separator: ", ")
        let clock = try await store.clock(as: account)
        do {
            let (details, followUps) = try await form.parse(store: store, account: account, clock: clock)
            _ = try await store.conversations.log(details, followUps: followUps, feedback: try form.heard(), as: account)
            return Pages.redirect("/people/\(person.id)#timeline")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            form.people = others
            form.errors = PeoplePages.errorsByField(error)
            return try await people.page(for: person, context: context, logForm: form)
        }
    }

    // MARK: Conversations

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let kind = ConversationKind(rawValue: q["kind"])
        let clock = try await store.clock(as: account)
        let paging = PageQuery.clamped(q, limit: ConversationListView.pageSize)
        var filter = ConversationFilter(kind: kind, limit: paging.fetch)
        filter.offset = paging.offset
        let page = paging.page(try await store.conversations.list(filter, as: account))
        let view = ConversationListView(
            rows: page.items.map { ConversationRow($0, clock: clock) },
            kinds: ConversationKind.allCases.map { Choice(value: $0.rawValue, label: $0.label.initialUpper, selected: $0 == kind) },
            count: page.items.count, filtered: kind != nil, pager: Pager(page, path: "/conversations", query: q, keys: ["kind"]).ifAny)
        return pages.render("conversations", view)
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        try await page(for: try find(context), context: context)
    }

    func page(for conversation: Conversation, context: WebContext, deleteError: String? = nil) async throws -> Response {
        let clock = try await store.clock(as: account)
        let followUps = try await store.followUps.list(.all, conversation: conversation.id, as: account)
        var view = ConversationView(conversation, followUps: followUps, clock: clock, csrf: context.csrfToken)
        view.deleteError = deleteError
        view.hasGuides = try await !store.guides.list(as: account).isEmpty
        var filter = FeedbackFilter()
        filter.conversation = conversation.id
        view.feedback = try await store.feedback.list(filter, as: account).map { FeedbackRowView($0, zone: clock.zone) }
        view.from = conversation.people.first.map { "\($0.name) (#\($0.id))" }
        return pages.render("conversation", view, status: deleteError == nil ? .ok : .unprocessableContent)
    }

    @Sendable func editForm(_ request: Request, context: WebContext) async throws -> Response {
        let conversation = try await find(context)
        let clock = try await store.clock(as: account)
        return try await edit(ConversationForm(conversation: conversation, clock: clock), conversation: conversation, context: context)
    }

    func edit(_ form: ConversationForm, conversation: Conversation, context: WebContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let view = LogPageView(
            chrome: Chrome(conversations: true),
            heading: "Edit conversation #\(conversation.id)",
            form: form.view(action: "/conversations/\(conversation.id)", submitLabel: "Save changes", csrf: context.csrfToken,
                            fixedPerson: nil, showFollowUp: false),
            people: try await pickerOptions(),
            cancel: "/conversations/\(conversation.id)")
        return pages.render("log", view, status: status)
    }

    @Sendable func update(_ request: Request, context: WebContext) async throws -> Response {
        let conversation = try await find(context)
        var form = ConversationForm(form: context.form)
        let clock = try await store.clock(as: account)
        do {
            let (details, _) = try await form.parse(store: store, account: account, clock: clock, allowFollowUp: false)
            // The form's fields only: the guide's answers are not on it and stay as they are (see the answers page).
            _ = try await store.conversations.update(conversation.id, with: form.patch(from: details), as: account)
            return Pages.redirect("/conversations/\(conversation.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            form.errors = PeoplePages.errorsByField(error)
            return try await edit(form, conversation: conversation, context: context, status: .unprocessableContent)
        }
    }

    @Sendable func delete(_ request: Request, context: WebContext) async throws -> Response {
        let conversation = try await find(context)
        guard context.form["confirm"] == "1" else {
            return try await page(for: conversation, context: context, deleteError: "Tick the box to confirm: deleting cannot be undone.")
        }
        try await store.conversations.delete(conversation.id, as: account)
        if let first = conversation.people.first { return Pages.redirect("/people/\(first.id)#timeline") }
        return Pages.redirect("/conversations")
    }

    // MARK: Answers

    @Sendable func answersPage(_ request: Request, context: WebContext) async throws -> Response {
        let conversation = try await find(context)
        let chosen = Int64(FormData(query: request)["guide"]).map(GuideID.init)
        return try await answers(conversation, guide: chosen, context: context)
    }

    /// The guide's questions with an answer box each (the stored answers in them), saving as you go.
    func answers(_ conversation: Conversation, guide chosen: GuideID?, context: WebContext, typed: [Int: String]? = nil,
                 error: String? = nil) async throws -> Response {
        let guides = try await store.guides.list(as: account)
        let id = chosen ?? conversation.details.guide ?? guides.first?.id
        var run: GuideRunView?
        if let id, guides.contains(where: { $0.id == id }) {
            let sheet = try await store.guides.sheet("#\(id)", for: conversation.details.people.first, as: account)
            // By question, so answers stay with their questions if the guide was reordered since.
            let guide = try await store.guides.get("#\(id)", as: account)
            var stored: [Int: String] = [:]
            if conversation.details.guide == id {
                for a in conversation.details.answers {
                    if let q = a.questionId, let now = guide.questions.first(where: { $0.id == q }) { stored[now.position] = a.answer }
                }
            }
            run = GuideRunView(guideID: id.description, name: sheet.guide.name, objective: sheet.objective, smallTalk: sheet.smallTalk,
                               lastConversation: nil, person: sheet.person?.name,
                               questions: sheet.questions.map { q in
                                   AnswerBoxView(position: q.position, text: q.text, name: "answer.\(q.position)", inputID: "answer-\(q.position)",
                                                 value: typed?[q.position] ?? stored[q.position] ?? "")
                               })
        }
        let switching = (conversation.details.guide != nil && conversation.details.guide != id && !conversation.details.answers.isEmpty)
            ? conversation.guide?.name ?? "a deleted guide" : nil
        let view = AnswersPageView(
            id: conversation.id.description, title: conversation.title, csrf: context.csrfToken,
            guides: guides.map { Choice(value: $0.id.description, label: $0.name, selected: $0.id == id) },
            run: run, guideID: id?.description ?? "", objective: run?.objective ?? "", switching: switching, error: error)
        if guides.isEmpty {
            return Pages.redirect("/guides")
        }
        return pages.render("answers", view, status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func saveAnswers(_ request: Request, context: WebContext) async throws -> Response {
        let conversation = try await find(context)
        let form = context.form
        let typed = ConversationForm.answers(form)
        let autosave = request.headers[HTTPField.Name("X-Rapport-Autosave")!] == "1"
        do {
            let changed = try await store.conversations.answer(
                conversation.id, guide: "#\(form["guide"].trimmed)", typed: typed.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }, as: account)
            if autosave {
                return try JSONBody.response(["saved": changed.details.answers.count])
            }
            return Pages.redirect("/conversations/\(conversation.id)#answers")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            if autosave {
                return try Problem(status: .unprocessableContent, title: "Not saved",
                                   detail: error.fieldErrors.map(\.message).joined(separator: " ")).response()
            }
            return try await answers(conversation, guide: Int64(form["guide"]).map(GuideID.init), context: context, typed: typed,
                                     error: error.fieldErrors.map(\.message).joined(separator: " "))
        }
    }

    func find(_ context: WebContext) async throws -> Conversation {
        try await store.conversations.get(ConversationID(try context.id(of: .conversation)), as: account)
    }

    // MARK: Due and follow-ups

    @Sendable func due(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let within = Int(q["within"]).map { min(max($0, 0), 365) } ?? 7
        let offset = PageQuery.clamped(q, limit: DueView.pageSize).offset
        let size = DueView.pageSize
        let clock = try await store.clock(as: account)
        let report = try await store.activity.due(within: within, limit: size, offset: offset, clock: clock, as: account)
        let csrf = context.csrfToken
        let view = DueView(
            today: report.today.label, within: within,
            overdue: report.overdue.map { DueRow($0, clock: clock, csrf: csrf) },
            upcoming: report.upcoming.map { DueRow($0, clock: clock, csrf: csrf) },
            followUps: report.followUps.map { FollowUpRow($0.followUp, clock: clock, csrf: csrf, returnTo: "/due") },
            overdueCount: report.overdueCount, upcomingCount: report.upcomingCount, followUpCount: report.followUps.count,
            snoozed: report.snoozed, nothing: report.overdueCount == 0 && report.upcomingCount == 0 && report.followUps.isEmpty,
            overdueShown: report.shown(report.overdue.count, of: report.overdueCount),
            upcomingShown: report.shown(report.upcoming.count, of: report.upcomingCount),
            previousPage: offset > 0 ? "/due?within=\(within)&offset=\(max(offset - size, 0))" : nil,
            nextPage: report.hasMore ? "/due?within=\(within)&offset=\(offset + size)" : nil)
        return pages.render("due", view)
    }

    @Sendable func addFollowUp(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await people.find(context)
        let clock = try await store.clock(as: account)
        do {
            let due = context.form["due"].trimmed.isEmpty ? nil : try clock.parse(context.form["due"], field: "due", lean: .future)
            _ = try await store.followUps.add(context.form["text"], person: person.id, due: due, as: account)
            return Pages.redirect("/people/\(person.id)#followups")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await people.page(for: person, context: context, followUpError: error.fieldErrors.map(\.message).joined(separator: " "),
                                         followUpText: context.form["text"], followUpDue: context.form["due"])
        }
    }

    @Sendable func done(_ request: Request, context: WebContext) async throws -> Response {
        let id = FollowUpID(try context.id(of: .followUp))
        _ = try await store.followUps.setDone(id, context.form["done"] != "0", as: account)
        return Pages.redirect(Self.safeReturn(context.form["return"]))
    }

    @Sendable func snoozeFollowUp(_ request: Request, context: WebContext) async throws -> Response {
        let id = FollowUpID(try context.id(of: .followUp))
        let clock = try await store.clock(as: account)
        let until = try clock.parse(context.form["until"], field: "until", lean: .future)
        _ = try await store.followUps.snooze(id, until: until, today: clock.today, as: account)
        return Pages.redirect(Self.safeReturn(context.form["return"]))
    }

    @Sendable func snoozePerson(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await people.find(context)
        let clock = try await store.clock(as: account)
        let day = context.form["clear"] == "1" ? nil : try clock.parse(context.form["until"], field: "until", lean: .future).day
        _ = try await store.people.snooze(person.id, until: day, today: clock.today, as: account)
        return Pages.redirect(Self.safeReturn(context.form["return"], fallback: "/people/\(person.id)"))
    }

    /// Only a path on this site: never `//evil.example`, `/\\evil.example` or a full URL. Control characters are
    /// removed first, as browsers do when they read a `Location` (WHATWG URL: a TAB or newline inside `/\t/evil`
    /// leaves `//evil`), so what is checked is what the browser follows.
    static func safeReturn(_ path: String, fallback: String = "/due") -> String {
        let cleaned = String(String.UnicodeScalarView(path.unicodeScalars.filter { $0.properties.generalCategory != .control }))
        guard cleaned.hasPrefix("/"), !cleaned.hasPrefix("//"), !cleaned.contains("\\"), !cleaned.contains(":"),
              cleaned.count <= 2_000 else { return fallback }
        return cleaned
    }
}
