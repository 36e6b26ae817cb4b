#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// What a report covers and how much it may say.
public struct ReportOptions: Sendable, Codable, Equatable {
    public var period: ReportPeriod
    /// Names people and companies (the report says so at the top). Off by default.
    public var named: Bool
    /// Only what was heard from people of these personas.
    public var personas: [String]
    /// Only feedback tagged with these themes (and the conversations, requests and hypotheses it touches).
    public var themes: [String]

    public init(period: ReportPeriod, named: Bool = false, personas: [String] = [], themes: [String] = []) {
        self.period = period
        self.named = named
        self.personas = personas
        self.themes = themes
    }
}

/// A company as reports see it.
public struct ReportCompany: Sendable, Equatable {
    public var name: String
    public var industry: String?
    public var shareable: Bool

    public init(name: String, industry: String?, shareable: Bool) {
        self.name = name
        self.industry = industry
        self.shareable = shareable
    }
}

/// Everything a report is chosen from; the store gathers it, `Report.build` picks and anonymises.
public struct ReportInput: Sendable {
    public var options: ReportOptions
    public var now: Date
    public var zone: TimeZone
    /// The people the report may describe: at least everyone in the period's conversations and in the feedback given
    /// (with `heard`, its quotes). When `nameKeys` is nil they must be everyone in the database, since their names are
    /// then what is scrubbed. A report reads only their name, title, company, stage and personas.
    public var people: [Person]
    /// The matching key of everyone's name in the database (archived too), as stored: what the scrubber hides from
    /// every text. Nil: the names of `people`.
    public var nameKeys: [String]?
    public var companies: [ReportCompany]
    /// Every persona's name.
    public var personas: [String]
    /// Conversations (not outreach) up to the end of the period, for counts and when each persona was last heard.
    public var conversations: [GoalEvent]
    /// Feedback heard up to the end of the period: from its start when `themeTrends` is given, else from at least
    /// eight weeks before its end (the trends are then counted from them). When `heard` is given, only the period's
    /// quotes (`quote` true) are needed, and of those only the ones ``Report/pickQuotes(_:)-([Feedback])`` picks
    /// from all of them: the rest is counted there.
    public var feedback: [Feedback]
    public var requests: [FeatureRequest]
    public var hypotheses: [Hypothesis]
    /// The outreach funnel over the period.
    public var funnel: Funnel?
    /// Goals that overlap the period, with their progress today.
    public var goals: [Goal]
    public var streak: Streak?
    /// When each persona (by name) was last heard before the end of the period, when the store worked it out (one
    /// grouped query); nil to work it out from `conversations`, which must then hold each persona's latest
    /// conversation before the end: every conversation back to the first, or at least one of every persona's.
    public var personaLastHeard: [String: Date]?
    /// Each theme's trend (by name) to the end of the period (``Report/trendWeeks`` weeks against as many before),
    /// of the feedback of the chosen personas, when the store counted it (two index ranges a theme); nil to count it
    /// from `feedback`. Every theme with feedback in the trend's weeks is in it.
    public var themeTrends: [String: Trend]?
    /// The period's feedback of the chosen personas and themes, when the store counted it; nil to count it from
    /// `feedback`. Give `themeTrends` with it: `feedback` then holds only quotes, too few to count trends from.
    public var heard: ReportHeard?

    public init(options: ReportOptions, now: Date, zone: TimeZone, people: [Person], companies: [ReportCompany], personas: [String],
                conversations: [GoalEvent], feedback: [Feedback], requests: [FeatureRequest], hypotheses: [Hypothesis],
                funnel: Funnel?, goals: [Goal], streak: Streak?, personaLastHeard: [String: Date]? = nil) {
        self.personaLastHeard = personaLastHeard
        self.options = options
        self.now = now
        self.zone = zone
        self.people = people
        self.companies = companies
        self.personas = personas
        self.conversations = conversations
        self.feedback = feedback
        self.requests = requests
        self.hypotheses = hypotheses
        self.funnel = funnel
        self.goals = goals
        self.streak = streak
    }
}

/// A quote as ``Report/pickQuotes(_:)-([QuoteCandidate])`` ranks it: who said it, how severe, when.
public struct QuoteCandidate: Sendable, Equatable {
    /// The piece of feedback quoted.
    public var id: FeedbackID
    /// Who said it.
    public var person: PersonID
    /// 1 (minor) to 5 (blocking), as given; unscored (nil) ranks as 3.
    public var severity: Int?
    /// When it was heard.
    public var at: Date

