import Foundation
import HTTPTypes
import Hummingbird
import RapportCore
import RapportStore

/// `/api/v1/conversations`, `/api/v1/followups`, `/api/v1/due` and `/api/v1/people/{id}/timeline`.
struct ConversationsAPI: Sendable {
    let store: Store
    let account: AccountID

    static let conversationKeys = ["kind", "at", "durationMinutes", "people", "unnamed", "company", "direction",
                                   "objective", "met", "notes", "via"]

    struct ConversationList: Encodable {
        var conversations: [Conversation]
        var count: Int
    }

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
        if q.has("limit") {
            if let n = Int(q["limit"]), (1...10_000).contains(n) { filter.limit = n } else {
                errors.append("limit", "\"\(q["limit"])\" is not a limit; give a number from 1 to 10000")
            }
        }
        (filter.since, filter.until) = try clock.bounds(since: q.has("since") ? q["since"] : nil, until: q.has("until") ? q["until"] : nil, errors: errors)
        try errors.throwIfAny()
        if q.has("person") { filter.person = try await store.people.resolve(q["person"], as: account).id }
        if q.has("company") { filter.company = q["company"] }
        let found = try await store.conversations.list(filter, as: account)
        return try JSONBody.response(ConversationList(conversations: found, count: found.count))
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        var body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: Self.conversationKeys + ["followUps", "guide", "answers", "feedback"])
        let clock = try await store.clock(as: account)
        guard body["kind"] is String else {
            throw RapportError.invalid("kind", "a kind is required: one of \(ConversationKind.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let rawFollowUps = body.removeValue(forKey: "followUps")
        var heard: [NewFeedback] = []
        if let raw = body.removeValue(forKey: "feedback"), !(raw is NSNull) {
            guard let items = raw as? [[String: Any]] else {
                throw RapportError.invalid("feedback", "give a list of objects, e.g. [{\"kind\": \"pain\", \"text\": \"Exports take an hour\"}]")
            }
            let problems = FieldErrors()
            for (index, item) in items.enumerated() {
                guard let kind = (item["kind"] as? String).flatMap(FeedbackKind.init(rawValue:)), let text = item["text"] as? String else {
                    problems.append("feedback[\(index)]", "needs a \"kind\" (\(FeedbackKind.allCases.map(\.rawValue).joined(separator: ", "))) and a \"text\"")
                    continue
                }
                heard.append(NewFeedback(kind: kind, text: text, quote: item["quote"].flatMap(BodyReader.boolean) ?? false, themes: item["themes"] as? [String] ?? []))
            }
            try problems.throwIfAny()
        }
        var guideBody = BodyReader(["guide": body.removeValue(forKey: "guide") ?? NSNull(), "answers": body.removeValue(forKey: "answers") ?? NSNull()])
        let guide = guideBody.reference("guide", required: false)
        let typed = guideBody.answers("answers") ?? []
        if guide == nil && !typed.isEmpty { guideBody.errors.append("guide", "answers belong to a guide; name it, e.g. \"guide\": \"Onboarding\"") }
        let errors = FieldErrors()
        var followUps: [NewFollowUp] = []
        if let rawFollowUps, !(rawFollowUps is NSNull) {
            guard let items = rawFollowUps as? [[String: Any]] else {
                throw RapportError.invalid("followUps", "give a list of objects, e.g. [{\"text\": \"Send the spec\", \"due\": \"2026-12-01\"}]")
            }
            for (index, item) in items.enumerated() {
                guard let text = item["text"] as? String else {
                    errors.append("followUps[\(index)].text", "say what to follow up on")
                    continue
                }
                var due: TypedMoment?
                if let raw = item["due"], !(raw is NSNull) {
                    due = try errors.check { try clock.parse(raw as? String ?? "", field: "followUps[\(index)].due", lean: .future) }
                }
                followUps.append(NewFollowUp(text: text, due: due))
            }
        }
        var details: ConversationDetails
        do {
            details = try Self.patch(body, clock: clock).applied(to: ConversationDetails(kind: .call, at: clock.now))
        } catch let e as RapportError {
            throw RapportError.invalid(e.fieldErrors + errors.all + guideBody.errors.all)
        }
        errors.append(contentsOf: guideBody.errors.all)
        try errors.throwIfAny()
        if let guide {
            let (found, answers) = try await store.guides.answers(typed, guide: guide, person: details.people.first, as: account)
            details.guide = found.id
            details.answers = answers
        }
        let logged = try await store.conversations.log(details, followUps: followUps, feedback: heard, as: account)
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
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: Self.conversationKeys)
        let clock = try await store.clock(as: account)
        let changed = try await store.conversations.update(id, with: try Self.patch(body, clock: clock), as: account)
        return try JSONBody.response(changed)
    }

    @Sendable func delete(_ request: Request, context: WebContext) async throws -> Response {
        try await store.conversations.delete(try Self.id(context), as: account)
        return Response(status: .noContent)
    }

    static func id(_ context: WebContext) throws -> ConversationID {
        ConversationID(try context.id(of: .conversation))
    }

    /// The change the body's keys describe (merge patch, RFC 7396: `null` clears an optional field).
    /// `at` takes ISO 8601 or the date words of the CLI, in the user's zone; `people` takes person ids.
    static func patch(_ body: [String: Any], clock: UserClock) throws -> ConversationPatch {
        var p = ConversationPatch()
        let errors = FieldErrors()
        func text(_ key: String) -> FieldChange<String>? {
            guard let raw = body[key] else { return nil }
            if raw is NSNull { return .clear }
            if let value = raw as? String { return .set(value) }
            errors.append(key, "must be a string or null")
            return nil
        }
        func choice<T: RawRepresentable & CaseIterable>(_ key: String, _ type: T.Type) -> FieldChange<T>? where T.RawValue == String {
            guard let raw = body[key] else { return nil }
            if raw is NSNull { return .clear }
            if let value = raw as? String, let parsed = T(rawValue: value) { return .set(parsed) }
            errors.append(key, "\"\(raw)\" is not allowed; use one of \(T.allCases.map(\.rawValue).joined(separator: ", "))")
            return nil
        }
        switch choice("kind", ConversationKind.self) {
        case .set(let kind): p.kind = kind
        case .clear: errors.append("kind", "a conversation needs a kind")
        case nil: break
        }
        if let direction = choice("direction", Direction.self) { p.direction = direction.value ?? .outbound }
        p.met = choice("met", ObjectiveMet.self)
        switch text("at") {
        case .set(let at): p.at = try errors.check { try clock.parse(at, field: "at", lean: .past).date }
        case .clear: errors.append("at", "a conversation needs a time; give ISO 8601 such as 2026-03-29T10:00:00Z")
        case nil: break
        }
        if let raw = body["durationMinutes"] {
            if raw is NSNull { p.durationMinutes = .clear } else if let n = BodyReader.wholeNumber(raw) { p.durationMinutes = .set(n) } else {
                errors.append("durationMinutes", "must be a whole number of minutes or null")
            }
        }
        if let raw = body["people"] {
            if let list = raw as? [Any], let ids = BodyReader.integers(list) { p.people = .replace(ids.map(PersonID.init)) } else {
                errors.append("people", "must be a list of person ids, e.g. [12, 14]")
            }
        }
        p.unnamed = text("unnamed")
        p.company = text("company")
        p.objective = text("objective")
        if let notes = text("notes") { p.notes = notes.value ?? "" }
        p.via = text("via")
        try errors.throwIfAny()
        return p
    }

    // MARK: Timeline and due

    @Sendable func timeline(_ request: Request, context: WebContext) async throws -> Response {
        let person = try await store.people.get(PersonID(try context.id(of: .person)), as: account)
        let clock = try await store.clock(as: account)
        return try JSONBody.response(try await store.activity.timeline(of: person, clock: clock, as: account))
    }

    @Sendable func due(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let raw = q.has("within") ? q["within"] : "7"
        guard let within = Int(raw) else { throw RapportError.invalid("within", "\"\(raw)\" is not a number of days; give 0 to 365") }
        let clock = try await store.clock(as: account)
        return try JSONBody.response(try await store.activity.due(within: within, clock: clock, as: account))
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
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["text", "person", "conversation", "due"])
        let clock = try await store.clock(as: account)
        let errors = FieldErrors()
        let text = body["text"] as? String
        if text == nil { errors.append("text", "say what to follow up on, e.g. {\"text\": \"Send the spec\", \"person\": 12}") }
        let person = body["person"].flatMap(BodyReader.integer).map(PersonID.init)
        if person == nil { errors.append("person", "give the person's id, e.g. \"person\": 12") }
        var conversation: ConversationID?
        if let raw = body["conversation"], !(raw is NSNull) {
            if let n = BodyReader.integer(raw) { conversation = ConversationID(n) } else { errors.append("conversation", "give a conversation id or null") }
        }
        var due: TypedMoment?
        if let raw = body["due"], !(raw is NSNull) {
            due = try errors.check { try clock.parse(raw as? String ?? "", field: "due", lean: .future) }
        }
        try errors.throwIfAny()
        let made = try await store.followUps.add(text ?? "", person: person ?? PersonID(0), conversation: conversation, due: due, as: account)
        return try JSONBody.created(made, at: "/api/v1/followups/\(made.id)")
    }

    /// `{"done": true}`, `{"snoozeUntil": "monday"}`, `{"text": ...}`, `{"due": "2026-12-01" | null}`.
    @Sendable func updateFollowUp(_ request: Request, context: WebContext) async throws -> Response {
        let id = FollowUpID(try context.id(of: .followUp))
        let body = try await JSONBody.object(request, context: context)
        try JSONBody.checkKeys(body, allowed: ["text", "due", "done", "snoozeUntil"])
        let clock = try await store.clock(as: account)
        let errors = FieldErrors()
        var text: String?
        if let raw = body["text"] { if let value = raw as? String { text = value } else { errors.append("text", "must be a string") } }
        var due: TypedMoment??
        if let raw = body["due"] {
            if raw is NSNull { due = .some(nil) } else {
                if let moment = try errors.check({ try clock.parse(raw as? String ?? "", field: "due", lean: .future) }) { due = .some(moment) }
            }
        }
        var done: Bool?
        if let raw = body["done"] { if let value = BodyReader.boolean(raw) { done = value } else { errors.append("done", "must be true or false") } }
        var snooze: TypedMoment?
        if let raw = body["snoozeUntil"] {
            snooze = try errors.check { try clock.parse(raw as? String ?? "", field: "snoozeUntil", lean: .future) }
        }
        if snooze != nil && due != nil { errors.append("snoozeUntil", "give snoozeUntil or due, not both") }
        try errors.throwIfAny()
        var result = try await store.followUps.get(id, as: account)
        if text != nil || due != nil { result = try await store.followUps.edit(id, text: text, due: due, as: account) }
        if let done, done != !result.isOpen { result = try await store.followUps.setDone(id, done, as: account) }
        if let snooze { result = try await store.followUps.snooze(id, until: snooze, today: clock.today, as: account) }
        return try JSONBody.response(result)
    }
}
