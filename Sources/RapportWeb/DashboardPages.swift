import Foundation
import Hummingbird
import RapportCore
import RapportStore

/// `/`: the dashboard; `/api/v1/dashboard`, `/api/v1/goals`, `/api/v1/streak`.
struct DashboardPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>, api: RouterGroup<WebContext>) {
        router.get("/", use: page)
        router.get("/goals", use: goalsPage)
        router.post("/goals", use: addGoalFromPage)
        router.post("/goals/:id/archive", use: archiveGoal)
        api.get("dashboard", use: json)
        api.get("streak", use: streak)
        api.get("goals", use: goals)
        api.post("goals", use: addGoal)
        api.get("goals/:id", use: goal)
        api.patch("goals/:id", use: updateGoal)
    }

    @Sendable func page(_ request: Request, context: WebContext) async throws -> Response {
        let d = try await store.dashboard.today(as: account)
        let clock = try await store.clock(as: account)
        return pages.render("dashboard", DashboardView(d, zone: clock.zone))
    }

    @Sendable func goalsPage(_ request: Request, context: WebContext) async throws -> Response {
        try await goalsPage(context: context, form: FormData(), errors: [:])
    }

    func goalsPage(context: WebContext, form: FormData, errors: [String: String], status: HTTPResponse.Status = .ok) async throws -> Response {
        let goals = try await store.goals.list(includeArchived: true, as: account)
        let personas = try await store.personas.list(as: account)
        let view = GoalsPageView(
            csrf: context.csrfToken,
            goals: goals.map { GoalsPageView.Row(id: $0.id.description, title: $0.details.title, summary: $0.progress.summary,
                                                 period: "\($0.details.from) to \($0.details.to)", percent: min($0.progress.percent, 100),
                                                 state: $0.progress.state, archived: $0.archived, serves: $0.details.serves) },
            hasGoals: !goals.isEmpty, chart: goals.filter { !$0.archived }.isEmpty ? nil : DashboardCharts.goals(goals.filter { !$0.archived }),
            metrics: GoalMetric.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: form["metric"] == $0.rawValue) },
            kinds: ConversationKind.allCases.map { Choice(value: $0.rawValue, label: $0.label, selected: form.all("kinds").contains($0.rawValue)) },
            personas: personas.map { Choice(value: $0.name, label: $0.name, selected: form.all("personas").contains($0.name)) },
            title: form["title"], target: form["target"], from: form["from"], to: form["to"], serves: form["serves"],
            errorText: errors.map { "\($0.key): \($0.value)" }.sorted().joined(separator: " ").nilIfEmpty)
        return pages.render("goals", view, status: status)
    }

    @Sendable func addGoalFromPage(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        do {
            let clock = try await store.clock(as: account)
            let errors = FieldErrors()
            let metric = GoalMetric(rawValue: form["metric"]) ?? { errors.append("metric", "choose what to count"); return .conversations }()
            let target = Int(form["target"].trimmed) ?? { errors.append("target", "give a number above 0"); return 0 }()
            let from = try errors.check { try clock.parse(form["from"], field: "from", lean: .past).day }
            let to = try errors.check { try clock.parse(form["to"], field: "to", lean: .future).day }
            try errors.throwIfAny()
            var d = GoalDetails(title: form["title"], metric: metric, target: target, from: from ?? clock.today, to: to ?? clock.today)
            d.kinds = form.all("kinds").compactMap(ConversationKind.init(rawValue:))
            d.personas = form.all("personas")
            d.serves = form["serves"]
            _ = try await store.goals.add(d, as: account)
            return Pages.redirect("/goals")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            return try await goalsPage(context: context, form: form, errors: PeoplePages.errorsByField(error), status: .unprocessableContent)
        }
    }

    @Sendable func archiveGoal(_ request: Request, context: WebContext) async throws -> Response {
        _ = try await store.goals.setArchived(GoalID(try context.id(of: .goal)), context.form["undo"] != "1", as: account)
        return Pages.redirect("/goals")
    }

    @Sendable func json(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.dashboard.today(as: account))
    }

    @Sendable func streak(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        var minimum: Int?
        if q.has("min") {
            guard let n = Int(q["min"]), (1...50).contains(n) else { throw RapportError.invalid("min", "give a number of conversations from 1 to 50") }
            minimum = n
        }
        return try JSONBody.response(try await store.goals.streak(minimum: minimum, as: account))
    }

    struct GoalList: Encodable { var goals: [Goal]; var count: Int }

    @Sendable func goals(_ request: Request, context: WebContext) async throws -> Response {
        let all = try FormData(query: request).flag("archived") ?? false
        let found = try await store.goals.list(includeArchived: all, as: account)
        return try JSONBody.response(GoalList(goals: found, count: found.count))
    }

    @Sendable func goal(_ request: Request, context: WebContext) async throws -> Response {
        try JSONBody.response(try await store.goals.get(GoalID(try context.id(of: .goal)), as: account))
    }

    static let goalKeys = ["title", "metric", "target", "from", "to", "kinds", "personas", "serves", "archived"]

    /// A goal's fields, dates in ISO 8601 or words, in the user's zone: every field on a create (`creating`), only
    /// those it names on a patch. Whether a target or a span is allowed is GoalRules' to say (as for the CLI and the page).
    static func patch(_ read: FieldReader, clock: UserClock, creating: Bool) -> GoalPatch {
        var p = GoalPatch()
        func day(_ key: String, lean: DateInput.Lean) -> CalendarDay? {
            read.string(key, required: creating).flatMap { text in (try? read.errors.check { try clock.parse(text, field: key, lean: lean).day }) ?? nil }
        }
        p.metric = read.choice("metric", GoalMetric.self, required: creating)
        p.from = day("from", lean: .past)
        p.to = day("to", lean: .future)
        p.title = read.string("title", required: creating)
        let kindTexts = read.strings("kinds")
        p.kinds = kindTexts?.compactMap(ConversationKind.init(rawValue:))
        if let kindTexts, p.kinds?.count != kindTexts.count { read.fail("kinds", "use kinds from \(ConversationKind.allCases.map(\.rawValue).joined(separator: ", "))") }
        p.personas = read.strings("personas")
        if read.has("serves") { p.serves = read.string("serves", nullable: true).map(FieldChange.set) ?? .clear }
        if (creating && !read.has("target")) || read.isNull("target") { read.fail("target", "is required: a number above 0") }
        p.target = read.wholeNumber("target")
        p.archived = creating ? nil : read.bool("archived")
        return p
    }

    /// `POST /api/v1/goals`: title, metric, target, from and to required; kinds, personas, serves.
    struct GoalBody: RequestBody {
        static let keys = goalKeys.filter { $0 != "archived" }
        var patch: GoalPatch

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            patch = DashboardPages.patch(read, clock: try FieldReader.clock(decoder), creating: true)
            try read.finish()
        }
    }

    /// `PATCH /api/v1/goals/{id}`: a merge patch of one goal; `archived` archives or restores it.
    struct GoalPatchBody: RequestBody {
        static let keys = goalKeys
        var patch: GoalPatch

        init(from decoder: any Decoder) throws {
            let read = try FieldReader(decoder)
            patch = DashboardPages.patch(read, clock: try FieldReader.clock(decoder), creating: false)
            try read.finish()
        }
    }

    @Sendable func addGoal(_ request: Request, context: WebContext) async throws -> Response {
        let clock = try await store.clock(as: account)
        let details = try await JSONBody.decode(GoalBody.self, from: request, context: context, clock: clock).patch
            .applied(to: GoalDetails(title: "", metric: .conversations, target: 0, from: clock.today, to: clock.today))
        let added = try await store.goals.add(details, as: account)
        return try JSONBody.created(added, at: "/api/v1/goals/\(added.id)")
    }

    /// A merge patch of one goal: what it names changes, nothing else.
    @Sendable func updateGoal(_ request: Request, context: WebContext) async throws -> Response {
        let id = GoalID(try context.id(of: .goal))
        let clock = try await store.clock(as: account)
        let patch = try await JSONBody.decode(GoalPatchBody.self, from: request, context: context, clock: clock).patch
        return try JSONBody.response(try await store.goals.update(id, with: patch, as: account))
    }
}

