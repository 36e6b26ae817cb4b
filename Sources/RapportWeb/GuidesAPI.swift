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
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["text", "tags"])
        var read = BodyReader(body)
        let details = QuestionDetails(text: read.string("text", required: true) ?? "", tags: read.strings("tags") ?? [])
        try read.finish()
        let question = try await store.questions.add(details, as: account)
        return try JSONBody.created(LintedQuestion(question, lint: try await lintSettings()), at: "/api/v1/questions/\(question.id)")
    }

    @Sendable func showQuestion(_ request: Request, context: WebContext) async throws -> Response {
        let question = try await store.questions.get(QuestionID(try context.id(of: .question)), as: account)
        return try JSONBody.response(LintedQuestion(question, lint: try await lintSettings()))
    }

    @Sendable func updateQuestion(_ request: Request, context: WebContext) async throws -> Response {
        let id = QuestionID(try context.id(of: .question))
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["text", "tags", "retired"])
        var read = BodyReader(body)
        let (text, tags, retired) = (read.string("text"), read.strings("tags"), read.bool("retired"))
        try read.finish()
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
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["text"])
        var read = BodyReader(body)
        let text = read.string("text", required: true) ?? ""
        try read.finish()
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
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["name", "objective", "personas", "questions"])
        var read = BodyReader(body)
        let details = GuideDetails(name: read.string("name", required: true) ?? "", objective: read.string("objective", required: true) ?? "",
                                   personas: read.strings("personas") ?? [], questions: (read.ids("questions") ?? []).map(QuestionID.init))
        try read.finish()
        let guide = try await store.guides.add(details, as: account)
        return try JSONBody.created(guide, at: "/api/v1/guides/\(guide.id)")
    }

    @Sendable func showGuide(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.guides.get(try Self.guide(context), as: account))
    }

    @Sendable func updateGuide(_ request: Request, context: WebContext) async throws -> Response {
        let ref = try Self.guide(context)
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["name", "objective", "personas", "questions"])
        var read = BodyReader(body)
        let (name, objective, personas, questions) = (read.string("name"), read.string("objective"), read.strings("personas"), read.ids("questions"))
        try read.finish()
        var patch = GuidePatch()
        (patch.name, patch.objective, patch.personas) = (name, objective, personas)
        patch.questions = questions?.map(QuestionID.init)
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
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["guide", "answers", "replace"])
        var read = BodyReader(body)
        let guide = read.reference("guide", required: true) ?? ""
        let typed = read.answers("answers") ?? []
        let replace = read.bool("replace") ?? false
        try read.finish()
        let changed = try await store.conversations.answer(id, guide: guide, typed: typed, replacingAll: replace, as: account)
        return try JSONBody.response(changed)
    }
}

/// Reads typed values out of a JSON object, collecting an error per field instead of stopping at the first.
struct BodyReader {
    let body: [String: Any]
    let errors = FieldErrors()

    init(_ body: [String: Any]) {
        self.body = body
    }

    /// A text field. `null` is refused unless the field is `nullable` (where null clears it), as the document says.
    mutating func string(_ key: String, required: Bool = false, nullable: Bool = false) -> String? {
        guard let raw = body[key] else {
            if required { errors.append(key, "is required") }
            return nil
        }
        if raw is NSNull {
            if required || !nullable { errors.append(key, required ? "is required" : "must be a string, not null; leave the key out to keep it") }
            return nil
        }
        guard let text = raw as? String else { errors.append(key, "must be a string"); return nil }
        return text
    }

    mutating func strings(_ key: String) -> [String]? {
        guard let raw = body[key] else { return nil }
        if raw is NSNull { errors.append(key, "must be a list of strings, not null; send [] for none"); return nil }
        guard let list = raw as? [String] else { errors.append(key, "must be a list of strings, e.g. [\"onboarding\"]"); return nil }
        return list
    }

    mutating func ids(_ key: String) -> [Int64]? {
        guard let raw = body[key] else { return nil }
        guard !(raw is NSNull), let list = raw as? [Any], let ids = Self.integers(list), ids.allSatisfy({ $0 >= 1 }) else {
            errors.append(key, "must be a list of ids (whole numbers from 1), e.g. [5, 8]")
            return nil
        }
        return ids
    }

