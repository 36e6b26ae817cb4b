import Foundation
import RapportCore

// The views of the learning pages: stored properties only, as Mustache reads them by reflection.

struct FeedbackRowView {
    var id: String
    var text: String
    var kind: String
    var quote: Bool
    var themes: [String]
    var area: String?
    var severity: String?
    var secondhand: Bool
    var personID: String
    var person: String
    var company: String?
    var conversation: String?
    var day: String

    init(_ f: Feedback, zone: TimeZone) {
        id = f.id.description
        text = f.text
        kind = f.kind.label
        quote = f.quote
        themes = f.themes
        area = f.area
        severity = f.severity.map { "severity \($0)" }
        secondhand = f.secondhand
        personID = f.person.id.description
        person = f.person.name
        company = f.company
        conversation = f.conversation?.description
        day = CalendarDay(f.at, in: zone).description
    }
}

struct FilterValues {
    var person: String
    var persona: String
    var area: String
    var company: String
    var since: String
    var until: String
    var quotes: Bool
}

struct InboxView {
    var chrome = Chrome(feedback: true)
    var csrf: String
    var rows: [FeedbackRowView]
    var count: Int
    var kinds: [Choice]
    var newKinds: [Choice]
    var themes: [Choice]
    var requests: [Choice]
    var hasRequests: Bool
    var people: [PeoplePickerOption]
    var query: FilterValues
    var filterError: String?
    var text: String
    var from: String
    var themesText: String
    var quote: Bool
    var errorText: String?
    var notice: String?
    var pager: Pager?

    static let pageSize = 100
}

struct ThemeRowView {
    var name: String
    var path: String
    var count: Int
    var people: Int
    var companies: Int
    var rising: Bool
    var explanation: String
    var personas: String

    init(_ t: ThemeSummary) {
        name = t.name
        path = Pages.urlComponent(t.name)
        count = t.count
        people = t.people
        companies = t.companies
        rising = t.trend.rising
        explanation = t.trend.explanation
        personas = t.personas.map { "\($0.persona) \($0.count)" }.joined(separator: ", ")
    }
}

struct ThemesView {
    var chrome = Chrome(themes: true)
    var rows: [ThemeRowView]
    var count: Int
}

struct WeekRow {
    var week: String
    var count: Int
}

struct PersonaShare {
    var persona: String
    var count: Int
}

struct ThemeView {
    var chrome = Chrome(themes: true)
    var csrf: String
    var others: [String]
    var summary: ThemeRowView
    var chart: String
    var weeks: [WeekRow]
    var personas: [PersonaShare]
    var hasPersonas: Bool
    var feedback: [FeedbackRowView]
}

struct RequestRowView {
    var id: String
    var title: String
    var status: String
    var score: String
    var explanation: String
    var mentions: Int
    var people: Int
    var companies: Int
    var direct: Int
    var secondhand: Int
    var quoted: Int

    init(_ r: FeatureRequest) {
        id = r.id.description
        title = r.title
        status = r.status.rawValue
        score = r.priority.score.oneDecimal
        explanation = r.priority.explanation
        mentions = r.evidence.mentions
        people = r.evidence.distinctPeople
        companies = r.evidence.distinctCompanies
        direct = r.evidence.directPeople
        secondhand = r.evidence.secondhandPeople
        quoted = r.evidence.quotedPeople
    }
}

struct RequestsView {
    var chrome = Chrome(requests: true)
    var csrf: String
    var rows: [RequestRowView]
    var count: Int
    var formula: String
    var sorts: [Choice]
    var errorText: String?
}

struct AskerView {
    var id: String
    var name: String
    var company: String?
    var told: String?
    /// A `mailto:` link with the "it shipped" email filled in, once the request shipped.
    var mailto: String?
}

struct FeedbackEditView {
    var chrome = Chrome(feedback: true)
    var csrf: String
    var row: FeedbackRowView
    var text: String
    var kinds: [Choice]
    var themes: String
    var area: String
    var severity: String
    var quote: Bool
    var secondhand: Bool
    var requests: [GuideLink]
    var errorText: String?
}

