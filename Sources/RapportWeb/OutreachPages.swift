import Foundation
import HTTPTypes
import Hummingbird
import RapportCore
import RapportFormats
import RapportStore

/// The call plan page (with one-click outcomes) and the funnel page.
struct OutreachPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>) {
        router.get("plan", use: plan)
        router.post("plan/attempt", use: attempt)
        router.get("funnel", use: funnel)
    }

    struct OutcomeButton {
        var value: String
        var label: String
        var primary: Bool
    }

    struct CallRow {
        var position: Int
        var personID: String
        var name: String
        var company: String?
        var phone: String
        var telHref: String
        var myTime: String
        var theirTime: String
        var place: String
        var offset: String
        var why: String
        var lastTopic: String?
        var today: String?
        var outcomes: [OutcomeButton]
    }

    struct SkipRow {
        var personID: String
        var name: String
        var company: String?
        var reason: String
    }

    /// One place and hours left off today for one reason: its first few people linked, the rest counted.
    struct GroupRow {
        struct Name { var personID: String; var name: String; var last: Bool }
        var place: String
        var zone: String
        var count: Int
        var people: String
        var reason: String
        var names: [Name]
        var more: Int
    }

    struct PlanView {
        var chrome = Chrome(plan: true)
        var heading: String
        var csrf: String
        var date: String
        var from: String
        var to: String
        var slot: String
        var max: String
        var persona: String
        var campaign: String
        var people: String
        var personas: [Choice]
        var campaigns: [Choice]
        var calls: [CallRow]
        var callCount: Int
        var notToday: [SkipRow]
        var notTodayCount: Int
        var noPhone: [SkipRow]
        var noPhoneCount: Int
        var outside: [GroupRow]
        var noSlot: [GroupRow]
        var noSlotCount: Int
        var outsideCount: Int
        /// Overdue people left for another day: the plan was full before their turn.
        var notReached: Int
        /// The calendar download, when there are calls to put in it.
        var icsHref: String?
        var returnTo: String
        var errors: [String]
        var hasErrors: Bool
        var notice: String?
        var nobody: Bool
    }

    static let buttons: [OutcomeButton] = AttemptOutcome.allCases.filter { $0 != .rescheduled }.map {
        OutcomeButton(value: $0.rawValue, label: $0.label, primary: $0 == .talked)
    }

    @Sendable func plan(_ request: Request, context: WebContext) async throws -> Response {
        try await planPage(query: request.uri.query ?? "", context: context)
    }

    func planPage(query: String, context: WebContext, error: [FieldError] = [], status: HTTPResponse.Status = .ok) async throws -> Response {
        let q = FormData(encoded: query)
        let clock = try await store.clock(as: account)
        var errors = error.map { "\($0.field): \($0.message)" }
        var plan: CallPlan?
        do {
            let (options, source) = try await OutreachAPI.planRequest(q, clock: clock, store: store, account: account)
            plan = try await store.outreach.plan(options, source: source, clock: clock, as: account)
        } catch let e as RapportError where !e.fieldErrors.isEmpty || { if case .notFound = e { return true }; return false }() {
            errors += e.fieldErrors.isEmpty ? [e.message] : e.fieldErrors.map { "\($0.field): \($0.message)" }
        }
        var notice: String?
        if let logged = Int64(q["logged"]) {
            let recent = try await store.attempts.list(AttemptFilter(limit: 50), as: account)
            if let a = recent.first(where: { $0.id.rawValue == logged }) {
                notice = "Logged \(a.outcome.label.lowercased()) for \(a.person.name) at \(LocalTime.clock(a.at, in: clock.zone))."
                if let c = a.conversation { notice! += " The call is conversation #\(c): add notes on its page." }
            }
        }
        let personas = try await store.personas.list(as: account)
        let campaigns = try await store.campaigns.list(as: account)
        let returnTo = "/plan" + (query.isEmpty ? "" : "?" + query.split(separator: "&").filter { !$0.hasPrefix("logged=") }.joined(separator: "&"))
        let calls = plan?.calls.map { c in
            CallRow(position: c.position, personID: c.person.id.description, name: c.person.name, company: c.company, phone: c.phone,
                    telHref: "tel:" + c.phone.filter { $0.isNumber || $0 == "+" }, myTime: c.myTime, theirTime: c.theirTime,
                    place: c.place, offset: c.theirOffset, why: c.why, lastTopic: c.lastTopic,
                    today: c.attemptsToday.isEmpty ? nil : c.attemptsToday.joined(separator: ", "), outcomes: Self.buttons)
        } ?? []
        func skips(_ list: [PlanSkip]) -> [SkipRow] {
            list.map { SkipRow(personID: $0.person.id.description, name: $0.person.name, company: $0.company, reason: $0.reason) }
        }
        let view = PlanView(
            heading: plan.map { "Call plan for \($0.day.label)" } ?? "Call plan", csrf: context.csrfToken,
            date: q["date"], from: q["from"].isEmpty ? "09:00" : q["from"], to: q["to"].isEmpty ? "17:00" : q["to"],
            slot: q["slot"].isEmpty ? "20" : q["slot"], max: q["max"], persona: q["persona"], campaign: q["campaign"], people: q["people"],
            personas: personas.map { Choice(value: $0.name, label: $0.name, selected: $0.name == q["persona"]) },
            campaigns: campaigns.map { Choice(value: $0.campaign.name, label: $0.campaign.name, selected: $0.campaign.name == q["campaign"]) },
            calls: calls, callCount: calls.count,
            notToday: skips(plan?.notToday ?? []), notTodayCount: plan?.notToday.count ?? 0,
            noPhone: skips(plan?.noPhone ?? []), noPhoneCount: plan?.noPhone.count ?? 0,
            outside: Self.groups(plan?.outsideHours ?? []), noSlot: Self.groups(plan?.noSlotLeft ?? []),
            noSlotCount: plan?.noSlotLeftCount ?? 0,
            outsideCount: plan?.outsideHoursCount ?? 0, notReached: plan?.notReached ?? 0,
            icsHref: calls.isEmpty ? nil : "/api/v1/plan?" + (query.isEmpty ? "" : query + "&") + "format=ics", returnTo: returnTo,
            errors: errors, hasErrors: !errors.isEmpty, notice: notice,
            nobody: plan.map { $0.calls.isEmpty && $0.notToday.isEmpty && $0.noPhone.isEmpty && $0.outsideHours.isEmpty && $0.noSlotLeft.isEmpty && $0.notReached == 0 } ?? false)
        return pages.render("plan", view, status: errors.isEmpty ? status : .unprocessableContent)
    }

    static func groups(_ list: [PlanGroup]) -> [GroupRow] {
        list.map { group in
            let shown = group.people.prefix(6)
            return GroupRow(
                place: group.place, zone: group.zone, count: group.people.count,
                people: group.people.count == 1 ? "person" : "people", reason: group.reason,
                names: shown.enumerated().map { GroupRow.Name(personID: $1.id.description, name: $1.name, last: $0 == shown.count - 1) },
                more: group.people.count - shown.count)
        }
    }

    /// One click on the plan: logs the attempt and returns to the plan.
    @Sendable func attempt(_ request: Request, context: WebContext) async throws -> Response {
        let form = context.form
        let clock = try await store.clock(as: account)
        var fields: [String: String?] = [:]
        for key in ["person", "outcome", "note", "campaign", "reschedule"] where form.has(key) { fields[key] = form[key] }
        let returnTo = ConversationPages.safeReturn(form["return"], fallback: "/plan")
        do {
            let recorded = try await OutreachAPI.record(fields, rawKeys: Set(fields.keys), clock: clock, store: store, account: account)
            let separator = returnTo.contains("?") ? "&" : "?"
            return Pages.redirect(returnTo + separator + "logged=\(recorded.attempt.id)")
        } catch let error as RapportError where !error.fieldErrors.isEmpty {
            let query = returnTo.split(separator: "?", maxSplits: 1).dropFirst().first.map(String.init) ?? ""
            return try await planPage(query: query, context: context, error: error.fieldErrors, status: .unprocessableContent)
        }
    }

    // MARK: Funnel

    struct FunnelRowView {
        var key: String
        var attempts: Int
        var pickedUp: Int
        var declined: Int
        var talked: Int
        var pickUpRate: String
        var declineRate: String
        var talkRate: String
    }

    struct FunnelView {
        var chrome = Chrome(funnel: true)
        var since: String
        var until: String
        var target: String
        var campaigns: [Choice]
        var breakdowns: [Choice]
        var attempts: Int
        var calls: Int
        var emails: Int
        var pickedUp: Int
        var declined: Int
        var talked: Int
        var pickUpText: String
        var declineText: String
        var talkRate: String
        var chart: String
        var chartText: String
        var by: String?
        var rows: [FunnelRowView]
        var hasRows: Bool
        var targetText: String?
        var errors: [String]
        var hasErrors: Bool
        var empty: Bool
    }

    @Sendable func funnel(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        let clock = try await store.clock(as: account)
        var errors: [String] = []
        var result: Funnel?
        do {
            result = try await OutreachAPI.funnel(q, clock: clock, store: store, account: account)
        } catch let e as RapportError where !e.fieldErrors.isEmpty {
            errors = e.fieldErrors.map { "\($0.field): \($0.message)" }
            var fallback = FormData()
            fallback.pairs = q.pairs.filter { ["by"].contains($0.0) && Funnel.Breakdown(rawValue: $0.1) != nil }
            result = try await OutreachAPI.funnel(fallback, clock: clock, store: store, account: account)
        }
        let f = result!
        let campaigns = try await store.campaigns.list(as: account)
        func rate(_ r: Double?) -> String { r.map(Funnel.percent) ?? "—" }
        let rows = f.rows.map {
            FunnelRowView(key: $0.key, attempts: $0.counts.attempts, pickedUp: $0.counts.pickedUp, declined: $0.counts.declined,
                          talked: $0.counts.talked, pickUpRate: rate($0.counts.pickUpRate), declineRate: rate($0.counts.declineRate),
                          talkRate: rate($0.counts.talkRate))
        }
        let view = FunnelView(
            since: q["since"], until: q["until"], target: q["target"],
            campaigns: campaigns.map { Choice(value: $0.campaign.name, label: $0.campaign.name, selected: $0.campaign.name == q["campaign"]) },
            breakdowns: Funnel.Breakdown.allCases.map { Choice(value: $0.rawValue, label: "by " + $0.rawValue, selected: $0.rawValue == q["by"]) },
            attempts: f.totals.attempts, calls: f.totals.calls, emails: f.totals.emails, pickedUp: f.totals.pickedUp,
            declined: f.totals.declined, talked: f.totals.talked, pickUpText: f.pickUp.text, declineText: f.decline.text,
            talkRate: rate(f.totals.talkRate), chart: FunnelChart.svg(f.totals), chartText: FunnelChart.text(f.totals),
            by: f.by?.rawValue.initialUpper, rows: rows, hasRows: !rows.isEmpty, targetText: f.target?.text,
            errors: errors, hasErrors: !errors.isEmpty, empty: f.totals.attempts == 0)
        return pages.render("funnel", view, status: errors.isEmpty ? .ok : .unprocessableContent)
    }
}

