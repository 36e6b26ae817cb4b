import Foundation
import RapportCore
import RapportStore

/// The "log a conversation" form (also used to edit one): its fields as typed, and their errors.
struct ConversationForm {
    var kind = ConversationKind.call.rawValue
    var when = ""
    var duration = ""
    var objective = ""
    var met = ""
    var notes = ""
    var inbound = false
    var via = ""
    var company = ""
    var unnamed = ""
    /// Comma-separated references: names, emails, ids, or `Name (#12)` as the picker offers them.
    var people = ""
    var followUp = ""
    var due = ""
    /// Feedback heard, one `kind: text` per line.
    var feedback = ""
    /// The guide chosen in the picker, and the guide whose questions the form shows (answers belong to that one).
    var guide = ""
    var ranGuide = ""
    /// Answers typed, by position in the guide.
    var answers: [Int: String] = [:]
    var errors: [String: String] = [:]
    /// On an edit, the fields as the form first drew them (carried back hidden): only what the user changed is
    /// written, so an edit made elsewhere meanwhile, and a time to the second, stay as they are.
    var drawn: [String: String] = [:]

    init() {}

    /// The fields an edit may change, as the form holds them.
    var editable: [String: String] {
        ["kind": kind, "when": when, "duration": duration, "objective": objective, "met": met, "notes": notes,
         "inbound": inbound ? "1" : "", "via": via, "company": company, "unnamed": unnamed, "people": people]
    }

    /// The fields that differ from how the form drew them (all of them when it was not drawn from a record).
    var changed: Set<String> {
        let now = editable
        return Set(now.keys.filter { drawn[$0] == nil || drawn[$0] != now[$0] })
    }

    init(form: FormData) {
        kind = form["kind"]
        when = form["when"]
        duration = form["duration"]
        objective = form["objective"]
        met = form["met"]
        notes = form["notes"]
        inbound = form["inbound"] == "1"
        via = form["via"]
        company = form["company"]
        unnamed = form["unnamed"]
        people = form.all("people").filter { !$0.trimmed.isEmpty }.joined(separator: ", ")
        followUp = form["followUp"]
        due = form["due"]
        feedback = form["feedback"]
        guide = form["guide"]
        ranGuide = form["ranGuide"]
        answers = Self.answers(form)
        for (key, value) in form.pairs where key.hasPrefix("_was_") { drawn[String(key.dropFirst(5))] = value }
    }

    /// The `answer.N` fields of a form, by N.
    static func answers(_ form: FormData) -> [Int: String] {
        var out: [Int: String] = [:]
        for (key, value) in form.pairs where key.hasPrefix("answer.") {
            if let position = Int(key.dropFirst("answer.".count)) { out[position] = value }
        }
        return out
    }

    /// A stored conversation as form values, for editing.
    init(conversation c: Conversation, clock: UserClock) {
        let d = c.details
        kind = d.kind.rawValue
        when = clock.show(d.at)
        duration = d.durationMinutes.map(String.init) ?? ""
        objective = d.objective ?? ""
        met = d.met?.rawValue ?? ""
        notes = d.notes
        inbound = d.direction == .inbound
        via = d.via ?? ""
        company = d.company ?? ""
        unnamed = d.unnamed ?? ""
        people = c.people.map { "\($0.name) (#\($0.id))" }.joined(separator: ", ")
        drawn = editable
    }

