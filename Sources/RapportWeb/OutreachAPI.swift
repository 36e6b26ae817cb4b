import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RapportCore
import RapportFormats
import RapportStore

/// `/api/v1/plan`, `/api/v1/attempts`, `/api/v1/funnel` and `/api/v1/campaigns`.
struct OutreachAPI: Sendable {
    let store: Store
    let account: AccountID

    static let campaignKeys = ["name", "ask", "subject", "body", "personas", "tags", "stages", "weekly", "cooldownDays", "product", "sender"]

    struct AttemptList: Encodable {
        var attempts: [Attempt]
        var count: Int
    }

    struct CampaignList: Encodable {
        var campaigns: [CampaignOverview]
        var count: Int
    }

    struct CampaignDetail: Encodable {
        var campaign: Campaign
        var funnel: Funnel
        var recipients: [CampaignRecipient]
    }

    struct Preview: Encodable {
        var person: PersonSummary?
        var to: String?
        var subject: String
        var body: String
    }

    func addRoutes(to group: RouterGroup<WebContext>) {
        group.get("plan", use: plan)
        group.get("attempts", use: attempts)
        group.post("attempts", use: addAttempt)
        group.delete("attempts/:id", use: deleteAttempt)
        group.get("funnel", use: funnel)
        group.get("campaigns", use: campaigns)
        group.post("campaigns", use: addCampaign)
        group.post("campaigns/preview", use: preview)
        group.get("campaigns/:campaign", use: campaign)
        group.patch("campaigns/:campaign", use: updateCampaign)
        group.delete("campaigns/:campaign", use: deleteCampaign)
        group.post("campaigns/:campaign/batch", use: batch)
        group.get("campaigns/:campaign/export", use: export)
        group.post("campaigns/:campaign/recipients", use: mark)
    }

    // MARK: Plan and attempts

    /// Reads the plan's choices from a query (the API's and the web page's): date, from, to, slot, max, persona,
    /// campaign, people (ids, comma-separated or repeated).
    static func planRequest(_ q: FormData, clock: UserClock, store: Store, account: AccountID) async throws -> (PlanOptions, PlanSource) {
        let errors = FieldErrors()
        let value = { (key: String) -> String? in q[key].trimmed.nilIfEmpty }
        let day = try errors.check { try value("date").map { try clock.parse($0, field: "date", lean: .future).day } ?? clock.today }
        let from = try errors.check { try value("from").map { try ClockTime.parse($0, field: "from") } ?? ClockTime(hour: 9) }
        let to = try errors.check { try value("to").map { try ClockTime.parse($0, field: "to") } ?? ClockTime(hour: 17) }
        var slot = 20
        if let text = value("slot") {
            if let n = Int(text) { slot = n } else { errors.append("slot", "\"\(text)\" is not a number of minutes; give 5 to 240") }
        }
        var max: Int?
        if let text = value("max") {
            if let n = Int(text) { max = n } else { errors.append("max", "\"\(text)\" is not a number of calls") }
        }
        let people = q.all("people").flatMap { $0.split(separator: ",").map { String($0).trimmed } }.filter { !$0.isEmpty }
        let chosen = [!people.isEmpty, value("persona") != nil, value("campaign") != nil].filter { $0 }.count
        if chosen > 1 { errors.append("people", "give one of people, persona or campaign") }
        try errors.throwIfAny()
        let options = try PlanOptions(day: day ?? clock.today, from: from ?? ClockTime(hour: 9), to: to ?? ClockTime(hour: 17),
                                      slotMinutes: slot, max: max).validated()
        return (options, try await store.outreach.source(people: people, persona: value("persona"), campaign: value("campaign"), as: account))
    }

    @Sendable func plan(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let clock = try await store.clock(as: account)
        let (options, source) = try await Self.planRequest(q, clock: clock, store: store, account: account)
        let plan = try await store.outreach.plan(options, source: source, clock: clock, as: account)
        switch q["format"] {
        case "", "json": return try JSONBody.response(plan)
        case "ics":
            return Self.file(try CalendarFile.ics(plan, now: clock.now), type: "text/calendar; charset=utf-8", name: "calls-\(plan.day).ics")
        default: throw RapportError.invalid("format", "\"\(q["format"])\" is not a format; use json or ics")
        }
    }