struct RequestView {
    var chrome = Chrome(requests: true)
    var csrf: String
    var row: RequestRowView
    var problem: String?
    var statuses: [Choice]
    var impact: String
    var effort: String
    var askers: [AskerView]
    var shipped: Bool
    var firstHeard: String?
    var lastHeard: String?
    var personas: [PersonaShare]
    var feedback: [FeedbackRowView]
    var formula: String
    var errorText: String?
}

struct HypothesisRowView {
    var id: String
    var text: String
    var status: String
    var personas: String?
    var supportPeople: Int
    var supportDirect: Int
    var supportSecondhand: Int
    var againstPeople: Int
    var againstDirect: Int
    var againstSecondhand: Int
    var nextStep: String

    init(_ h: Hypothesis) {
        id = h.id.description
        text = h.text
        status = h.status.rawValue
        personas = h.personas.isEmpty ? nil : h.personas.joined(separator: ", ")
        supportPeople = h.tally.supports.people
        supportDirect = h.tally.supports.direct
        supportSecondhand = h.tally.supports.secondhand
        againstPeople = h.tally.contradicts.people
        againstDirect = h.tally.contradicts.direct
        againstSecondhand = h.tally.contradicts.secondhand
        nextStep = h.nextStep
    }
}

struct HypothesesView {
    var chrome = Chrome(hypotheses: true)
    var csrf: String
    var rows: [HypothesisRowView]
    var count: Int
    var personas: [Choice]
    var errorText: String?
}

struct EvidenceRowView {
    var supports: Bool
    var summary: String
    var person: String
    var personID: String
    var secondhand: Bool
    var note: String?
    var link: String
    var source: String
    var day: String

    init(_ e: HypothesisEvidence, zone: TimeZone) {
        supports = e.supports
        summary = e.summary
        person = e.person.name
        personID = e.person.id.description
        secondhand = e.secondhand
        note = e.note
        if let f = e.feedback {
            link = "/feedback?person=%23\(e.person.id)"
            source = "feedback #\(f)"
        } else {
            link = "/conversations/\(e.conversation?.description ?? "")"
            source = "conversation #\(e.conversation?.description ?? "")"
        }
        day = CalendarDay(e.at, in: zone).description
    }
}

struct HypothesisView {
    var chrome = Chrome(hypotheses: true)
    var csrf: String
    var row: HypothesisRowView
    var statuses: [Choice]
    var supporting: [EvidenceRowView]
    var contradicting: [EvidenceRowView]
    var errorText: String?
}

/// A weekly bar chart as inline SVG, with a title and description for screen readers (the page also has a table).
enum WeeklyChart {
    static func svg(_ weeks: [WeekCount], title: String) -> String {
        let width = 560.0, height = 180.0, left = 28.0, bottom = 24.0, top = 10.0
        let maxCount = max(weeks.map(\.count).max() ?? 0, 1)
        let slot = (width - left) / Double(max(weeks.count, 1))
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"chart-title chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"chart-title\">\(HTML.escape(title))</title>"
        out += "<desc id=\"chart-desc\">\(HTML.escape(weeks.map { "\($0.week): \($0.count)" }.joined(separator: "; ")))</desc>"
        out += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#cbd2d9\"/>"
        out += "<text x=\"0\" y=\"\(top + 8)\" font-size=\"10\" fill=\"#616e7c\">\(maxCount)</text>"
        for (index, week) in weeks.enumerated() {
            let barHeight = (height - bottom - top) * Double(week.count) / Double(maxCount)
            let x = left + Double(index) * slot + slot * 0.15
            out += "<rect x=\"\(Self.f(x))\" y=\"\(Self.f(height - bottom - barHeight))\" width=\"\(Self.f(slot * 0.7))\" height=\"\(Self.f(barHeight))\" fill=\"#2f6f5e\"><title>\(week.week): \(week.count)</title></rect>"
            if index % 2 == weeks.count % 2 || weeks.count <= 8 {
                out += "<text x=\"\(Self.f(x + slot * 0.35))\" y=\"\(Self.f(height - 8))\" font-size=\"9\" text-anchor=\"middle\" fill=\"#616e7c\">W\(week.week.week)</text>"
            }
        }
        return out + "</svg>"
    }

    /// An SVG coordinate, to a tenth.
    static func f(_ value: Double) -> String { value.oneDecimal }
}