    /// The conversation (and follow-up) the form describes; every problem is collected into one error.
    func parse(store: Store, account: AccountID, clock: UserClock, allowFollowUp: Bool = true) async throws -> (ConversationDetails, [NewFollowUp]) {
        let errors = FieldErrors()
        let kind = ConversationKind(rawValue: self.kind) ?? {
            errors.append("kind", "choose one of \(ConversationKind.allCases.map(\.rawValue).joined(separator: ", "))")
            return .call
        }()
        var d = ConversationDetails(kind: kind, at: clock.now)
        if !when.trimmed.isEmpty, let at = try errors.check({ try clock.parse(when, field: "when", lean: .past).date }) {
            d.at = at
        }
        if !duration.trimmed.isEmpty {
            if let minutes = Int(duration.trimmed) { d.durationMinutes = minutes } else {
                errors.append("duration", "\"\(duration)\" is not a number of minutes; write for example 30")
            }
        }
        if !met.isEmpty {
            if let value = ObjectiveMet(rawValue: met) { d.met = value } else { errors.append("met", "choose yes, partly or no") }
        }
        d.objective = objective
        d.notes = notes
        d.direction = inbound ? .inbound : .outbound
        d.via = via
        d.company = company
        d.unnamed = unnamed
        let references = Self.references(people)
        d.people = try await errors.check { try await store.people.resolveAll(references, as: account) } ?? []
        if let id = Int64(ranGuide) {
            let typed = answers.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
            if let (found, given) = try await errors.check({ try await store.guides.answers(typed, guide: "#\(id)", person: d.people.first, as: account) }) {
                d.guide = found.id
                d.answers = given
            }
        }
        if allowFollowUp { _ = try errors.check { try heard() } }
        var followUps: [NewFollowUp] = []
        if allowFollowUp && !followUp.trimmed.isEmpty {
            let moment = due.trimmed.isEmpty ? nil : try errors.check { try clock.parse(due, field: "due", lean: .future) }
            followUps.append(NewFollowUp(text: followUp, due: moment))
        } else if allowFollowUp && !due.trimmed.isEmpty {
            errors.append("followUp", "say what to follow up on, or clear the due date")
        }
        // The rules' own errors join the form's (one message a field), so every problem shows at once.
        do { d = try ConversationRules.validate(d, now: clock.now) } catch let e as RapportError {
            let known = errors.all
            errors.append(contentsOf: e.fieldErrors.filter { new in !known.contains { $0.field == new.field } })
        }
        try errors.throwIfAny()
        return (d, followUps)
    }

    /// The change the edit form makes: the fields the user changed, set as `d` (the form read whole) has them.
    func patch(from d: ConversationDetails) -> ConversationPatch {
        let changed = changed
        var p = ConversationPatch()
        func optional<T>(_ value: T?) -> FieldChange<T> { value.map(FieldChange.set) ?? .clear }
        if changed.contains("kind") { p.kind = d.kind }
        if changed.contains("when") { p.at = d.at }
        if changed.contains("duration") { p.durationMinutes = optional(d.durationMinutes) }
        if changed.contains("people") { p.people = .replace(d.people) }
        if changed.contains("unnamed") { p.unnamed = optional(d.unnamed) }
        if changed.contains("company") { p.company = optional(d.company) }
        if changed.contains("inbound") { p.direction = d.direction }
        if changed.contains("objective") { p.objective = optional(d.objective) }
        if changed.contains("met") { p.met = optional(d.met) }
        if changed.contains("notes") { p.notes = d.notes }
        if changed.contains("via") { p.via = optional(d.via) }
        return p
    }

    /// The feedback lines: `pain: exports take an hour`, one a line.
    func heard() throws -> [NewFeedback] {
        let errors = FieldErrors()
        let lines = feedback.split(whereSeparator: \.isNewline).map { $0.trimmed }.filter { !$0.isEmpty }
        let parsed = try lines.compactMap { line in try errors.check { try FeedbackLine.parse(line) } }
        try errors.throwIfAny()
        return parsed.map { NewFeedback(kind: $0.0, text: $0.1) }
    }

    /// Splits `Dana Kim (#12), lee@acme.example, 7` into references the store resolves.
    static func references(_ text: String) -> [String] {
        text.split(separator: ",").map { $0.trimmed }.filter { !$0.isEmpty }.map { ref in
            if ref.hasSuffix(")"), let open = ref.range(of: "(#", options: .backwards) {
                let digits = ref[open.upperBound..<ref.index(before: ref.endIndex)]
                if !digits.isEmpty, digits.allSatisfy(\.isNumber) { return "#" + digits }
            }
            return ref
        }
    }