    static func file(_ text: String, type: String, name: String) -> Response {
        Response(status: .ok, headers: [.contentType: type, .contentDisposition: "attachment; filename=\"\(name)\""],
                 body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    @Sendable func attempts(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        var filter = AttemptFilter()
        if q.has("person") { filter.person = try await store.people.resolve(q["person"], as: account).id }
        if q.has("campaign") { filter.campaign = q["campaign"] }
        if q.has("limit") {
            guard let n = Int(q["limit"]), (1...10_000).contains(n) else {
                throw RapportError.invalid("limit", "\"\(q["limit"])\" is not a limit; give a number from 1 to 10000")
            }
            filter.limit = n
        }
        let list = try await store.attempts.list(filter, as: account)
        return try JSONBody.response(AttemptList(attempts: list, count: list.count))
    }

    @Sendable func addAttempt(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(AttemptBody.self, from: request, context: context)
        let clock = try await store.clock(as: account)
        let recorded = try await Self.record(body.fields, rawKeys: Set(body.fields.keys), clock: clock, store: store, account: account)
        return try JSONBody.response(recorded, status: .created)
    }

    /// Records an attempt from string fields (the API's body, the plan page's form), every bad field reported at once.
    static func record(
        _ fields: [String: String?], rawKeys: Set<String>, clock: UserClock, store: Store, account: AccountID
    ) async throws -> RecordedAttempt {
        let errors = FieldErrors()
        func text(_ key: String) -> String? {
            guard rawKeys.contains(key) else { return nil }
            guard let value = fields[key] ?? nil else {
                errors.append(key, "must be a string")
                return nil
            }
            return value.trimmed.nilIfEmpty
        }
        let personRef = text("person"), outcomeText = text("outcome")
        var outcome: AttemptOutcome?
        if let outcomeText {
            outcome = AttemptOutcome(rawValue: outcomeText)
            if outcome == nil { errors.append("outcome", "\"\(outcomeText)\" is not an outcome; use one of \(AttemptOutcome.list)") }
        } else if fields["outcome"] == nil || fields["outcome"]??.trimmed.isEmpty == true {
            errors.append("outcome", "is required: one of \(AttemptOutcome.list)")
        }
        if personRef == nil, fields["person"] == nil || fields["person"]??.trimmed.isEmpty == true {
            errors.append("person", "is required: an id, email or name")
        }
        let at = try errors.check { try text("at").map { try clock.parse($0, field: "at", lean: .past).date } ?? clock.now }
        let again = try errors.check { try text("reschedule").map { try clock.parse($0, field: "reschedule", lean: .future) } }
        let note = text("note"), campaign = text("campaign"), phone = text("phone")
        let person = try await personRef.asyncMap { ref in try await errors.check { try await store.people.resolve(ref, as: account) } } ?? nil
        try errors.throwIfAny()
        guard let outcome, let person, let at else { throw RapportError.invalid("person", "is required") }
        let details = AttemptDetails(outcome: outcome, at: at, note: note, campaign: campaign, reschedule: again ?? nil, phone: phone)
        return try await store.attempts.record(details, person: person.id, zone: clock.zone, as: account)
    }

    @Sendable func deleteAttempt(_ request: Request, context: WebContext) async throws -> Response {
        try await store.attempts.delete(AttemptID(try context.id(of: .attempt)), as: account)
        return Response(status: .noContent)
    }

    // MARK: Funnel

    /// Reads the funnel's choices from a query: since, until, campaign, by, target.
    static func funnel(_ q: FormData, clock: UserClock, store: Store, account: AccountID) async throws -> Funnel {
        let errors = FieldErrors()
        let value = { (key: String) -> String? in q[key].trimmed.nilIfEmpty }
        let since = try errors.check { try value("since").map { try clock.parse($0, field: "since", lean: .past).day } }
        let until = try errors.check { try value("until").map { try clock.parse($0, field: "until", lean: .past).day } }
        var by: Funnel.Breakdown?
        if let text = value("by") {
            by = Funnel.Breakdown(rawValue: text)
            if by == nil { errors.append("by", "\"\(text)\" is not a breakdown; use week, persona or campaign") }
        }
        var target: Int?
        if let text = value("target") {
            target = Int(text)
            if target == nil { errors.append("target", "\"\(text)\" is not a number of conversations a week") }
        }
        try errors.throwIfAny()
        return try await store.outreach.funnel(since: since ?? nil, until: until ?? nil, campaign: value("campaign"), by: by,
                                               target: target, clock: clock, as: account)
    }

    @Sendable func funnel(_ request: Request, context: WebContext) async throws -> Response {
        let clock = try await store.clock(as: account)
        return try JSONBody.response(try await Self.funnel(FormData(query: request), clock: clock, store: store, account: account))
    }

    // MARK: Campaigns

    @Sendable func campaigns(_ request: Request, context: WebContext) async throws -> Response {
        let list = try await store.campaigns.list(as: account)
        return try JSONBody.response(CampaignList(campaigns: list, count: list.count))
    }

    @Sendable func addCampaign(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(CampaignBody.self, from: request, context: context)
        let details = body.patch.applied(to: CampaignDetails(name: "", ask: "", subject: "", body: ""))
        return try JSONBody.response(try await store.campaigns.add(details, as: account), status: .created)
    }

    @Sendable func preview(_ request: Request, context: WebContext) async throws -> Response {
        let body = try await JSONBody.decode(PreviewBody.self, from: request, context: context)
        let details = body.patch.applied(to: CampaignDetails(name: "Preview", ask: "", subject: "", body: ""))
        let person = try await body.person.asyncMap { try await store.people.resolve($0, as: account) }
        return try JSONBody.response(try await Self.preview(details, person: person, store: store, account: account))
    }

    /// One email of the campaign rendered for `person`, else for the first person of its audience; placeholder
    /// errors are thrown as field errors, as saving would.
    static func preview(_ details: CampaignDetails, person: Person?, store: Store, account: AccountID) async throws -> Preview {
        let settings = try await store.settings.get(as: account)
        let errors = FieldErrors()
        errors.append(contentsOf: MessageTemplate.check(details.subject, field: "subject"))
        errors.append(contentsOf: MessageTemplate.check(details.body, field: "body"))
        try errors.throwIfAny()
        var target = person
        if target == nil {
            let people = try await store.people.list(PersonFilter(limit: 2_000), as: account)
            target = people.first { BatchPicker.fits($0, details) && $0.mailableEmail != nil && $0.doNotContact == nil } ?? people.first
        }
        guard let target else {
            let values = ["first_name": "Dana", "name": "Dana Kim", "company": "Acme", "title": "Head of Operations",
                          "product": details.product ?? settings.value("product") ?? "", "sender": details.sender ?? settings.value("sender.name") ?? "",
                          "ask": details.ask]
            return Preview(person: nil, to: nil, subject: MessageTemplate.render(details.subject, values: values),
                           body: MessageTemplate.render(details.body, values: values))
        }
        let values = MessageTemplate.values(for: target, campaign: details, product: settings.value("product"), sender: settings.value("sender.name"))
        return Preview(person: target.summary, to: target.mailableEmail.map { "\(target.name) <\($0.value)>" },
                       subject: MessageTemplate.render(details.subject, values: values), body: MessageTemplate.render(details.body, values: values))
    }

    static func ref(_ context: WebContext) throws -> String {
        guard let ref = context.parameters.get("campaign"), !ref.isEmpty else { throw RapportError.invalid("campaign", "name the campaign") }
        return ref.removingPercentEncoding ?? ref
    }

    @Sendable func campaign(_ request: Request, context: WebContext) async throws -> Response {
        let found = try await store.campaigns.get(try Self.ref(context), as: account)
        let clock = try await store.clock(as: account)
        return try JSONBody.response(CampaignDetail(
            campaign: found, funnel: try await store.outreach.funnel(campaign: found.name, by: .week, clock: clock, as: account),
            recipients: try await store.campaigns.recipients(found.name, as: account)))
    }

    @Sendable func updateCampaign(_ request: Request, context: WebContext) async throws -> Response {
        let ref = try Self.ref(context)
        let patch = try await JSONBody.decode(CampaignPatchBody.self, from: request, context: context).patch
        return try JSONBody.response(try await store.campaigns.update(ref, with: patch, as: account))
    }

    @Sendable func deleteCampaign(_ request: Request, context: WebContext) async throws -> Response {
        try await store.campaigns.delete(try Self.ref(context), as: account)
        return Response(status: .noContent)
    }

    @Sendable func batch(_ request: Request, context: WebContext) async throws -> Response {
        let ref = try Self.ref(context)
        let clock = try await store.clock(as: account)
        let body = try await JSONBody.decode(BatchBody.self, from: request, context: context)
        let (week, dryRun) = (body.week ?? ISOWeek(clock.today), body.dryRun)
        let made = try await store.campaigns.batch(ref, week: week, dryRun: dryRun, as: account)
        return try JSONBody.response(made, status: made.existing || dryRun ? .ok : .created)
    }

    /// A week's batch as files: `format=mbox|csv`, or `format=eml&person=ID` for one message.
    @Sendable func export(_ request: Request, context: WebContext) async throws -> Response {
        let ref = try Self.ref(context)
        let q = FormData(query: request)
        let clock = try await store.clock(as: account)
        let week = q.has("week") ? try ISOWeek.parse(q["week"], field: "week") : ISOWeek(clock.today)
        let campaign = try await store.campaigns.get(ref, as: account)
        let recipients = try await store.campaigns.recipients(campaign.name, week: week, as: account)
        let base = MailFile.slug(campaign.name) + "-" + week.description
        let format = q["format"].isEmpty ? "mbox" : q["format"]
        if format == "csv" { return Self.file(MailFile.csv(recipients), type: "text/csv; charset=utf-8", name: base + ".csv") }
        let settings = try await store.settings.get(as: account)
        guard let address = settings.value("sender.email") else {
            throw RapportError.invalid("sender.email", "is not set; the From: line needs your address: set it on the settings page")
        }
        let sender = MailSender(name: campaign.details.sender ?? settings.value("sender.name"), address: address)
        switch format {
        case "mbox":
            return Self.file(MailFile.mbox(recipients, from: sender, date: clock.now, campaign: campaign.name), type: "application/mbox", name: base + ".mbox")
        case "eml":
            guard let id = Int64(q["person"]), let index = recipients.firstIndex(where: { $0.person.id.rawValue == id }) else {
                throw RapportError.invalid("person", "give the id of a person in the \(week) batch")
            }
            let r = recipients[index]
            return Self.file(MailFile.eml(r, from: sender, date: clock.now, campaign: campaign.name), type: "message/rfc822",
                             name: MailFile.fileName(r, position: index + 1))
        default:
            throw RapportError.invalid("format", "\"\(format)\" is not a format; use mbox, csv or eml")
        }
    }

    @Sendable func mark(_ request: Request, context: WebContext) async throws -> Response {
        let ref = try Self.ref(context)
        let body = try await JSONBody.decode(MarkBody.self, from: request, context: context)
        let ids = try await store.people.resolveAll(body.people, as: account)
        return try JSONBody.response(try await store.campaigns.mark(ref, people: ids, status: body.status, as: account))
    }

    // MARK: Request bodies

    /// `POST /api/v1/attempts`: person (id, email or name) and outcome required; at, reschedule (ISO 8601 or date
    /// words, in the user's zone), note, campaign, phone. Numbers are read as their text (a person's id).
    struct AttemptBody: RequestBody {
        static let keys = ["person", "outcome", "at", "note", "campaign", "reschedule", "phone"]
        /// Each given key with its text; nil when it was neither text nor a number (``OutreachAPI/record`` says so).
        var fields: [String: String?] = [:]

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            // Only the person may be named by a number (their id); every other field is text.
            for key in Self.keys where read.has(key) {
                let text = read.decoded(String.self, key) ?? (key == "person" ? read.decoded(Int64.self, key).map(String.init) : nil)
                fields[key] = .some(text)
            }
        }
    }

    /// The campaign fields of a body (merge patch: `null` clears product and sender, empties a list).
    static func patch(_ read: FieldReader) -> CampaignPatch {
        var p = CampaignPatch()
        func string(_ key: String) -> FieldChange<String>? {
            // Only product and sender can be cleared; the rest of a campaign is never empty.
            if read.isNull(key), key != "product", key != "sender" { read.fail(key, "must be a string, not null"); return nil }
            return read.text(key)
        }
        if let name = string("name") { p.name = name.value ?? "" }
        if let ask = string("ask") { p.ask = ask.value ?? "" }
        if let subject = string("subject") { p.subject = subject.value ?? "" }
        if let text = string("body") { p.body = text.value ?? "" }
        p.product = string("product")
        p.sender = string("sender")
        p.personas = read.stringList("personas")
        p.tags = read.stringList("tags")
        if let stages = read.stringList("stages") {
            var parsed: [Stage] = []
            for s in stages {
                if let stage = Stage(rawValue: s) { parsed.append(stage) } else {
                    read.fail("stages", "\"\(s)\" is not a stage; use \(Stage.allCases.map(\.rawValue).joined(separator: ", "))")
                }
            }
            p.stages = parsed
        }
        if read.has("weekly") { p.weekly = read.integer("weekly", in: 1...200, required: true) }
        if read.has("cooldownDays") { p.cooldownDays = read.integer("cooldownDays", in: 0...365, required: true) }
        return p
    }

    /// `POST /api/v1/campaigns`: the campaign's fields.
    struct CampaignBody: RequestBody {
        static let keys = campaignKeys
        var patch: CampaignPatch

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            patch = OutreachAPI.patch(read)
            try read.finish()
        }
    }