    public init(id: FeedbackID, person: PersonID, severity: Int?, at: Date) {
        self.id = id
        self.person = person
        self.severity = severity
        self.at = at
    }
}

/// What was heard in a report's period (feedback from its first day to the end of its last, in the user's zone, of
/// the chosen personas and with one of the chosen themes), counted by the store so that a report loads the feedback
/// it quotes and no more.
public struct ReportHeard: Sendable, Equatable {
    /// A theme's figures in the period.
    public struct Theme: Sendable, Equatable {
        /// Pieces of feedback tagged with the theme.
        public var mentions: Int
        /// Distinct people they were heard from.
        public var people: Int

        public init(mentions: Int, people: Int) {
            self.mentions = mentions
            self.people = people
        }
    }

    /// Each theme with feedback in the period, by name.
    public var themes: [String: Theme]
    /// Every piece of feedback heard in the period, when the report is narrowed to themes (the only case it is read:
    /// for the hypotheses' evidence it shows); empty otherwise.
    public var feedback: Set<FeedbackID>
    /// The conversations that feedback was heard in, when the report is narrowed to themes (the conversations it
    /// counts are those where a chosen theme came up); empty otherwise.
    public var conversations: Set<ConversationID>

    public init(themes: [String: Theme], feedback: Set<FeedbackID>, conversations: Set<ConversationID>) {
        self.themes = themes
        self.feedback = feedback
        self.conversations = conversations
    }
}

/// The parts of a report, in the order they are read. A report lists only the parts that have something in them.
public enum ReportSection: String, Sendable, Codable, CaseIterable {
    case conversations, personas, themes, requests, quotes, hypotheses, funnel, goals

    public var title: String {
        switch self {
        case .conversations: "Conversations"
        case .personas: "Persona coverage"
        case .themes: "Themes"
        case .requests: "Feature requests"
        case .quotes: "In their words"
        case .hypotheses: "Hypotheses"
        case .funnel: "Outreach funnel"
        case .goals: "Goals and the weekly habit"
        }
    }
}

/// A report to share: already chosen and anonymised, so every format renders it as it is.
public struct Report: Sendable, Codable, Equatable {
    public struct Count: Sendable, Codable, Equatable {
        public var label: String
        public var count: Int
    }

    public struct Conversations: Sendable, Codable, Equatable {
        public var total: Int
        public var people: Int
        public var companies: Int
        /// By kind, most first ("call", "video", "second-hand report").
        public var byKind: [Count]
        /// Who was heard from, described as the report may say it, most heard first.
        public var heardFrom: [Count]
    }

    public struct PersonaLine: Sendable, Codable, Equatable {
        public var persona: String
        public var conversations: Int
        public var people: Int
        /// Last conversation with someone of this persona, up to the end of the period.
        public var lastHeard: CalendarDay?
        /// "heard from 2 people", "not heard from in 6 weeks", "never heard from".
        public var note: String
        /// Not heard from in the last 30 days of the period.
        public var quiet: Bool
    }

    public struct ThemeLine: Sendable, Codable, Equatable {
        public var name: String
        /// Mentions in the period.
        public var count: Int
        public var people: Int
        public var rising: Bool
        /// The trend to the end of the period, with its figures.
        public var trend: String
    }

    public struct RequestLine: Sendable, Codable, Equatable {
        public var title: String
        public var status: String
        /// "new", "moved to planned", "gained evidence".
        public var change: String
        /// "3 people at 2 companies (2 direct, 1 second-hand, 1 quoted)".
        public var evidence: String
        /// People who asked in this period.
        public var newPeople: Int
        public var priority: Double
        public var priorityExplanation: String
    }

    public struct Quote: Sendable, Codable, Equatable {
        public var text: String
        public var who: String
        public var kind: String
        public var severity: Int?
        public var day: CalendarDay
        public var themes: [String]
    }

    public struct HypothesisLine: Sendable, Codable, Equatable {
        public var text: String
        public var status: String
        /// "validated this period", "+2 for and 1 against this period".
        public var change: String
        /// "3 people for (2 direct), 1 against".
        public var tally: String
        public var nextStep: String
    }