    /// The form's fields, for the template.
    func view(action: String, submitLabel: String, csrf: String, fixedPerson: PersonSummary?, showFollowUp: Bool,
              guides: [Guide] = [], sheet: GuideSheet? = nil) -> ConversationFormView {
        let run = sheet.map { sheet in
            GuideRunView(guideID: sheet.guide.id.description, name: sheet.guide.name, objective: sheet.objective, smallTalk: sheet.smallTalk,
                         lastConversation: sheet.lastConversation, person: sheet.person?.name,
                         questions: sheet.questions.map { q in
                             AnswerBoxView(position: q.position, text: q.text, name: "answer.\(q.position)", inputID: "answer-\(q.position)",
                                           value: answers[q.position] ?? "")
                         })
        }
        return ConversationFormView(
            action: action, submitLabel: submitLabel, csrf: csrf,
            kinds: ConversationKind.allCases.map { Choice(value: $0.rawValue, label: $0.label.initialUpper, selected: $0.rawValue == kind) },
            mets: [Choice(value: "", label: "Not said", selected: met.isEmpty)]
                + ObjectiveMet.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue.initialUpper, selected: $0.rawValue == met) },
            when: when, duration: duration, objective: objective, notes: notes, inbound: inbound, via: via, company: company,
            unnamed: unnamed, people: people, fixedPerson: fixedPerson, followUp: followUp, due: due, feedback: feedback, showFollowUp: showFollowUp,
            errors: ErrorView(errors), hasErrors: !errors.isEmpty, errorCount: errors.count,
            guides: [Choice(value: "", label: "No guide", selected: guide.isEmpty)]
                + guides.map { Choice(value: $0.id.description, label: "\($0.name) (\($0.questions.count) questions)", selected: $0.id.description == guide) },
            showGuidePicker: !guides.isEmpty, guideRun: run, answerError: errors["answer"] ?? errors["answers"] ?? errors["guide"],
            drawn: drawn.keys.sorted().map { HiddenField(name: "_was_" + $0, value: drawn[$0] ?? "") })
    }
}

/// Per-field error texts for the template (stored properties only: Mustache reads them by reflection).
struct ErrorView {
    var kind: String?
    var when: String?
    var duration: String?
    var objective: String?
    var met: String?
    var notes: String?
    var via: String?
    var company: String?
    var unnamed: String?
    var people: String?
    var followUp: String?
    var due: String?
    var feedback: String?

    init(_ errors: [String: String]) {
        kind = errors["kind"]
        when = errors["when"]
        duration = errors["duration"]
        objective = errors["objective"]
        met = errors["met"]
        notes = errors["notes"]
        via = errors["via"]
        company = errors["company"]
        unnamed = errors["unnamed"]
        people = errors["people"]
        followUp = errors["followUp"] ?? errors["text"]
        due = errors["due"]
        feedback = errors["feedback"]
    }
}

struct ConversationFormView {
    var action: String
    var submitLabel: String
    var csrf: String
    var kinds: [Choice]
    var mets: [Choice]
    var when: String
    var duration: String
    var objective: String
    var notes: String
    var inbound: Bool
    var via: String
    var company: String
    var unnamed: String
    var people: String
    var fixedPerson: PersonSummary?
    var followUp: String
    var due: String
    var feedback: String
    var showFollowUp: Bool
    var errors: ErrorView
    var hasErrors: Bool
    var errorCount: Int
    var guides: [Choice]
    var showGuidePicker: Bool
    var guideRun: GuideRunView?
    var answerError: String?
    /// Set on the log page: what is typed is kept in the browser until sent (see GuideScript).
    var draftKey: String?
    /// "1" when the form is as the server first drew it, so a kept draft may fill it.
    var fresh = "0"
    /// What an edit form was drawn with (see ``ConversationForm/drawn``).
    var drawn: [HiddenField] = []
}

/// A guide run inside the log form: the reminder at the top and an answer box under each question.
struct GuideRunView {
    /// Named apart from the page's own `id`, which templates inside this section still need.
    var guideID: String
    var name: String
    var objective: String
    var smallTalk: String?
    var lastConversation: String?
    var person: String?
    var questions: [AnswerBoxView]
}

struct AnswerBoxView {
    var position: Int
    var text: String
    var name: String
    var inputID: String
    var value: String
}