/// The funnel as an inline SVG bar chart: attempts, picked up, declined, talked, with the rule of thumb marked.
enum FunnelChart {
    static func text(_ t: FunnelCounts) -> String {
        guard t.attempts > 0 else { return "No attempts yet." }
        return "Of \(t.attempts) attempts, \(t.pickedUp) picked up (\(Funnel.percent(t.pickUpRate ?? 0)); rule of thumb about 50%), "
            + "\(t.declined) declined, \(t.talked) talked (\(Funnel.percent(t.talkRate ?? 0)); rule of thumb about 40%)."
    }

    static func svg(_ t: FunnelCounts) -> String {
        let width = 560.0, barLeft = 110.0, barMax = 380.0, rowHeight = 34.0
        let total = Double(max(t.attempts, 1))
        let rows: [(String, Int, Double?)] = [
            ("Attempts", t.attempts, nil), ("Picked up", t.pickedUp, RuleOfThumb.pickUpRate),
            ("Declined", t.declined, RuleOfThumb.pickUpRate * RuleOfThumb.declineRate), ("Talked", t.talked, RuleOfThumb.talkRate),
        ]
        let height = rowHeight * Double(rows.count) + 30
        var parts = ["<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" aria-labelledby=\"funnel-title funnel-desc\" class=\"chart\">",
                     "<title id=\"funnel-title\">Outreach funnel</title>",
                     "<desc id=\"funnel-desc\">\(HTML.escape(text(t)))</desc>"]
        for (index, row) in rows.enumerated() {
            let y = 10 + Double(index) * rowHeight
            let w = barMax * Double(row.1) / total
            parts.append("<text x=\"0\" y=\"\(fmt(y + 17))\" font-size=\"13\" fill=\"#1f2933\">\(row.0)</text>")
            parts.append("<rect x=\"\(fmt(barLeft))\" y=\"\(fmt(y + 4))\" width=\"\(fmt(max(w, 1)))\" height=\"20\" rx=\"3\" fill=\"\(index == 2 ? "#b44d12" : "#2f6f5e")\"/>")
            let share = t.attempts == 0 ? "" : " (\(Funnel.percent(Double(row.1) / total)))"
            parts.append("<text x=\"\(fmt(barLeft + max(w, 1) + 6))\" y=\"\(fmt(y + 19))\" font-size=\"12\" fill=\"#616e7c\">\(row.1)\(share)</text>")
            if let rule = row.2 {
                let x = barLeft + barMax * rule
                parts.append("<line x1=\"\(fmt(x))\" x2=\"\(fmt(x))\" y1=\"\(fmt(y))\" y2=\"\(fmt(y + 28))\" stroke=\"#1f2933\" stroke-dasharray=\"3 3\"/>")
            }
        }
        parts.append("<text x=\"\(fmt(barLeft))\" y=\"\(fmt(height - 4))\" font-size=\"11\" fill=\"#616e7c\">Dashed lines: the rule of thumb (about 50% pick up, 20% of those decline)</text>")
        parts.append("</svg>")
        return parts.joined()
    }

    static func fmt(_ v: Double) -> String { String(format: "%.1f", v) }
}

/// Escaping for text placed in HTML built outside templates (the SVG charts): the same as reports use.
enum HTML {
    static func escape(_ text: String) -> String { HTMLText.escape(text) }
}
