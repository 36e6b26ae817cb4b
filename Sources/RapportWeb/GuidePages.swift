import Foundation
import Hummingbird
import NIOCore
import RapportCore
import RapportFormats
import RapportStore

/// The guides list and the guide editor: details, questions in order (up and down buttons), a preview for a person,
/// a printable copy, and "run this guide" into the log form.
struct GuidePages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>) {
        router.get("/guides", use: list)
        router.post("/guides", use: create)
        router.get("/guides/:id", use: show)
        router.post("/guides/:id", use: update)
        router.post("/guides/:id/questions", use: questions)
        router.get("/guides/:id/guide.md", use: markdown)
        router.post("/guides/:id/delete", use: delete)
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        try await listPage(context: context, values: [:], errors: [:])
    }

    func listPage(context: WebContext, values: [String: String], personas chosen: [String] = [], errors: [String: String],
                  status: HTTPResponse.Status = .ok) async throws -> Response {
        let guides = try await store.guides.list(as: account)
        let personas = try await store.personas.list(as: account)
        let view = GuidesView(
            csrf: context.csrfToken,
            guides: guides.map { GuideRowView(id: $0.id.description, name: $0.name, objective: $0.objective, count: $0.questions.count,
                                              personas: $0.personas) },
            hasGuides: !guides.isEmpty, name: values["name"] ?? "", objective: values["objective"] ?? "",
            personas: personas.map { Choice(value: $0.name, label: $0.name, selected: chosen.contains($0.name)) },
            hasPersonas: !personas.isEmpty, nameError: errors["name"], objectiveError: errors["objective"],
            personaError: errors["personas"], hasErrors: !errors.isEmpty)
        return pages.render("guides", view, status: status)
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        do {
            let guide = try await store.guides.add(GuideDetails(name: form["name"], objective: form["objective"], personas: form.all("personas")), as: account)
            return Pages.redirect("/guides/\(guide.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await listPage(context: context, values: ["name": form["name"], "objective": form["objective"]],
                                      personas: form.all("personas"), errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        let guide = try await find(context)
        return try await page(guide, request: request, context: context)
    }

    func page(_ guide: Guide, request: Request, context: WebContext, errors: [String: String] = [:], values: [String: String] = [:],
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = FormData(query: request)
        let person = Int64(q["for"]).map(PersonID.init)
        let sheet = try await store.guides.sheet("#\(guide.id)", for: person, as: account)
        let settings = try await store.settings.get(as: account)
        let lint = settings.questionLint
        let bank = try await store.questions.list(as: account).filter { q in !guide.questions.contains { $0.id == q.id } }
        let people = try await store.people.list(PersonFilter(limit: 5_000), as: account)
        let personas = try await store.personas.list(as: account)
        let count = guide.questions.count
        let view = GuideView(
            csrf: context.csrfToken, id: guide.id.description, name: values["name"] ?? guide.name,
            objective: values["objective"] ?? guide.objective, title: guide.name,
            personas: personas.map { Choice(value: $0.name, label: $0.name, selected: guide.personas.contains($0.name)) },
            hasPersonas: !personas.isEmpty, personaNames: guide.personas.isEmpty ? nil : guide.personas.joined(separator: ", "),
            questions: zip(guide.questions, sheet.questions).map { question, line in
                let flags = lint.check(question.text).map(FlagView.init)
                return GuideLineView(position: line.position, text: line.text,
                                     retired: question.retired, first: line.position == 1, last: line.position == count,
                                     flags: flags, hasFlags: !flags.isEmpty)
            },
            hasQuestions: count > 0, count: count,
            bank: bank.map { Choice(value: $0.id.description, label: $0.text, selected: false) }, hasBank: !bank.isEmpty,
            people: people.map { Choice(value: $0.id.description, label: $0.name + ($0.details.company.map { ", \($0)" } ?? ""), selected: $0.id == person) },
            forPerson: sheet.person?.name, forID: person?.description ?? "", smallTalk: sheet.smallTalk, lastConversation: sheet.lastConversation,
            hints: sheet.hints, nameError: errors["name"], objectiveError: errors["objective"], personaError: errors["personas"],
            questionError: errors["question"] ?? errors["text"] ?? errors["position"], deleteError: errors["delete"],
            hasErrors: !errors.isEmpty && errors["delete"] == nil)
        return pages.render("guide", view, status: status)
    }

    @Sendable func update(_ request: Request, context: WebContext) async throws -> Response {
        let guide = try await find(context)
        let form = context.form
        let (name, objective, personas) = (form["name"], form["objective"], form.all("personas"))
        do {
            var patch = GuidePatch()
            (patch.name, patch.objective, patch.personas) = (name, objective, personas)
            _ = try await store.guides.update("#\(guide.id)", with: patch, as: account)
            return Pages.redirect("/guides/\(guide.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await page(guide, request: request, context: context, errors: PeoplePages.errorsByField(error),
                                  values: ["name": name, "objective": objective], status: .unprocessableContent)
        }
    }

    /// Up, down, remove and add: one small form each, so ordering needs no dragging and no script.
    @Sendable func questions(_ request: Request, context: WebContext) async throws -> Response {
        let guide = try await find(context)
        let form = context.form
        let position = Int(form["position"]) ?? 0
        let back = "/guides/\(guide.id)" + (Int64(form["for"]).map { "?for=\($0)" } ?? "") + "#questions"
        do {
            var added: QuestionID?
            if form["action"] == "add" {
                let ref = form["question"].trimmed.isEmpty ? form["text"] : form["question"]
                guard !ref.trimmed.isEmpty else {
                    throw RapportError.invalid("question", "choose a question from the bank, or write a new one")
                }
                added = try await store.questions.ensure(ref, as: account).id
            }
            var patch = GuidePatch()
            patch.positionField = "position"
            switch form["action"] {
            case "up": patch.move = .init(from: position, to: position - 1)
            case "down": patch.move = .init(from: position, to: position + 1)
            case "remove": patch.removedPositions = [position]
            case "add": patch.addedQuestions = added.map { [$0] } ?? []
            default: throw RapportError.invalid("action", "use up, down, remove or add")
            }
            _ = try await store.guides.update("#\(guide.id)", with: patch, as: account)
            return Pages.redirect(back)
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await page(guide, request: request, context: context, errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    @Sendable func markdown(_ request: Request, context: WebContext) async throws -> Response {
        let guide = try await find(context)
        let person = Int64(FormData(query: request)["for"]).map(PersonID.init)
        let sheet = try await store.guides.sheet("#\(guide.id)", for: person, as: account)
        let file = (guide.name.matchingKey.map { $0.isLetter || $0.isNumber ? $0 : "-" }.reduce("") { $0 + String($1) }) + ".md"
        return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8",
                                               .contentDisposition: "attachment; filename=\"\(file)\""],
                        body: .init(byteBuffer: ByteBuffer(string: GuideMarkdown.render(sheet))))
    }

    @Sendable func delete(_ request: Request, context: WebContext) async throws -> Response {
        let guide = try await find(context)
        guard context.form["confirm"] == "1" else {
            return try await page(guide, request: request, context: context,
                                  errors: ["delete": "Tick the box to confirm"], status: .unprocessableContent)
        }
        _ = try await store.guides.delete("#\(guide.id)", as: account)
        return Pages.redirect("/guides")
    }

    func find(_ context: WebContext) async throws -> Guide {
        try await store.guides.get("#\(try context.id(of: .guide))", as: account)
    }
}

struct GuideRowView {
    var id: String
    var name: String
    var objective: String
    var count: Int
    var personas: [String]
}

struct GuidesView {
    var chrome = Chrome(guides: true)
    var csrf: String
    var guides: [GuideRowView]
    var hasGuides: Bool
    var name: String
    var objective: String
    var personas: [Choice]
    var hasPersonas: Bool
    var nameError: String?
    var objectiveError: String?
    var personaError: String?
    var hasErrors: Bool
}

struct GuideLineView {
    var position: Int
    /// Filled for the previewed person (or with placeholders showing).
    var text: String
    var retired: Bool
    var first: Bool
    var last: Bool
    var flags: [FlagView]
    var hasFlags: Bool
}

struct GuideView {
    var chrome = Chrome(guides: true)
    var csrf: String
    var id: String
    var name: String
    var objective: String
    var title: String
    var personas: [Choice]
    var hasPersonas: Bool
    var personaNames: String?
    var questions: [GuideLineView]
    var hasQuestions: Bool
    var count: Int
    var bank: [Choice]
    var hasBank: Bool
    var people: [Choice]
    var forPerson: String?
    var forID: String
    var smallTalk: String?
    var lastConversation: String?
    var hints: [String]
    var nameError: String?
    var objectiveError: String?
    var personaError: String?
    var questionError: String?
    var deleteError: String?
    var hasErrors: Bool
}