struct GoalsPageView {
    var chrome = Chrome(goals: true)
    var csrf: String
    var goals: [Row]
    var hasGoals: Bool
    var chart: String?
    var metrics: [Choice]
    var kinds: [Choice]
    var personas: [Choice]
    var title: String
    var target: String
    var from: String
    var to: String
    var serves: String
    var errorText: String?

    struct Row {
        var id: String
        var title: String
        var summary: String
        var period: String
        var percent: Int
        var state: String
        var archived: Bool
        var serves: String?
    }
}

/// The dashboard for the template (stored properties only).
struct DashboardView {
    var chrome = Chrome(dashboard: true)
    var empty: Bool
    var week: String
    var thisWeek: Int
    var habit: Int
    var habitMade: Bool
    var streak: Int
    var longest: Int
    var missed: Int
    var goals: [GoalRow]
    var hasGoals: Bool
    var calls: [CallRow]
    var hasCalls: Bool
    var followUps: [String]
    var overdue: [OverdueRow]
    var overdueCount: Int
    var quiet: [String]
    var rising: [ThemeRowView]
    var birthdays: [BirthdayRow]
    var hasBirthdays: Bool

    struct BirthdayRow {
        var id: String
        var name: String
        var when: String
    }
    var hypothesis: HypothesisRowView?
    var weeklyChart: String
    var weeklyText: String
    var goalChart: String?
    var coverageChart: String?

