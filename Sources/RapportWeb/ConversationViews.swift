import Foundation
import RapportCore
import RapportFormats
import RapportStore

/// A follow-up as a row with done/snooze buttons.
struct FollowUpRow {
    var id: String
    var text: String
    var person: String
    var personID: String
    var open: Bool
    var due: String?
    var dueRelative: String?
    var late: Bool
    var snoozes: Int
    var snoozed: Bool
    var conversationID: String?
    var csrf: String
    var returnTo: String

    init(_ f: FollowUp, clock: UserClock, csrf: String, returnTo: String) {
        id = f.id.description
        text = f.text
        person = f.person.name
        personID = f.person.id.description
        open = f.isOpen
        due = f.dueDay.map { $0.label + (f.dueAt.map { " " + LocalTime.clock($0, in: clock.zone) } ?? "") }
        dueRelative = f.dueDay.map { LocalTime.relative($0, from: clock.today) }
        late = f.isOpen && (f.dueDay.map { $0 < clock.today } ?? false)
        snoozes = f.snoozes
        snoozed = f.snoozes > 0
        conversationID = f.conversation?.description
        self.csrf = csrf
        self.returnTo = returnTo
    }
}

/// A conversation as a timeline or list entry.
struct ConversationRow {
    var id: String
    var title: String
    var kind: String
    var when: String
    var whenRelative: String
    var company: String?
    var objective: String?
    var met: String?
    var excerpt: String?
    var people: [PersonSummaryView]

    init(_ c: Conversation, clock: UserClock) {
        id = c.id.description
        title = c.title
        kind = c.details.kind.rawValue
        when = clock.show(c.details.at)
        whenRelative = LocalTime.relative(CalendarDay(c.details.at, in: clock.zone), from: clock.today)
        company = c.details.company
        objective = c.details.objective
        met = c.details.met?.rawValue
        let firstLine = c.details.notes.split(separator: "\n").first.map(String.init)
        excerpt = firstLine.map { $0.count > 160 ? String($0.prefix(160)) + "…" : $0 }
        people = c.people.map { PersonSummaryView(id: $0.id.description, name: $0.name) }
    }
}

struct PersonSummaryView {
    var id: String
    var name: String
}

/// One entry of a timeline: a conversation or a follow-up.
struct TimelineRow {
    var conversation: ConversationRow?
    var followUp: FollowUpRow?
}

/// "Last contact …, every 30 days, due in 4 days" for the person page.
struct StatusView {
    var lastContact: String
    var conversations: Int
    var cadence: String
    var nextDue: String?
    var phrase: String
    var overdue: Bool
    var snoozedUntil: String?

    init(_ s: CadenceStatus, person: Person, clock: UserClock) {
        if let last = s.lastContact {
            let day = CalendarDay(last, in: clock.zone)
            lastContact = "\(day.label) (\(LocalTime.relative(day, from: clock.today)))"
        } else {
            lastContact = "never talked to"
        }
        conversations = s.conversations
        cadence = s.cadenceDays.map { "every \($0) days" + (s.cadenceSource == .stage ? " (default for \(person.details.stage.rawValue))" : "") } ?? "no cadence"
        nextDue = s.nextDue?.label
        phrase = s.phrase
        overdue = (s.daysOverdue ?? -1) > 0
        snoozedUntil = person.snoozedUntil.map(\.label)
    }
}