    public struct FunnelLine: Sendable, Codable, Equatable {
        public var attempts: Int
        public var calls: Int
        public var emails: Int
        public var pickedUp: Int
        public var talked: Int
        public var pickUp: String
        public var summary: String
    }

    public struct GoalLine: Sendable, Codable, Equatable {
        public var title: String
        public var value: Int
        public var target: Int
        public var percent: Int
        public var state: String
        public var summary: String
    }

    public struct StreakLine: Sendable, Codable, Equatable {
        public var minimum: Int
        public var current: Int
        public var longest: Int
        public var text: String
    }

    public var title: String
    public var period: ReportPeriod
    public var named: Bool
    /// What the report leaves out or, with names, that it names people.
    public var privacy: String
    /// "Persona: Ops Lead", "Theme: Performance".
    public var filters: [String]
    public var preparedOn: CalendarDay
    /// The few lines to read if nothing else.
    public var highlights: [String]
    public var conversations: Conversations?
    public var personas: [PersonaLine]
    public var topThemes: [ThemeLine]
    public var risingThemes: [ThemeLine]
    public var requests: [RequestLine]
    public var quotes: [Quote]
    public var hypotheses: [HypothesisLine]
    public var funnel: FunnelLine?
    public var goals: [GoalLine]
    public var streak: StreakLine?

    /// The parts with something in them, in reading order.
    public var sections: [ReportSection] {
        ReportSection.allCases.filter { section in
            switch section {
            case .conversations: conversations != nil
            case .personas: !personas.isEmpty
            case .themes: !topThemes.isEmpty || !risingThemes.isEmpty
            case .requests: !requests.isEmpty
            case .quotes: !quotes.isEmpty
            case .hypotheses: !hypotheses.isEmpty
            case .funnel: funnel != nil
            case .goals: !goals.isEmpty || streak != nil
            }
        }
    }

    public static let maxQuotes = 8
    public static let maxThemes = 8
    /// The weeks of a theme's trend in a report: the last 4 to its end against the 4 before.
    public static let trendWeeks = 4
    public static let anonymisedNotice = "People are described by role, persona and kind of company; names, emails, phone numbers and notes are left out."
    public static let namedNotice = "This report names people and companies (--names). Share it only with people allowed to see your customer list."
}

extension Report.RequestLine {
    /// "gained evidence (+2 this period)".
    public var changeText: String { change + (newPeople > 0 && change != "new" ? " (+\(newPeople) this period)" : "") }
}

extension Report.Quote {
    /// "a Head of Operations (Ops Lead persona) at a logistics customer, pain, severity 5, Sat 21 Nov 2026 (Slow exports)".
    public var attribution: String {
        [who, kind + (severity.map { ", severity \($0)" } ?? ""), day.label].joined(separator: ", ")
            + (themes.isEmpty ? "" : " (\(themes.joined(separator: ", ")))")
    }
}