    struct GoalRow {
        var id: String
        var title: String
        var summary: String
        var percent: Int
        var state: String
    }

    struct CallRow {
        var id: String
        var name: String
        var myTime: String
        var theirTime: String
        var place: String
    }

    struct OverdueRow {
        var id: String
        var name: String
        var phrase: String
    }

    init(_ d: Dashboard, zone: TimeZone) {
        empty = d.empty
        week = d.week.description
        thisWeek = d.conversationsThisWeek
        habit = d.streak.minimum
        habitMade = d.conversationsThisWeek >= d.streak.minimum
        streak = d.streak.current
        longest = d.streak.longest
        missed = d.streak.missedLastQuarter.count
        goals = d.goals.map { GoalRow(id: $0.id.description, title: $0.details.title, summary: $0.progress.summary, percent: min($0.progress.percent, 100), state: $0.progress.state) }
        hasGoals = !d.goals.isEmpty
        calls = d.calls.map { CallRow(id: $0.person.id.description, name: $0.person.name, myTime: $0.myTime, theirTime: $0.theirTime, place: $0.place) }
        hasCalls = !d.calls.isEmpty
        followUps = d.followUps.map { "\($0.followUp.text) (\($0.followUp.person.name)\($0.daysLate > 0 ? ", \($0.daysLate) days late" : ", today"))" }
        overdue = d.overdue.map { OverdueRow(id: $0.person.id.description, name: $0.person.name, phrase: $0.status.phrase) }
        overdueCount = d.overdueCount
        quiet = d.quietPersonas.map { $0.persona + ($0.weeksSince.map { " (\($0) weeks)" } ?? " (never)") }
        rising = d.risingThemes.map(ThemeRowView.init)
        birthdays = d.birthdays.map { b in
            BirthdayRow(id: b.person.id.description, name: b.person.name,
                        when: "\(b.on.label), \(b.when)" + (b.turns.map { ", turns \($0)" } ?? ""))
        }
        hasBirthdays = !d.birthdays.isEmpty
        hypothesis = d.nextHypothesis.map(HypothesisRowView.init)
        weeklyChart = DashboardCharts.weekly(d.weekly)
        weeklyText = d.weekly.suffix(8).map { "\($0.week): \($0.total)" }.joined(separator: "; ")
        goalChart = d.goals.isEmpty ? nil : DashboardCharts.goals(d.goals)
        coverageChart = d.coverage.isEmpty ? nil : DashboardCharts.coverage(d.coverage)
    }
}

/// The dashboard's charts as inline SVG, each with a title and a description for screen readers.
enum DashboardCharts {
    static let colors: [ConversationKind: String] = [.call: "#2f6f5e", .video: "#4c956c", .visit: "#b44d12", .email: "#6c8ebf",
                                                     .chat: "#9b7bb8", .inPerson: "#d08c60", .event: "#c2a83e", .secondhand: "#9aa5b1"]

    /// Conversations per week, stacked by kind.
    static func weekly(_ weeks: [WeekKinds]) -> String {
        let width = 560.0, height = 170.0, left = 24.0, bottom = 22.0, top = 8.0
        let maxTotal = max(weeks.map(\.total).max() ?? 0, 1)
        let slot = (width - left) / Double(max(weeks.count, 1))
        let desc = weeks.map { w in "\(w.week): \(w.total)" + (w.kinds.isEmpty ? "" : " (" + w.kinds.map { "\($0.count) \($0.kind.label)" }.joined(separator: ", ") + ")") }
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"weekly-title weekly-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"weekly-title\">Conversations per week, last \(weeks.count) weeks, by kind</title><desc id=\"weekly-desc\">\(HTML.escape(desc.joined(separator: "; ")))</desc>"
        out += "<line x1=\"\(left)\" y1=\"\(height - bottom)\" x2=\"\(width)\" y2=\"\(height - bottom)\" stroke=\"#cbd2d9\"/>"
        out += "<text x=\"0\" y=\"\(top + 8)\" font-size=\"10\" fill=\"#616e7c\">\(maxTotal)</text>"
        for (index, w) in weeks.enumerated() {
            var y = height - bottom
            let x = left + Double(index) * slot + slot * 0.15
            for k in w.kinds {
                let h = (height - bottom - top) * Double(k.count) / Double(maxTotal)
                y -= h
                out += "<rect x=\"\(WeeklyChart.f(x))\" y=\"\(WeeklyChart.f(y))\" width=\"\(WeeklyChart.f(slot * 0.7))\" height=\"\(WeeklyChart.f(h))\" fill=\"\(colors[k.kind] ?? "#2f6f5e")\"><title>\(w.week): \(k.count) \(k.kind.label)</title></rect>"
            }
            if index % 4 == (weeks.count - 1) % 4 {
                out += "<text x=\"\(WeeklyChart.f(x + slot * 0.35))\" y=\"\(WeeklyChart.f(height - 6))\" font-size=\"9\" text-anchor=\"middle\" fill=\"#616e7c\">W\(w.week.week)</text>"
            }
        }
        return out + "</svg>"
    }

