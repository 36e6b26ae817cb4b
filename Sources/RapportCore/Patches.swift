#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

// One patch value per editable aggregate. Each names only what it changes: the CLI's options, a web form and the
// API's merge patch (RFC 7396) each make one, and the store makes it on the record as stored, in one transaction,
// so an interface never erases a field it does not show. (The person's is ``PersonPatch``.)

/// A change to a conversation. Its guide answers change through their own intent (answering), never here.
public struct ConversationPatch: Sendable, Equatable {
    public var kind: ConversationKind?
    public var at: Date?
    public var durationMinutes: FieldChange<Int>?
    public var people = ListChange<PersonID>()
    public var unnamed: FieldChange<String>?
    public var company: FieldChange<String>?
    public var direction: Direction?
    public var objective: FieldChange<String>?
    public var met: FieldChange<ObjectiveMet>?
    public var notes: String?
    /// Markdown added at the end of the notes.
    public var appendedNotes: String?
    public var via: FieldChange<String>?

    public init() {}

    public func applied(to details: ConversationDetails) -> ConversationDetails {
        var d = details
        if let kind { d.kind = kind }
        if let at { d.at = at }
        d.durationMinutes = d.durationMinutes.changed(by: durationMinutes)
        d.people = people.applied(to: d.people) { $0.description }
        d.unnamed = d.unnamed.changed(by: unnamed)
        d.company = d.company.changed(by: company)
        if let direction { d.direction = direction }
        d.objective = d.objective.changed(by: objective)
        d.met = d.met.changed(by: met)
        if let notes { d.notes = notes }
        if let more = appendedNotes, !more.trimmed.isEmpty { d.notes = d.notes.trimmed.isEmpty ? more : d.notes + "\n\n" + more }
        d.via = d.via.changed(by: via)
        return d
    }
}

/// A change to a campaign: its ask, templates, audience and pace, and whether it runs.
public struct CampaignPatch: Sendable, Equatable {
    public var name: String?
    public var ask: String?
    public var subject: String?
    public var body: String?
    public var personas: [String]?
    public var tags: [String]?
    public var stages: [Stage]?
    public var weekly: Int?
    public var cooldownDays: Int?
    public var product: FieldChange<String>?
    public var sender: FieldChange<String>?
    public var state: CampaignState?

    public init() {}

    public func applied(to details: CampaignDetails) -> CampaignDetails {
        var d = details
        if let name { d.name = name }
        if let ask { d.ask = ask }
        if let subject { d.subject = subject }
        if let body { d.body = body }
        if let personas { d.personas = personas }
        if let tags { d.tags = tags }
        if let stages { d.stages = stages }
        if let weekly { d.weekly = weekly }
        if let cooldownDays { d.cooldownDays = cooldownDays }
        d.product = d.product.changed(by: product)
        d.sender = d.sender.changed(by: sender)
        return d
    }
}

/// A change to a goal; the goal is checked again as a whole.
public struct GoalPatch: Sendable, Equatable {
    public var title: String?
    public var metric: GoalMetric?
    public var target: Int?
    public var from: CalendarDay?
    public var to: CalendarDay?
    public var kinds: [ConversationKind]?
    public var personas: [String]?
    public var serves: FieldChange<String>?
    public var archived: Bool?

    public init() {}

    public func applied(to details: GoalDetails) -> GoalDetails {
        var d = details
        if let title { d.title = title }
        if let metric { d.metric = metric }
        if let target { d.target = target }
        if let from { d.from = from }
        if let to { d.to = to }
        if let kinds { d.kinds = kinds }
        if let personas { d.personas = personas }
        d.serves = d.serves.changed(by: serves)
        return d
    }
}

/// A change to a guide: name, objective, personas, and its questions (replaced, taken out by position, added at
/// the end, one moved), made in that order.
public struct GuidePatch: Sendable, Equatable {
    public var name: String?
    public var objective: String?
    public var personas: [String]?
    public var questions: [QuestionID]?
    /// Positions (from 1) to take out.
    public var removedPositions: Set<Int> = []
    public var addedQuestions: [QuestionID] = []
    /// A question to move: from one position to another (from 1).
    public var move: Move?
    /// The field a bad position is reported under (`remove`/`move` for the CLI, `position` for the page).
    public var positionField: String?

    public struct Move: Sendable, Equatable {
        public var from: Int
        public var to: Int
        public init(from: Int, to: Int) {
            self.from = from
            self.to = to
        }
    }

    public init() {}

    /// - Throws: ``RapportError/invalid(_:)`` when a position is not in the guide.
    public func applied(to details: GuideDetails) throws -> GuideDetails {
        var d = details
        if let name { d.name = name }
        if let objective { d.objective = objective }
        if let personas { d.personas = personas }
        if let questions { d.questions = questions }
        try d.removeQuestions(at: removedPositions, field: positionField ?? "remove")
        d.questions += addedQuestions
        if let move { try d.moveQuestion(move.from, to: move.to, field: positionField ?? "move") }
        return d
    }
}

/// A change to a feature request: what it is, its scores and its status.
public struct FeatureRequestPatch: Sendable, Equatable {
    public var title: String?
    public var problem: FieldChange<String>?
    public var area: FieldChange<String>?
    public var impact: FieldChange<Int>?
    public var effort: FieldChange<Int>?
    public var status: FeatureRequestStatus?

    public init() {}

    public func applied(to details: FeatureRequestDetails) -> FeatureRequestDetails {
        var d = details
        if let title { d.title = title }
        d.problem = d.problem.changed(by: problem)
        d.area = d.area.changed(by: area)
        d.impact = d.impact.changed(by: impact)
        d.effort = d.effort.changed(by: effort)
        return d
    }
}

/// A change to a hypothesis: its wording, area, personas and status (evidence is added by its own intent).
public struct HypothesisPatch: Sendable, Equatable {
    public var text: String?
    public var area: FieldChange<String>?
    public var personas: [String]?
    public var status: HypothesisStatus?

    public init() {}

    public func applied(to details: HypothesisDetails) -> HypothesisDetails {
        var d = details
        if let text { d.text = text }
        d.area = d.area.changed(by: area)
        if let personas { d.personas = personas }
        return d
    }
}
