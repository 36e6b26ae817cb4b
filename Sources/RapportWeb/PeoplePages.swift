import Foundation
import Hummingbird
import RapportCore
import RapportFormats
import RapportStore

/// The HTML pages for people: list and search, person, add, edit, archive, do-not-contact, merge.
struct PeoplePages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>) {
        router.get("/people", use: list)
        router.get("/people/new", use: newForm)
        router.get("/people/duplicates", use: duplicates)
        router.post("/people", use: create)
        router.get("/people/:id", use: show)
        router.get("/people/:id/edit", use: editForm)
        router.post("/people/:id", use: update)
        router.post("/people/:id/archive", use: archive)
        router.post("/people/:id/dnc", use: doNotContact)
        router.post("/people/:id/merge", use: merge)
    }

    /// People a page shows; conversations a search shows beside them.
    static let pageSize = 100
    static let conversationHits = 20

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let query = q["q"].trimmed
        let persona = q["persona"].trimmed
        let tag = q["tag"].trimmed
        let stage = Stage(rawValue: q["stage"])
        let archived = q["archived"] == "1"
        let personas = try await store.personas.list(as: account)
        var view = PeopleListView(
            q: query, tag: tag, archived: archived,
            personaOptions: personas.map { Choice(value: $0.name, label: "\($0.name) (\($0.peopleCount))", selected: $0.name.matchingKey == persona.matchingKey) },
            stageOptions: Stage.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.capitalized, selected: $0 == stage) },
            filtered: !query.isEmpty || !persona.isEmpty || !tag.isEmpty || stage != nil || archived)
        var filter = PersonFilter(persona: persona.isEmpty ? nil : persona, tag: tag.isEmpty ? nil : tag, stage: stage, archived: archived)
        let paging = PageQuery.clamped(q, limit: Self.pageSize)
        let keys = ["q", "persona", "tag", "stage", "archived"]
        do {
            if query.isEmpty {
                (filter.limit, filter.offset) = (paging.fetch, paging.offset)
                let page = paging.page(try await store.people.list(filter, as: account))
                view.rows = page.items.map { PersonRow($0) }
                view.pager = Pager(page, path: "/people", query: q, keys: keys).ifAny
            } else {
                // Pages of the search, best match first; the filters then narrow each page.
                let page = paging.page(try await store.people.search(query, as: account, limit: paging.fetch, offset: paging.offset))
                view.rows = page.items.filter { filter.admits($0.person) }.map { PersonRow($0.person, hit: $0) }
                view.pager = Pager(page, path: "/people", query: q, keys: keys).ifAny
                let clock = try await store.clock(as: account)
                // Beside the people, the latest conversations that mention it: newest first, which also does not
                // rank every match of a common word to show twenty.
                view.conversationHits = try await store.conversations.search(query, as: account, limit: Self.conversationHits,
                                                                             order: .newest).map {
                    ConversationHitRow(conversation: ConversationRow($0.conversation, clock: clock),
                                       matchedIn: $0.matchedIn.joined(separator: ", "), excerpt: $0.excerpt)
                }
                view.hasConversationHits = !view.conversationHits.isEmpty
            }
        } catch let error as RapportError {
            view.error = error.message
        }
        view.count = view.rows.count
        view.pastEnd = view.rows.isEmpty && paging.offset > 0
        view.countNoun = view.count == 1 ? "person" : "people"
        view.hasPeople = !view.rows.isEmpty
        return pages.render("people", view)
    }

    /// Pairs of people who are likely one, each with a merge button.
    @Sendable func duplicates(_ request: Request, context: WebContext) async throws -> Response {
        let pairs = try await store.people.duplicates(as: account)
        let view = DuplicatesView(pairs: pairs.map(DuplicatePairRow.init), hasPairs: !pairs.isEmpty, csrf: context.csrfToken)
        return pages.render("duplicates", view)
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await find(context)
        // Only notices Rapport itself writes are shown, so a crafted link cannot put words on the page.
        let notices = FormData(query: request).all("notice")
            .filter { $0.hasPrefix("time zone ") || $0.hasPrefix("Merged ") }
        return try await page(for: person, context: context, notices: notices)
    }

    func page(for person: Person, context: WebContext, notices: [String] = [], dncError: String? = nil,
              mergeError: String? = nil, mergeInto: String = "", dncReason: String = "",
              logForm: ConversationForm? = nil, followUpError: String? = nil, followUpText: String = "",
              followUpDue: String = "") async throws -> Response {
        let personas = try await store.personas.list(as: account)
        let clock = try await store.clock(as: account)
        let timeline = try await store.activity.timeline(of: person, clock: clock, as: account)
        var view = PersonView(person, personas: personas, csrf: context.csrfToken)
        view.notices = notices
        view.dncError = dncError
        view.dncReason = dncReason
        view.mergeError = mergeError
        view.mergeInto = mergeInto
        let returnTo = "/people/\(person.id)#followups"
        view.status = timeline.status.map { StatusView($0, person: person, clock: clock) }
        view.timeline = timeline.entries.map { entry in
            TimelineRow(conversation: entry.conversation.map { ConversationRow($0, clock: clock) },
                        followUp: entry.followUp.map { FollowUpRow($0, clock: clock, csrf: context.csrfToken, returnTo: returnTo) })
        }
        view.openFollowUps = timeline.entries.compactMap(\.followUp).filter(\.isOpen)
            .sorted { ($0.dueDay ?? CalendarDay(year: 9999, month: 12, day: 31), $0.id) < ($1.dueDay ?? CalendarDay(year: 9999, month: 12, day: 31), $1.id) }
            .map { FollowUpRow($0, clock: clock, csrf: context.csrfToken, returnTo: returnTo) }
        view.logForm = (logForm ?? ConversationForm()).view(
            action: "/people/\(person.id)/log", submitLabel: "Log conversation", csrf: context.csrfToken,
            fixedPerson: person.summary, showFollowUp: true)
        view.followUpError = followUpError
        view.followUpText = followUpText
        view.followUpDue = followUpDue
        let failed = dncError != nil || mergeError != nil || logForm != nil || followUpError != nil
        return pages.render("person", view, status: failed ? .unprocessableContent : .ok)
    }

    @Sendable func newForm(_ request: Request, context: WebContext) async throws -> Response {
        try await form(PersonForm(person: nil), context: context, editing: nil)
    }

    @Sendable func editForm(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await find(context)
        return try await form(PersonForm(person: person), context: context, editing: person)
    }

    func form(_ form: PersonForm, context: WebContext, editing: Person?, status: HTTPResponse.Status = .ok) async throws -> Response {
        let names = try await store.personas.list(as: account).map(\.name)
        let view = form.view(
            heading: editing.map { "Edit \($0.name)" } ?? "Add a person",
            action: editing.map { "/people/\($0.id)" } ?? "/people",
            submitLabel: editing == nil ? "Add person" : "Save changes",
            cancel: editing.map { "/people/\($0.id)" } ?? "/people",
            csrf: context.csrfToken, personaNames: names, zones: store.timeZones.identifiers,
            chrome: Chrome(newPerson: editing == nil))
        return pages.render("person_form", view, status: status)
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let allowDuplicate = context.form["allowDuplicate"] == "1"
        return try await save(context: context, editing: nil) { patch in
            try await store.people.add(patch.applied(to: PersonDetails(name: "")), allowDuplicate: allowDuplicate, as: account)
        }
    }

    @Sendable func update(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await find(context)
        return try await save(context: context, editing: person) { patch in
            try await store.people.update(person.id, with: patch, as: account)
        }
    }

    /// Reads the posted person form and writes the fields it carries with `write`; on bad input, draws the form
    /// again with every message by its field and what was typed kept; on a likely duplicate, with the person it
    /// repeats.
    func save(
        context: WebContext, editing: Person?, write: (PersonPatch) async throws -> SavedPerson
    ) async throws -> Response {
        var form = PersonForm(form: context.form)
        do {
            let names = try await store.personas.list(as: account).map(\.name)
            let patch = try form.patch(personaNames: names, base: editing?.details ?? PersonDetails(name: ""),
                                       timeZones: store.timeZones, today: store.now())
            let saved = try await write(patch)
            return Pages.redirect("/people/\(saved.person.id)" + Self.noticeQuery(saved.notices))
        } catch RapportError.duplicate(let match) {
            form.duplicate = match
            return try await self.form(form, context: context, editing: editing, status: .conflict)
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            form.errors = Self.errorsByField(error)
            return try await self.form(form, context: context, editing: editing, status: .unprocessableContent)
        }
    }

    @Sendable func archive(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await find(context)
        _ = try await store.people.setArchived(person.id, context.form["archived"] == "1", as: account)
        return Pages.redirect("/people/\(person.id)")
    }

    @Sendable func doNotContact(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await find(context)
        let clear = context.form["clear"] == "1"
        do {
            _ = try await store.people.setDoNotContact(person.id, reason: clear ? nil : context.form["reason"], as: account)
            return Pages.redirect("/people/\(person.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await page(for: person, context: context, dncError: error.fieldErrors.map(\.message).joined(separator: "; "),
                                  dncReason: context.form["reason"])
        }
    }

    @Sendable func merge(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await find(context)
        let into = context.form["into"]
        do {
            let target = try await store.people.resolve(into, as: account)
            let merged = try await store.people.merge(person.id, into: target.id, as: account)
            return Pages.redirect("/people/\(merged.id)" + Self.noticeQuery(["Merged \(person.name) into \(merged.name)."]))
        } catch let error as RapportError {
            return try await page(for: person, context: context, mergeError: error.message, mergeInto: into)
        }
    }

    func find(_ context: WebContext) async throws -> Person {
        try await store.people.get(PersonID(try context.id(of: .person)), as: account)
    }

    static func errorsByField(_ error: RapportError) -> [String: String] {
        var out: [String: String] = [:]
        for field in error.fieldErrors {
            out[field.field] = out[field.field].map { $0 + " " + field.message } ?? field.message
        }
        return out
    }

    /// Carries "time zone inferred from ..." across the redirect after a save.
    static func noticeQuery(_ notices: [String]) -> String {
        guard !notices.isEmpty else { return "" }
        var components = URLComponents()
        components.queryItems = notices.map { URLQueryItem(name: "notice", value: $0) }
        return "?" + (components.percentEncodedQuery ?? "")
    }
}