extension Report {
    /// Picks what happened in the period from `input` and says it as the options allow.
    public static func build(_ input: ReportInput) -> Report {
        let options = input.options, period = options.period, zone = input.zone
        let start = period.from.moment(in: zone), end = period.to.adding(days: 1).moment(in: zone)
        func inPeriod(_ date: Date) -> Bool { date >= start && date < end }
        let voice = ReportVoice(input)

        // Matching keys are folded once per distinct name (a few dozen themes and personas), never per row.
        var keys = MatchingKeys()
        let personaFilter = Set(options.personas.map { keys[$0] })
        let themeFilter = Set(options.themes.map { keys[$0] })
        func personaMatch(_ personas: [String]) -> Bool { personaFilter.isEmpty || personas.contains { personaFilter.contains(keys[$0]) } }
        func themeMatch(_ themes: [String]) -> Bool { themeFilter.isEmpty || themes.contains { themeFilter.contains(keys[$0]) } }

        // Feedback that counts: heard up to the end of the period, from the chosen personas and themes.
        let feedback = input.feedback.filter { $0.at < end && personaMatch($0.personas) && themeMatch($0.themes) }
        let heard = feedback.filter { inPeriod($0.at) }
        let themedConversations = input.heard?.conversations ?? Set(heard.compactMap(\.conversation))

        // Conversations in the period (with the persona filter; with a theme filter, those where the theme came up).
        let people = Dictionary(input.people.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        let periodConversations = input.conversations.filter { event in
            guard !event.isOutreach, inPeriod(event.at), personaMatch(event.personas) else { return false }
            return themeFilter.isEmpty || event.conversation.map(themedConversations.contains) == true
        }
        var conversations: Conversations?
        if !periodConversations.isEmpty {
            var kinds: [String: Int] = [:]
            var whoCount: [String: Int] = [:]
            var companies = Set<String>()
            var everyone = Set<PersonID>()
            for event in periodConversations {
                kinds[event.kind?.label ?? "conversation", default: 0] += 1
                for id in Set(event.people) {
                    everyone.insert(id)
                    if let company = people[id]?.details.company { companies.insert(keys[company]) }
                }
            }
            for id in everyone { if let p = people[id] { whoCount[voice.role(p), default: 0] += 1 } }
            conversations = Conversations(total: periodConversations.count, people: everyone.count, companies: companies.count,
                                          byKind: counted(kinds), heardFrom: counted(whoCount))
        }

        // Persona coverage: every persona (or the chosen ones), with the period's conversations and when last heard.
        let personaNames = input.personas.filter { personaFilter.isEmpty || personaFilter.contains(keys[$0]) }
        // One pass over the conversations: each persona's conversations in the period and when it was last heard.
        var insideByPersona: [String: [GoalEvent]] = [:], lastByPersona: [String: Date] = [:]
        for event in input.conversations where !event.isOutreach && event.at < end {
            for key in Set(event.personas.map { keys[$0] }) {
                if inPeriod(event.at) { insideByPersona[key, default: []].append(event) }
                if input.personaLastHeard == nil { lastByPersona[key] = max(lastByPersona[key] ?? event.at, event.at) }
            }
        }
        if let stored = input.personaLastHeard {
            for (name, at) in stored { lastByPersona[keys[name]] = max(lastByPersona[keys[name]] ?? at, at) }
        }
        let personas: [PersonaLine] = personaNames.map { persona in
            let key = keys[persona]
            let inside = insideByPersona[key] ?? []
            let last = lastByPersona[key]
            let who = Set(inside.flatMap(\.people).filter { id in people[id]?.details.personas.contains { keys[$0] == key } ?? false }).count
            let quiet = last.map { end.timeIntervalSince($0) > Double(PersonaCoverage.quietDays) * 86_400 } ?? true
            let note: String
            if who > 0 { note = "heard from \(who) \(who == 1 ? "person" : "people")" }
            else if let last {
                let weeks = Int(end.timeIntervalSince(last) / (7 * 86_400))
                note = weeks < 1 ? "not heard from in this period" : "not heard from in \(weeks) week\(weeks == 1 ? "" : "s")"
            } else { note = "never heard from" }
            return PersonaLine(persona: persona, conversations: inside.count, people: who, lastHeard: last.map { CalendarDay($0, in: zone) },
                               note: note, quiet: quiet)
        }

        // Themes: the most heard in the period, and those rising to its end (last 4 weeks against the 4 before).
        var trends: [String: Trend] = [:], themeNames: [String: String] = [:], heardByTheme: [String: [Feedback]] = [:]
        if let counted = input.themeTrends {
            for (name, trend) in counted where themeMatch([name]) {
                trends[keys[name]] = trend
                themeNames[keys[name]] = themeNames[keys[name]] ?? name
            }
        } else {
            var themeDates: [String: [Date]] = [:]
            for f in feedback {
                for t in f.themes where themeMatch([t]) {
                    themeDates[keys[t], default: []].append(f.at)
                    themeNames[keys[t]] = themeNames[keys[t]] ?? t
                }
            }
            trends = themeDates.mapValues { Trend.of($0, now: end.addingTimeInterval(-1), weeks: Self.trendWeeks) }
        }
        var themeCounts: [String: ReportHeard.Theme] = [:]
        if let counted = input.heard {
            for (name, figures) in counted.themes where themeMatch([name]) {
                let key = keys[name]
                themeNames[key] = themeNames[key] ?? name
                if trends[key] == nil { trends[key] = Trend(recent: 0, previous: 0, weeks: Self.trendWeeks) }
                themeCounts[key] = figures
            }
        } else {
            for f in heard {
                for t in f.themes where themeMatch([t]) {
                    let key = keys[t]
                    themeNames[key] = themeNames[key] ?? t
                    if trends[key] == nil { trends[key] = Trend(recent: 0, previous: 0, weeks: Self.trendWeeks) }
                }
                for key in Set(f.themes.map { keys[$0] }) { heardByTheme[key, default: []].append(f) }
            }
            for (key, inside) in heardByTheme { themeCounts[key] = .init(mentions: inside.count, people: Set(inside.map(\.person.id)).count) }
        }
        var themeLines: [ThemeLine] = []
        for (key, trend) in trends {
            let inside = themeCounts[key] ?? .init(mentions: 0, people: 0)
            themeLines.append(ThemeLine(name: voice.text(themeNames[key] ?? key), count: inside.mentions, people: inside.people,
                                        rising: trend.rising, trend: trend.explanation))
        }
        let topThemes = Array(themeLines.filter { $0.count > 0 }.sorted { ($1.count, $1.people, $0.name) < ($0.count, $0.people, $1.name) }.prefix(maxThemes))
        let risingThemes = themeLines.filter(\.rising).sorted { ($1.count, $0.name) < ($0.count, $1.name) }

        // Requests: new, moved or with new evidence in the period.
        let heardIDs = input.heard?.feedback ?? Set(heard.map(\.id))
        var requests: [RequestLine] = []
        for request in input.requests {
            let relevant = request.feedback.filter { personaMatch($0.personas) && themeMatch($0.themes) }
            guard themeFilter.isEmpty && personaFilter.isEmpty || !relevant.isEmpty else { continue }
            // Heard in the period: `relevant` already holds the chosen personas' feedback on the chosen themes.
            let fresh = relevant.filter { inPeriod($0.at) }
            let change: String
            if inPeriod(request.createdAt) { change = "new" }
            else if inPeriod(request.statusAt) && request.statusAt > request.createdAt { change = "moved to \(request.status.rawValue)" }
            else if !fresh.isEmpty { change = "gained evidence" }
            else { continue }
            let e = request.evidence
            var parts = ["\(e.directPeople) direct"]
            if e.secondhandPeople > 0 { parts.append("\(e.secondhandPeople) second-hand") }
            if e.quotedPeople > 0 { parts.append("\(e.quotedPeople) quoted") }
            let evidence = "\(e.distinctPeople) \(e.distinctPeople == 1 ? "person" : "people") at \(e.distinctCompanies) compan\(e.distinctCompanies == 1 ? "y" : "ies") (\(parts.joined(separator: ", ")))"
            requests.append(RequestLine(title: voice.text(request.title), status: request.status.rawValue, change: change, evidence: evidence,
                                        newPeople: Set(fresh.map(\.person.id)).count, priority: request.priority.score,
                                        priorityExplanation: request.priority.explanation))
        }
        requests.sort { ($1.priority, $0.title) < ($0.priority, $1.title) }

        // Quotes: verbatim, most severe first, then most recent, one per person before a second from anyone.
        let quotes = pickQuotes(heard.filter(\.quote)).map { f in
            Quote(text: voice.text(f.text), who: people[f.person.id].map(voice.person) ?? "someone", kind: f.kind.label, severity: f.severity,
                  day: CalendarDay(f.at, in: zone), themes: f.themes.map(voice.text))
        }

        // Hypotheses: a status set in the period, or evidence added in it.
        var hypotheses: [HypothesisLine] = []
        for h in input.hypotheses {
            let evidence = h.evidence.filter { e in
                personaMatch(e.personas) && (themeFilter.isEmpty || e.feedback.map(heardIDs.contains) == true)
            }
            guard themeFilter.isEmpty || !evidence.isEmpty, personaFilter.isEmpty || personaMatch(h.personas) || !evidence.isEmpty else { continue }
            let fresh = evidence.filter { inPeriod($0.at) }
            let moved = inPeriod(h.statusAt) && h.statusAt > h.createdAt
            let created = inPeriod(h.createdAt)
            guard moved || created || !fresh.isEmpty else { continue }
            var changes: [String] = []
            if created { changes.append("new") }
            if moved { changes.append("\(h.status.rawValue) this period") }
            let pro = fresh.filter(\.supports).count, con = fresh.count - pro
            if !fresh.isEmpty { changes.append("+\(pro) for and \(con) against this period") }
            let t = h.tally
            let tally = "\(t.supports.people) \(t.supports.people == 1 ? "person" : "people") for (\(t.supports.direct) direct), "
                + "\(t.contradicts.people) against (\(t.contradicts.direct) direct)"
            hypotheses.append(HypothesisLine(text: voice.text(h.text), status: h.status.rawValue, change: changes.joined(separator: "; "),
                                             tally: tally, nextStep: voice.nextStep(h.nextStep)))
        }

        // The funnel, goals and the habit are about the PM's outreach, not a theme: left out of a theme report.
        var funnel: FunnelLine?
        if themeFilter.isEmpty, let f = input.funnel {
            let counts = personaFilter.isEmpty ? f.totals : f.rows.filter { personaFilter.contains(keys[$0.key]) }.reduce(into: FunnelCounts()) { sum, row in
                sum.attempts += row.counts.attempts; sum.calls += row.counts.calls; sum.emails += row.counts.emails
                sum.pickedUp += row.counts.pickedUp; sum.declined += row.counts.declined; sum.talked += row.counts.talked
            }
            if counts.attempts > 0 {
                let rate = counts.pickUpRate.map { "\(Int(saturating: $0 * 100))% picked up" } ?? "none picked up"
                funnel = FunnelLine(attempts: counts.attempts, calls: counts.calls, emails: counts.emails, pickedUp: counts.pickedUp, talked: counts.talked,
                                    pickUp: personaFilter.isEmpty ? f.pickUp.text : rate,
                                    summary: "\(counts.attempts) reach-out\(counts.attempts == 1 ? "" : "s") (\(counts.calls) call\(counts.calls == 1 ? "" : "s"), \(counts.emails) email\(counts.emails == 1 ? "" : "s")): \(counts.pickedUp) answered, \(counts.talked) became conversations")
            }
        }
        let goals: [GoalLine] = themeFilter.isEmpty ? input.goals
            .filter { $0.details.from <= period.to && $0.details.to >= period.from && (personaFilter.isEmpty || personaMatch($0.details.personas)) }
            .map { g in
                GoalLine(title: voice.text(g.details.title), value: g.progress.value, target: g.details.target, percent: g.progress.percent,
                         state: g.progress.state, summary: g.progress.summary)
            } : []
        var streak: StreakLine?
        // The streak is as of today: shown only in a report on the last few weeks.
        let recent = period.to >= CalendarDay(input.now, in: zone).adding(days: -14)
        if themeFilter.isEmpty, personaFilter.isEmpty, recent, let s = input.streak, s.current > 0 || s.longest > 0 {
            let text = "\(s.current) week\(s.current == 1 ? "" : "s") in a row with at least \(s.minimum) conversation\(s.minimum == 1 ? "" : "s") (longest \(s.longest))"
            streak = StreakLine(minimum: s.minimum, current: s.current, longest: s.longest, text: text)
        }

        var filters = options.personas.map { "Persona: \($0)" }
        filters += options.themes.map { "Theme: \(voice.text($0))" }
        var highlights: [String] = []
        if let c = conversations {
            highlights.append("\(c.total) conversation\(c.total == 1 ? "" : "s") with \(c.people) \(c.people == 1 ? "person" : "people") at \(c.companies) compan\(c.companies == 1 ? "y" : "ies")")
        } else {
            highlights.append("No conversations in this period")
        }
        if let top = topThemes.first { highlights.append("Most heard: \(top.name) (\(top.count) mention\(top.count == 1 ? "" : "s"))") }
        if !risingThemes.isEmpty { highlights.append("Rising: " + risingThemes.map(\.name).joined(separator: ", ")) }
        let newRequests = requests.filter { $0.change == "new" }.count
        if newRequests > 0 { highlights.append("\(newRequests) new feature request\(newRequests == 1 ? "" : "s")") }
        let quiet = personas.filter(\.quiet).map(\.persona)
        if !quiet.isEmpty { highlights.append("Not heard from in 30 days: " + quiet.joined(separator: ", ")) }

        return Report(
            title: "Customer learning: \(period.label)", period: period, named: options.named,
            privacy: options.named ? namedNotice : anonymisedNotice, filters: filters, preparedOn: CalendarDay(input.now, in: zone),
            highlights: highlights, conversations: conversations, personas: personas, topThemes: topThemes, risingThemes: risingThemes,
            requests: requests, quotes: quotes, hypotheses: hypotheses, funnel: funnel, goals: goals, streak: streak)
    }

    /// Up to eight verbatim quotes: by severity (unscored counts as 3), then recency; one per person until everyone
    /// with a quote has one, then the rest in the same order. Picking again from what was picked gives the same
    /// quotes, so a store may pick from ``QuoteCandidate``s and give `build` only those.
    public static func pickQuotes(_ quotes: [Feedback]) -> [Feedback] {
        let candidates = quotes.map { QuoteCandidate(id: $0.id, person: $0.person.id, severity: $0.severity, at: $0.at) }
        let byID = Dictionary(quotes.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return pickQuotes(candidates).compactMap { byID[$0] }
    }

    /// The ids of the quotes ``pickQuotes(_:)-([Feedback])`` picks, from what it decides by.
    public static func pickQuotes(_ quotes: [QuoteCandidate]) -> [FeedbackID] {
        let ranked = quotes.sorted { a, b in
            let sa = a.severity ?? 3, sb = b.severity ?? 3
            return sa != sb ? sa > sb : a.at != b.at ? a.at > b.at : a.id.rawValue < b.id.rawValue
        }
        var seen = Set<PersonID>(), first: [FeedbackID] = [], rest: [FeedbackID] = []
        for q in ranked {
            if seen.insert(q.person).inserted { first.append(q.id) } else { rest.append(q.id) }
        }
        return Array((first + rest).prefix(maxQuotes))
    }

    static func counted(_ counts: [String: Int]) -> [Count] {
        counts.map { Count(label: $0.key, count: $0.value) }.sorted { ($1.count, $0.label) < ($0.count, $1.label) }
    }
}

/// Matching keys (`String.matchingKey`) remembered by the text they fold, so a report folds each distinct theme
/// or persona name once however many rows carry it.
struct MatchingKeys {
    private var known: [String: String] = [:]

    subscript(_ text: String) -> String {
        mutating get {
            if let key = known[text] { return key }
            let key = text.matchingKey
            known[text] = key
            return key
        }
    }
}

/// How the report speaks of people, companies and free text under the chosen privacy.
struct ReportVoice {
    let named: Bool
    let scrubber: Scrubber
    let companies: [String: ReportCompany]
    /// The same companies by their name as stored, which is how a person names theirs: found without folding it.
    let byName: [String: ReportCompany]

    init(_ input: ReportInput) {
        named = input.options.named
        companies = Dictionary(input.companies.map { ($0.name.matchingKey, $0) }, uniquingKeysWith: { a, _ in a })
        byName = Dictionary(input.companies.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let hidden = input.companies.filter { !$0.shareable }.map(\.name)
        scrubber = input.nameKeys.map { Scrubber(nameKeys: $0, companies: hidden) } ?? Scrubber(people: input.people, companies: hidden)
    }

    func company(of p: Person) -> ReportCompany? { p.details.company.flatMap { byName[$0] ?? companies[$0.matchingKey] } }

    /// "a Head of Operations (Ops Lead persona) at a logistics customer", or the name with `--names`.
    func person(_ p: Person) -> String {
        let c = company(of: p)
        return ReportNames.person(p, industry: c?.industry, shareable: c?.shareable ?? false, named: named)
    }

    /// A shorter line for counting who was heard: the persona and the kind of company, never a name unless named.
    func role(_ p: Person) -> String {
        if named { return person(p) }
        let c = company(of: p)
        let company = ReportNames.company(p.details.company, industry: c?.industry, shareable: c?.shareable ?? false, stage: p.details.stage, named: false)
        let who = p.details.personas.first.map { "\($0) persona" } ?? (p.details.title?.trimmed.nilIfEmpty ?? "someone")
        return "\(who) at \(company)"
    }

    /// Free text as it may leave the machine: scrubbed unless names are on.
    func text(_ text: String) -> String { named ? text : scrubber.scrub(text) }

    /// A hypothesis's next step; anonymised, without the people `pick` suggests.
    func nextStep(_ step: String) -> String {
        if named { return step }
        let cut = step.firstRange(of: ": pick suggests").map { String(step[..<$0.lowerBound]) } ?? step
        return scrubber.scrub(cut)
    }
}