/// The conversation page.
struct ConversationView {
    var chrome = Chrome(conversations: true)
    var id: String
    var title: String
    var facts: [PersonView.Fact]
    var people: [PersonSummaryView]
    var notesHTML: String?
    var followUps: [FollowUpRow]
    var hasFollowUps: Bool
    var csrf: String
    var deleteError: String?
    var guideName: String?
    var guideID: String?
    var answers: [AnswerView]
    var hasAnswers: Bool
    var hasGuides = false
    var feedback: [FeedbackRowView] = []
    /// The first person, as the feedback form names them.
    var from: String?
    var kinds = FeedbackKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: $0 == .pain) }

    struct AnswerView {
        var position: Int
        var question: String
        var answer: String
    }

    init(_ c: Conversation, followUps: [FollowUp], clock: UserClock, csrf: String) {
        let d = c.details
        id = c.id.description
        title = c.title
        var facts: [PersonView.Fact] = []
        func add(_ label: String, _ value: String?) {
            if let value, !value.isEmpty { facts.append(PersonView.Fact(label: label, value: value, href: nil)) }
        }
        add("Kind", d.kind.label)
        add("When", "\(LocalTime.label(d.at, in: clock.zone)) (\(LocalTime.relative(CalendarDay(d.at, in: clock.zone), from: clock.today)))")
        add("Duration", d.durationMinutes.map { "\($0) minutes" })
        if d.kind != .secondhand { add("Direction", d.direction == .inbound ? "They reached out" : "I reached out") }
        add("Reported by", d.via)
        add("Company", d.company)
        add("Also there", d.unnamed)
        add("Objective", d.objective)
        add("Objective met", d.met?.rawValue)
        self.facts = facts
        people = c.people.map { PersonSummaryView(id: $0.id.description, name: $0.name) }
        notesHTML = d.notes.isEmpty ? nil : NotesRenderer.html(d.notes)
        self.followUps = followUps.map { FollowUpRow($0, clock: clock, csrf: csrf, returnTo: "/conversations/\(c.id)") }
        hasFollowUps = !followUps.isEmpty
        self.csrf = csrf
        guideName = c.guide?.name ?? (d.answers.isEmpty ? nil : "a deleted guide")
        guideID = c.guide?.id.description
        answers = d.answers.map { AnswerView(position: $0.position, question: $0.question, answer: $0.answer) }
        hasAnswers = !d.answers.isEmpty
    }
}

/// A person in the due list.
struct DueRow {
    var id: String
    var name: String
    var company: String?
    var phrase: String
    var lastContact: String
    var cadence: String
    var warmth: Int
    var warmthDots: String
    var late: Bool
    var csrf: String

    init(_ entry: DuePerson, clock: UserClock, csrf: String) {
        let p = entry.person
        id = p.id.description
        name = p.name
        company = p.details.company
        phrase = entry.status.phrase
        lastContact = entry.status.lastContact.map { "last talked " + LocalTime.relative(CalendarDay($0, in: clock.zone), from: clock.today) } ?? "never talked to"
        cadence = "every \(entry.status.cadenceDays ?? 0) days"
        warmth = p.details.warmth
        warmthDots = p.details.warmthDots
        late = (entry.status.daysOverdue ?? 0) > 0
        self.csrf = csrf
    }
}

struct DueView {
    var chrome = Chrome(due: true)
    var today: String
    var within: Int
    var overdue: [DueRow]
    var upcoming: [DueRow]
    var followUps: [FollowUpRow]
    var overdueCount: Int
    var upcomingCount: Int
    var followUpCount: Int
    var snoozed: Int
    var nothing: Bool
    /// "1 to 50 shown" beside a list longer than a page; nil when it all fits.
    var overdueShown: String?
    var upcomingShown: String?
    /// Links to the pages before and after this one (they keep `within`).
    var previousPage: String?
    var nextPage: String?
    var pageSize = DueView.pageSize
}

extension DueView {
    /// People listed in each list of one page of `/due`.
    static let pageSize = 50
}

struct ConversationListView {
    var chrome = Chrome(conversations: true)
    var rows: [ConversationRow]
    var kinds: [Choice]
    var count: Int
    var filtered: Bool
    var pager: Pager?

    static let pageSize = 100
}

struct LogPageView {
    var chrome = Chrome(log: true)
    var heading: String
    var form: ConversationFormView
    var people: [PeoplePickerOption]
    var cancel: String
}

struct PeoplePickerOption {
    var value: String
    var label: String
}

/// The page that runs a guide on a logged conversation.
struct AnswersPageView {
    var chrome = Chrome(conversations: true)
    var id: String
    var title: String
    var csrf: String
    var guides: [Choice]
    var run: GuideRunView?
    var guideID: String
    var objective: String
    var switching: String?
    var error: String?
}
