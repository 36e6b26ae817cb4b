import Foundation
import HTTPTypes
import Hummingbird
import RapportCore
import RapportStore

/// `/api/v1/conversations`, `/api/v1/followups`, `/api/v1/due` and `/api/v1/people/{id}/timeline`.
struct ConversationsAPI: Sendable {
    /// People listed in each of `due`'s lists when the request gives no `limit`.
    static let dueLimit = 100
    let store: Store
    let account: AccountID

    static let conversationKeys = ["kind", "at", "durationMinutes", "people", "unnamed", "company", "direction",
                                   "objective", "met", "notes", "via"]

    struct FollowUpList: Encodable {
        var followUps: [FollowUp]
        var count: Int
    }

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("conversations", use: list)
        group.post("conversations", use: create)
        group.get("conversations/:id", use: show)
        group.patch("conversations/:id", use: update)
        group.delete("conversations/:id", use: delete)
        group.get("people/:id/timeline", use: timeline)
        group.get("due", use: due)
        group.get("followups", use: followUps)
        group.post("followups", use: addFollowUp)
        group.patch("followups/:id", use: updateFollowUp)
    }

    // MARK: Conversations

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let clock = try await store.clock(as: account)
        var filter = ConversationFilter()
        let errors = FieldErrors()
        if q.has("kind") {
            if let kind = ConversationKind(rawValue: q["kind"]) { filter.kind = kind } else {
                errors.append("kind", "\"\(q["kind"])\" is not a kind; use one of \(ConversationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
        }
        let paging = PageQuery.read(q, defaultLimit: 500, maxLimit: 10_000, noun: "conversations", errors: errors)
        (filter.limit, filter.offset) = (paging.fetch, paging.offset)
        (filter.since, filter.until) = try clock.bounds(since: q.has("since") ? q["since"] : nil, until: q.has("until") ? q["until"] : nil, errors: errors)
        try errors.throwIfAny()
        if q.has("person") { filter.person = try await store.people.resolve(q["person"], as: account).id }
        if q.has("company") { filter.company = q["company"] }
        return try JSONBody.response(PageBody(key: "conversations", page: paging.page(try await store.conversations.list(filter, as: account))))
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let clock = try await store.clock(as: account)
        let body = try await JSONBody.decode(ConversationBody.self, from: request, context: context, clock: clock)
        var details = body.details
        if let guide = body.guide {
            let (found, answers) = try await store.guides.answers(body.answers, guide: guide, person: details.people.first, as: account)
            details.guide = found.id
            details.answers = answers
        }
        let logged = try await store.conversations.log(details, followUps: body.followUps, feedback: body.feedback, as: account)
        return try JSONBody.created(logged, at: "/api/v1/conversations/\(logged.conversation.id)")
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        let conversation = try await store.conversations.get(try Self.id(context), as: account)
        let followUps = try await store.followUps.list(.all, conversation: conversation.id, as: account)
        var filter = FeedbackFilter()
        filter.conversation = conversation.id
        let feedback = try await store.feedback.list(filter, as: account)
        return try JSONBody.response(LoggedConversation(conversation: conversation, followUps: followUps, feedback: feedback))
    }

    @Sendable func update(_ request: Request, context: WebContext) async throws -> Response {
        let id = try Self.id(context)
        let clock = try await store.clock(as: account)
        let patch = try await JSONBody.decode(ConversationPatchBody.self, from: request, context: context, clock: clock).patch
        let changed = try await store.conversations.update(id, with: patch, as: account)
        return try JSONBody.response(changed)
    }

    @Sendable func delete(_ request: Request, context: WebContext) async throws -> Response {
        try await store.conversations.delete(try Self.id(context), as: account)
        return Response(status: .noContent)
    }

    static func id(_ context: WebContext) throws -> ConversationID {
        ConversationID(try context.id(of: .conversation))
    }

    // MARK: Timeline and due

    @Sendable func timeline(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await store.people.get(PersonID(try context.id(of: .person)), as: account)
        let clock = try await store.clock(as: account)
        return try JSONBody.response(try await store.activity.timeline(of: person, clock: clock, as: account))
    }

    @Sendable func due(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let errors = FieldErrors()
        let raw = q.has("within") ? q["within"] : "7"
        let within = Int(raw) ?? 7
        if Int(raw) == nil { errors.append("within", "\"\(raw)\" is not a number of days; give 0 to 365") }
        let limit = q.has("limit") ? Int(q["limit"]) : Self.dueLimit
        if limit == nil { errors.append("limit", "\"\(q["limit"])\" is not a number of people; give 1 to \(DueReport.maxLimit)") }
        let offset = q.has("offset") ? Int(q["offset"]) : 0
        if offset == nil { errors.append("offset", "\"\(q["offset"])\" is not a number of people to skip; give 0 or more") }
        try errors.throwIfAny()
        let clock = try await store.clock(as: account)
        return try JSONBody.response(try await store.activity.due(
            within: within, limit: limit ?? Self.dueLimit, offset: offset ?? 0, clock: clock, as: account))
    }

    // MARK: Follow-ups

    @Sendable func followUps(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let raw = q.has("status") ? q["status"] : "open"
        guard let state = FollowUpState(rawValue: raw) else {
            throw RapportError.invalid("status", "\"\(raw)\" is not a status; use open, done or all")
        }
        let person = q.has("person") ? try await store.people.resolve(q["person"], as: account).id : nil
        let list = try await store.followUps.list(state, person: person, as: account)
        return try JSONBody.response(FollowUpList(followUps: list, count: list.count))
    }

    @Sendable func addFollowUp(_ request: Request, context: WebContext) async throws -> Response {
        let clock = try await store.clock(as: account)
        let body = try await JSONBody.decode(FollowUpBody.self, from: request, context: context, clock: clock)
        let made = try await store.followUps.add(body.text, person: body.person, conversation: body.conversation, due: body.due, as: account)
        return try JSONBody.created(made, at: "/api/v1/followups/\(made.id)")
    }

    /// `{"done": true}`, `{"snoozeUntil": "monday"}`, `{"text": ...}`, `{"due": "2026-12-01" | null}`.
    @Sendable func updateFollowUp(_ request: Request, context: WebContext) async throws -> Response {
        let id = FollowUpID(try context.id(of: .followUp))
        let clock = try await store.clock(as: account)
        let body = try await JSONBody.decode(FollowUpPatchBody.self, from: request, context: context, clock: clock)
        var result = try await store.followUps.get(id, as: account)
        if body.text != nil || body.due != nil { result = try await store.followUps.edit(id, text: body.text, due: body.due, as: account) }
        if let done = body.done, done != !result.isOpen { result = try await store.followUps.setDone(id, done, as: account) }
        if let snooze = body.snoozeUntil { result = try await store.followUps.snooze(id, until: snooze, today: clock.today, as: account) }
        return try JSONBody.response(result)
    }

    // MARK: Request bodies

    /// `POST /api/v1/conversations`: the conversation (kind required), with the follow-ups, feedback and guide
    /// answers logged in the same transaction.
    struct ConversationBody: RequestBody {
        static let keys = conversationKeys + ["followUps", "guide", "answers", "feedback"]
        var details: ConversationDetails
        var followUps: [NewFollowUp] = []
        var feedback: [NewFeedback] = []
        /// The guide the answers belong to (`#id` or a name), and the answers by position.
        var guide: String?
        var answers: [(Int, String)] = []

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            let clock = try FieldReader.clock(decoder)
            guard read.decoded(String.self, "kind") != nil else {
                let kinds = ConversationKind.allCases.map(\.rawValue).joined(separator: ", ")
                throw RapportError.invalid("kind", read.has("kind") ? "must be one of \(kinds)" : "a kind is required: one of \(kinds)")
            }
            let patch = ConversationPatchBody.patch(read, clock: clock)
            details = ConversationDetails(kind: .call, at: clock.now)
            let examples = ("give a list of objects, e.g. [{\"kind\": \"pain\", \"text\": \"Exports take an hour\"}]",
                            "give a list of objects, e.g. [{\"text\": \"Send the spec\", \"due\": \"2026-12-01\"}]")
            for item in read.objects("feedback", message: examples.0, keys: ["kind", "text", "quote", "themes"]) ?? [] {
                guard let kind = item.decoded(String.self, "kind").flatMap(FeedbackKind.init(rawValue:)), let text = item.decoded(String.self, "text") else {
                    read.errors.append(item.path, "needs a \"kind\" (\(FeedbackKind.allCases.map(\.rawValue).joined(separator: ", "))) and a \"text\"")
                    continue
                }
                feedback.append(NewFeedback(kind: kind, text: text, quote: item.bool("quote") ?? false, themes: item.strings("themes") ?? []))
            }
            guide = read.reference("guide", required: false)
            answers = GuidesAPI.AnswersBody.answers(read) ?? []
            if guide == nil && !answers.isEmpty { read.fail("guide", "answers belong to a guide; name it, e.g. \"guide\": \"Onboarding\"") }
            for item in read.objects("followUps", message: examples.1, keys: ["text", "due"]) ?? [] {
                guard let text = item.decoded(String.self, "text") else {
                    item.fail("text", "say what to follow up on")
                    continue
                }
                let due = item.isNull("due") ? nil : item.string("due").flatMap { raw in
                    try? read.errors.check { try clock.parse(raw, field: item.field("due"), lean: .future) } ?? nil
                }
                followUps.append(NewFollowUp(text: text, due: due))
            }
            try read.finish()
            details = patch.applied(to: details)
        }
    }

    /// `PATCH /api/v1/conversations/{id}`: a merge patch (RFC 7396: `null` clears an optional field).
    struct ConversationPatchBody: RequestBody {
        static let keys = conversationKeys
        var patch: ConversationPatch

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            patch = Self.patch(read, clock: try FieldReader.clock(decoder))
            try read.finish()
        }

        /// The change `read`'s keys describe; its errors are gathered in `read`. `at` takes ISO 8601 or the date
        /// words of the CLI, in the user's zone; `people` takes person ids.
        static func patch(_ read: FieldReader, clock: UserClock) -> ConversationPatch {
            var p = ConversationPatch()
            func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> FieldChange<T>? where T.RawValue == String {
                switch read.text(key) {
                case nil: return nil
                case .clear: return .clear
                case .set(let raw):
                    if let parsed = T(rawValue: raw) { return .set(parsed) }
                    read.fail(key, "\"\(raw)\" is not allowed; use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
                    return nil
                }
            }
            switch choice("kind", ConversationKind.self) {
            case .set(let kind): p.kind = kind
            case .clear: read.fail("kind", "a conversation needs a kind")
            case nil: break
            }
            if let direction = choice("direction", Direction.self) { p.direction = direction.value ?? .outbound }
            p.met = choice("met", ObjectiveMet.self)
            switch read.text("at") {
            case .set(let at): p.at = (try? read.errors.check { try clock.parse(at, field: "at", lean: .past).date }) ?? nil
            case .clear: read.fail("at", "a conversation needs a time; give ISO 8601 such as 2026-03-29T10:00:00Z")
            case nil: break
            }
            if read.has("durationMinutes") {
                if read.isNull("durationMinutes") { p.durationMinutes = .clear } else if let n = read.decoded(Int.self, "durationMinutes") {
                    p.durationMinutes = .set(n)
                } else {
                    read.fail("durationMinutes", "must be a whole number of minutes or null")
                }
            }
            if let ids = read.ids("people", message: "must be a list of person ids, e.g. [12, 14]") { p.people = .replace(ids.map(PersonID.init)) }
            p.unnamed = read.text("unnamed")
            p.company = read.text("company")
            p.objective = read.text("objective")
            if let notes = read.text("notes") { p.notes = notes.value ?? "" }
            p.via = read.text("via")
            return p
        }
    }

    /// `POST /api/v1/followups`: `{"text": "Send the spec", "person": 12, "conversation": 7, "due": "friday"}`.
    struct FollowUpBody: RequestBody {
        static let keys = ["text", "person", "conversation", "due"]
        var text: String
        var person: PersonID
        var conversation: ConversationID?
        var due: TypedMoment?

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            let clock = try FieldReader.clock(decoder)
            let said = read.decoded(String.self, "text")
            if said == nil { read.fail("text", "say what to follow up on, e.g. {\"text\": \"Send the spec\", \"person\": 12}") }
            let who = read.id("person", required: true, message: "give the person's id, e.g. \"person\": 12")
            conversation = read.id("conversation", message: "give a conversation id or null").map(ConversationID.init)
            if read.has("due"), !read.isNull("due") {
                if let text = read.decoded(String.self, "due") {
                    due = try read.errors.check { try clock.parse(text, field: "due", lean: .future) }
                } else {
                    read.fail("due", FieldReader.dateMessage)
                }
            }
            try read.finish()
            (text, person) = (said ?? "", PersonID(who ?? 0))
        }
    }

    /// `PATCH /api/v1/followups/{id}`: `{"done": true}`, `{"snoozeUntil": "monday"}`, `{"text": …}`,
    /// `{"due": "2026-12-01" | null}`; snoozeUntil and due not together.
    struct FollowUpPatchBody: RequestBody {
        static let keys = ["text", "due", "done", "snoozeUntil"]
        var text: String?
        /// nil: unchanged; `.some(nil)`: no due date any more.
        var due: TypedMoment??
        var done: Bool?
        var snoozeUntil: TypedMoment?

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            let clock = try FieldReader.clock(decoder)
            if read.has("text") { text = read.decoded(String.self, "text"); if text == nil { read.fail("text", "must be a string") } }
            if read.has("due") {
                if read.isNull("due") { due = .some(nil) } else if let text = read.decoded(String.self, "due") {
                    if let moment = try read.errors.check({ try clock.parse(text, field: "due", lean: .future) }) { due = .some(moment) }
                } else {
                    read.fail("due", FieldReader.dateMessage)
                }
            }
            done = read.bool("done")
            if read.has("snoozeUntil") {
                if let text = read.decoded(String.self, "snoozeUntil") {
                    snoozeUntil = try read.errors.check { try clock.parse(text, field: "snoozeUntil", lean: .future) }
                } else {
                    read.fail("snoozeUntil", FieldReader.dateMessage)
                }
            }
            if snoozeUntil != nil && due != nil { read.fail("snoozeUntil", "give snoozeUntil or due, not both") }
            try read.finish()
        }
    }
}