    /// Each goal's progress as a bar, with a mark where a straight pace would be today.
    static func goals(_ goals: [Goal]) -> String {
        let width = 560.0, row = 30.0, height = row * Double(goals.count) + 10, left = 0.0
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"goals-title goals-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"goals-title\">Goal progress against pace</title><desc id=\"goals-desc\">\(HTML.escape(goals.map { "\($0.details.title): \($0.progress.summary)" }.joined(separator: "; ")))</desc>"
        for (index, g) in goals.enumerated() {
            let y = 6 + Double(index) * row
            let done = min(Double(g.progress.value) / Double(g.details.target), 1) * width
            let pace = min(g.progress.expected / Double(g.details.target), 1) * width
            out += "<rect x=\"\(left)\" y=\"\(WeeklyChart.f(y))\" width=\"\(width)\" height=\"14\" rx=\"4\" fill=\"#e4e7eb\"/>"
            out += "<rect x=\"\(left)\" y=\"\(WeeklyChart.f(y))\" width=\"\(WeeklyChart.f(done))\" height=\"14\" rx=\"4\" fill=\"\(g.progress.state == "behind" ? "#b44d12" : "#2f6f5e")\"/>"
            out += "<line x1=\"\(WeeklyChart.f(pace))\" y1=\"\(WeeklyChart.f(y - 3))\" x2=\"\(WeeklyChart.f(pace))\" y2=\"\(WeeklyChart.f(y + 17))\" stroke=\"#1f2933\" stroke-width=\"2\"><title>pace today: \(g.progress.expected)</title></line>"
            out += "<text x=\"0\" y=\"\(WeeklyChart.f(y + 26))\" font-size=\"9\" fill=\"#616e7c\">\(HTML.escape(g.details.title)): \(g.progress.value)/\(g.details.target)</text>"
        }
        return out + "</svg>"
    }

    /// Weeks since each persona was last heard from (longer bars are quieter).
    static func coverage(_ coverage: [PersonaCoverage]) -> String {
        let width = 560.0, row = 22.0, height = row * Double(coverage.count) + 6, label = 150.0
        let maxWeeks = Double(max(coverage.compactMap(\.weeksSince).max() ?? 0, 4))
        var out = "<svg class=\"chart\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"coverage-title coverage-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
        out += "<title id=\"coverage-title\">Weeks since each persona was last heard from</title><desc id=\"coverage-desc\">\(HTML.escape(coverage.map { "\($0.persona): \($0.weeksSince.map { "\($0) weeks" } ?? "never")" }.joined(separator: "; ")))</desc>"
        for (index, c) in coverage.enumerated() {
            let y = 4 + Double(index) * row
            let w = c.weeksSince.map { Double($0) / maxWeeks } ?? 1
            out += "<text x=\"0\" y=\"\(WeeklyChart.f(y + 12))\" font-size=\"11\" fill=\"#1f2933\">\(HTML.escape(c.persona))</text>"
            out += "<rect x=\"\(label)\" y=\"\(WeeklyChart.f(y + 2))\" width=\"\(WeeklyChart.f(max(w * (width - label - 70), 2)))\" height=\"12\" rx=\"3\" fill=\"\(c.quiet ? "#b44d12" : "#2f6f5e")\"/>"
            out += "<text x=\"\(WeeklyChart.f(label + max(w * (width - label - 70), 2) + 6))\" y=\"\(WeeklyChart.f(y + 12))\" font-size=\"10\" fill=\"#616e7c\">\(c.weeksSince.map { "\($0) wk" } ?? "never")</text>"
        }
        return out + "</svg>"
    }
}