    /// A whole number within `range`. Text, a fraction, `true`, or a number outside `range` (`2e18`) is refused
    /// naming the field and the range, never truncated or wrapped.
    mutating func integer(_ key: String, in range: ClosedRange<Int>, required: Bool = false) -> Int? {
        guard let raw = body[key], !(raw is NSNull) else {
            if required { errors.append(key, "is required: a whole number from \(range.lowerBound) to \(range.upperBound)") }
            return nil
        }
        guard let number = Self.integer(raw), let value = Int(exactly: number), range.contains(value) else {
            errors.append(key, "must be a whole number from \(range.lowerBound) to \(range.upperBound)")
            return nil
        }
        return value
    }

    /// The id of a stored row (a whole number from 1), or nil with the field named when it is something else.
    mutating func id(_ key: String) -> Int64? {
        integer(key, in: 1...Int(Int64.max)).map(Int64.init)
    }

    /// `raw` as a whole number when it is a JSON number with no fraction that fits 64 bits; nil for text,
    /// booleans, fractions and anything larger.
    static func integer(_ raw: Any) -> Int64? {
        guard let number = raw as? NSNumber, !Self.isBoolean(number) else { return nil }
        let double = number.doubleValue
        guard double.isFinite, double == double.rounded(), abs(double) < 9.0e15 else { return nil }
        return number.int64Value
    }

    /// Whether JSONSerialization read `number` from `true` or `false`.
    static func isBoolean(_ number: NSNumber) -> Bool {
        String(cString: number.objCType) == "c"
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let raw = body[key] else { return nil }
        if raw is NSNull { errors.append(key, "must be true or false, not null"); return nil }
        guard let value = Self.boolean(raw) else {
            errors.append(key, "must be true or false")
            return nil
        }
        return value
    }

    /// `raw` when it is JSON's `true` or `false`. On Linux `1 as? Bool` is true, so the number's own type is asked;
    /// every handler reads a boolean through here.
    static func boolean(_ raw: Any) -> Bool? {
        guard let number = raw as? NSNumber, isBoolean(number) else { return nil }
        return number.boolValue
    }

    /// `raw` as an `Int` when it is a JSON whole number (``integer(_:)``); on Linux `true as? Int` is 1.
    static func wholeNumber(_ raw: Any) -> Int? {
        integer(raw).flatMap { Int(exactly: $0) }
    }

    /// One of a closed set of values (a kind, a status, a metric); anything else names the choices.
    mutating func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type, required: Bool = false) -> T? where T.RawValue == String {
        guard let raw = string(key, required: required) else { return nil }
        guard let value = T(rawValue: raw) else {
            errors.append(key, "\"\(raw)\" is not a \(key); use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        return value
    }

    /// A guide named by id (number) or name.
    mutating func reference(_ key: String, required: Bool) -> String? {
        if let number = body[key] as? NSNumber, let id = Self.integers([number])?.first { return "#\(id)" }
        guard let text = string(key, required: required, nullable: true) else { return nil }
        return text.allSatisfy(\.isNumber) && !text.isEmpty ? "#" + text : text
    }

    /// `[{"position": 1, "answer": "…"}]`.
    mutating func answers(_ key: String) -> [(Int, String)]? {
        guard let raw = body[key], !(raw is NSNull) else { return nil }
        guard let items = raw as? [[String: Any]] else {
            errors.append(key, "must be a list like [{\"position\": 1, \"answer\": \"We export on Mondays\"}]")
            return nil
        }
        var out: [(Int, String)] = []
        for (index, item) in items.enumerated() {
            guard let position = (item["position"] as? NSNumber).flatMap({ Self.integers([$0])?.first }), let answer = item["answer"] as? String else {
                errors.append("\(key)[\(index)]", "needs a whole-number \"position\" (from 1) and an \"answer\" string")
                continue
            }
            out.append((Int(position), answer))
        }
        return out
    }

    static func integers(_ values: [Any]) -> [Int64]? {
        var out: [Int64] = []
        for value in values {
            guard let number = integer(value) else { return nil }
            out.append(number)
        }
        return out
    }

    func finish() throws {
        try errors.throwIfAny()
    }
}
