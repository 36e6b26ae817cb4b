import Foundation
import Hummingbird
import NIOCore
import RapportCore
import RapportFormats
import RapportStore

/// `/api/v1/questions` (with the lint), `/api/v1/guides` and `/api/v1/conversations/{id}/answers`.
struct GuidesAPI: Sendable {
    let store: Store
    let account: AccountID

    struct QuestionList: Encodable {
        var questions: [LintedQuestion]
        var count: Int
    }

    struct GuideList: Encodable {
        var guides: [Guide]
        var count: Int
    }

    struct LintAnswer: Encodable {
        var text: String
        var clean: Bool
        var flags: [LintFlag]
    }

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("questions", use: listQuestions)
        group.post("questions", use: createQuestion)
        group.post("questions/lint", use: lint)
        group.get("questions/:id", use: showQuestion)
        group.patch("questions/:id", use: updateQuestion)
        group.get("guides", use: listGuides)
        group.post("guides", use: createGuide)
        group.get("guides/:guide", use: showGuide)
        group.patch("guides/:guide", use: updateGuide)
        group.delete("guides/:guide", use: deleteGuide)
        group.get("guides/:guide/sheet", use: sheet)
        group.put("conversations/:id/answers", use: answers)
    }

    // MARK: Questions

    @Sendable func listQuestions(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let lint = try await store.settings.get(as: account).questionLint
        let filter = QuestionFilter(tag: q.has("tag") ? q["tag"] : nil, includeRetired: try q.flag("retired") ?? false)
        let found = try await store.questions.list(filter, as: account).map { LintedQuestion($0, lint: lint) }
        return try JSONBody.response(QuestionList(questions: found, count: found.count))
    }

    @Sendable func createQuestion(_ request: Request, context: WebContext) async throws -> Response {
        let details = try await JSONBody.decode(QuestionBody.self, from: request, context: context).details
        let question = try await store.questions.add(details, as: account)
        return try JSONBody.created(LintedQuestion(question, lint: try await lintSettings()), at: "/api/v1/questions/\(question.id)")
    }

    @Sendable func showQuestion(_ request: Request, context: WebContext) async throws -> Response {
        let question = try await store.questions.get(QuestionID(try context.id(of: .question)), as: account)
        return try JSONBody.response(LintedQuestion(question, lint: try await lintSettings()))
    }

    @Sendable func updateQuestion(_ request: Request, context: WebContext) async throws -> Response {
        let id = QuestionID(try context.id(of: .question))
        let (text, tags, retired) = try await JSONBody.decode(QuestionPatchBody.self, from: request, context: context).fields
        var question = try await store.questions.get(id, as: account)
        if text != nil || tags != nil {
            question = try await store.questions.update(id, as: account) { d in
                if let text { d.text = text }
                if let tags { d.tags = tags }
            }
        }
        if let retired, retired != question.retired { question = try await store.questions.setRetired(id, retired, as: account) }
        return try JSONBody.response(LintedQuestion(question, lint: try await lintSettings()))
    }

    /// Answers the lint's flags for `{"text": "…"}`, with the PM's jargon list.
    @Sendable func lint(_ request: Request, context: WebContext) async throws -> Response {
        let text = try await JSONBody.decode(LintBody.self, from: request, context: context).text
        if text.trimmed.isEmpty { throw RapportError.invalid("text", "is empty; send the question to check, e.g. {\"text\": \"Do you export reports?\"}") }
        if text.count > 2_000 { throw RapportError.invalid("text", "send one question of up to 2000 characters (it has \(text.count))") }
        let flags = try await lintSettings().check(text)
        return try JSONBody.response(LintAnswer(text: text, clean: flags.isEmpty, flags: flags))
    }

    func lintSettings() async throws -> QuestionLint {
        try await store.settings.get(as: account).questionLint
    }

    // MARK: Guides

    @Sendable func listGuides(_ request: Request, context: WebContext) async throws -> Response {
        let guides = try await store.guides.list(as: account)
        return try JSONBody.response(GuideList(guides: guides, count: guides.count))
    }

    @Sendable func createGuide(_ request: Request, context: WebContext) async throws -> Response {
        let details = try await JSONBody.decode(GuideBody.self, from: request, context: context).details
        let guide = try await store.guides.add(details, as: account)
        return try JSONBody.created(guide, at: "/api/v1/guides/\(guide.id)")
    }

    @Sendable func showGuide(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.guides.get(try Self.guide(context), as: account))
    }

    @Sendable func updateGuide(_ request: Request, context: WebContext) async throws -> Response {
        let ref = try Self.guide(context)
        let patch = try await JSONBody.decode(GuidePatchBody.self, from: request, context: context).patch
        let guide = try await store.guides.update(ref, with: patch, as: account)
        return try JSONBody.response(guide)
    }

    @Sendable func deleteGuide(_ request: Request, context: WebContext) async throws -> Response {
        _ = try await store.guides.delete(try Self.guide(context), as: account)
        return Response(status: .noContent)
    }

    /// The guide filled for `?for=REF` (a person), as JSON or, with `?format=markdown`, as a printable page.
    @Sendable func sheet(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let ref = try Self.guide(context)
        let person = q.has("for") ? try await store.people.resolve(q["for"], as: account).id : nil
        let sheet = try await store.guides.sheet(ref, for: person, as: account)
        switch q["format"] {
        case "", "json": return try JSONBody.response(sheet)
        case "markdown":
            return Response(status: .ok, headers: [.contentType: "text/markdown; charset=utf-8"],
                            body: .init(byteBuffer: ByteBuffer(string: GuideMarkdown.render(sheet))))
        default: throw RapportError.invalid("format", "\"\(q["format"])\" is not a format; use json or markdown")
        }
    }

    /// `{guide}` of the path: an id, or a name.
    static func guide(_ context: WebContext) throws -> String {
        let raw = (context.parameters.get("guide") ?? "").removingPercentEncoding ?? ""
        guard !raw.trimmed.isEmpty else { throw RapportError.notFound(.guide, raw) }
        return raw.allSatisfy(\.isNumber) ? "#" + raw : raw
    }

    // MARK: Answers

    /// Saves answers on a logged conversation: `{"guide": "Onboarding", "answers": [{"position": 1, "answer": "…"}]}`.
    /// Each given answer replaces the stored one (an empty one removes it); `"replace": true` drops the others.
    @Sendable func answers(_ request: Request, context: WebContext) async throws -> Response {
        let id = ConversationID(try context.id(of: .conversation))
        let body = try await JSONBody.decode(AnswersBody.self, from: request, context: context)
        let changed = try await store.conversations.answer(id, guide: body.guide, typed: body.answers, replacingAll: body.replace, as: account)
        return try JSONBody.response(changed)
    }

    // MARK: Request bodies

    /// `POST /api/v1/questions`: `{"text": "…", "tags": ["onboarding"]}`.
    struct QuestionBody: RequestBody {
        static let keys = ["text", "tags"]
        var details: QuestionDetails

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            details = QuestionDetails(text: read.string("text", required: true) ?? "", tags: read.strings("tags") ?? [])
            try read.finish()
        }
    }

    /// `PATCH /api/v1/questions/{id}`: any of text, tags (replaced) and retired.
    struct QuestionPatchBody: RequestBody {
        static let keys = ["text", "tags", "retired"]
        var fields: (text: String?, tags: [String]?, retired: Bool?)

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            fields = (read.string("text"), read.strings("tags"), read.bool("retired"))
            try read.finish()
        }
    }

    /// `POST /api/v1/questions/lint`: `{"text": "…"}`.
    struct LintBody: RequestBody {
        static let keys = ["text"]
        var text: String

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            text = read.string("text", required: true) ?? ""
            try read.finish()
        }
    }

    static let guideKeys = ["name", "objective", "personas", "questions"]

    /// `POST /api/v1/guides`: name and objective required; personas by name, questions by id, in order.
    struct GuideBody: RequestBody {
        static let keys = guideKeys
        var details: GuideDetails

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            details = GuideDetails(name: read.string("name", required: true) ?? "", objective: read.string("objective", required: true) ?? "",
                                   personas: read.strings("personas") ?? [], questions: (read.ids("questions") ?? []).map(QuestionID.init))
            try read.finish()
        }
    }

    /// `PATCH /api/v1/guides/{guide}`: what it names changes; lists replace.
    struct GuidePatchBody: RequestBody {
        static let keys = guideKeys
        var patch = GuidePatch()

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            (patch.name, patch.objective, patch.personas) = (read.string("name"), read.string("objective"), read.strings("personas"))
            patch.questions = read.ids("questions")?.map(QuestionID.init)
            try read.finish()
        }
    }

    /// `PUT /api/v1/conversations/{id}/answers`: the guide (id or name), `[{"position": 1, "answer": "…"}]`, replace.
    struct AnswersBody: RequestBody {
        static let keys = ["guide", "answers", "replace"]
        var guide: String
        var answers: [(Int, String)]
        var replace: Bool

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            guide = read.reference("guide", required: true) ?? ""
            answers = Self.answers(read) ?? []
            replace = read.bool("replace") ?? false
            try read.finish()
        }

        /// `answers` of `read`: each a position from 1 and the answer's text.
        static func answers(_ read: FieldReader) -> [(Int, String)]? {
            let example = "must be a list like [{\"position\": 1, \"answer\": \"We export on Mondays\"}]"
            return read.objects("answers", message: example, keys: ["position", "answer"])?.compactMap { item in
                guard let position = item.decoded(Int.self, "position"), position >= 1, let answer = item.decoded(String.self, "answer") else {
                    read.errors.append(item.path, "needs a whole-number \"position\" (from 1) and an \"answer\" string")
                    return nil
                }
                return (position, answer)
            }
        }
    }
}