    /// `POST /api/v1/campaigns/preview`: a campaign's fields and the person (id, email or name) to preview for.
    struct PreviewBody: RequestBody {
        static let keys = campaignKeys + ["person"]
        var patch: CampaignPatch
        var person: String?

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            patch = OutreachAPI.patch(read)
            if read.has("person") {
                person = read.decoded(String.self, "person").flatMap(\.trimmed.nilIfEmpty)
                if person == nil { read.fail("person", "give the person to preview for as an id, email or name, e.g. \"Dana Kim\"") }
            }
            try read.finish()
        }
    }

    /// `PATCH /api/v1/campaigns/{campaign}`: the fields to change, and `state` (active or paused).
    struct CampaignPatchBody: RequestBody {
        static let keys = campaignKeys + ["state"]
        var patch: CampaignPatch

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            patch = OutreachAPI.patch(read)
            if read.has("state") {
                patch.state = read.decoded(String.self, "state").flatMap(CampaignState.init(rawValue:))
                if patch.state == nil { read.fail("state", "use active or paused") }
            }
            try read.finish()
        }
    }

    /// `POST /api/v1/campaigns/{campaign}/batch`: `{"week": "2026-W48", "dryRun": true}`, both optional.
    struct BatchBody: RequestBody {
        static let keys = ["week", "dryRun"]
        var week: ISOWeek?
        var dryRun: Bool

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            if read.has("week"), !read.isNull("week") {
                if let text = read.decoded(String.self, "week") {
                    week = try read.errors.check { try ISOWeek.parse(text, field: "week") } ?? nil
                } else {
                    read.fail("week", "must be a string such as 2026-W48")
                }
            }
            dryRun = read.bool("dryRun") ?? false
            try read.finish()
        }
    }

    /// `POST /api/v1/campaigns/{campaign}/recipients`: `{"people": [12, 15], "status": "replied-yes"}`.
    struct MarkBody: RequestBody {
        static let keys = ["people", "status"]
        /// The people as given: ids (as text), emails or names.
        var people: [String]
        var status: RecipientStatus

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            let status = read.decoded(String.self, "status").flatMap(RecipientStatus.init(rawValue:))
            if status == nil { read.fail("status", "use one of " + RecipientStatus.markable.map(\.rawValue).joined(separator: ", ")) }
            let people = read.references("people")
            if people?.isEmpty ?? !read.has("people") { read.fail("people", "give a list of person ids, e.g. [12, 15]") }
            try read.finish()
            (self.people, self.status) = (people ?? [], status ?? .sent)
        }
    }
}
