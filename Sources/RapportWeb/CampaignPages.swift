import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import RapportCore
import RapportStore

/// Campaign pages: the list, a new campaign with a live preview, and a campaign with its batch and recipients.
struct CampaignPages: Sendable {
    let store: Store
    let account: AccountID
    let pages: Pages

    func addRoutes(to router: Router<WebContext>) {
        router.get("campaigns", use: list)
        router.get("campaigns/new", use: newForm)
        router.post("campaigns/new", use: create)
        router.get("campaigns/:id", use: show)
        router.post("campaigns/:id/batch", use: batch)
        router.post("campaigns/:id/state", use: state)
        router.post("campaigns/:id/recipients/:person", use: mark)
        router.get("assets/campaign.js", use: script)
    }

    struct Row {
        var id: String
        var name: String
        var state: String
        var paused: Bool
        var weekly: Int
        var recipients: Int
        var replied: Int
        var lastWeek: String?
    }

    struct ListView {
        var chrome = Chrome(campaigns: true)
        var rows: [Row]
        var count: Int
    }

    @Sendable func list(_ request: Request, context: WebContext) async throws -> Response {
        let all = try await store.campaigns.list(as: account)
        let rows = all.map { o in
            Row(id: o.campaign.id.description, name: o.campaign.name, state: o.campaign.state.rawValue, paused: o.campaign.state == .paused,
                weekly: o.campaign.details.weekly, recipients: o.recipients,
                replied: ["replied-yes", "replied-no", "scheduled", "talked"].reduce(0) { $0 + (o.statuses[$1] ?? 0) },
                lastWeek: o.lastWeek?.description)
        }
        return pages.render("campaigns", ListView(rows: rows, count: rows.count))
    }

    struct FormView {
        var chrome = Chrome(campaigns: true)
        var csrf: String
        var name: String
        var ask: String
        var subject: String
        var body: String
        var weekly: String
        var cooldown: String
        var product: String
        var sender: String
        var tags: String
        var personas: [Choice]
        var stages: [Choice]
        var errors: [FieldError]
        var hasErrors: Bool
        var preview: Preview?
    }

    struct Preview {
        var to: String?
        var subject: String
        var body: String
    }

    static let starterBody = """
        Hi {{first_name}},

        I'm {{sender}}, and I work on {{product}}. I'm talking with people like you to learn how {{company}} works today, \
        and I'd be grateful for {{ask}}.

        No sales pitch, and no preparation needed. Would one day next week work?

        Thanks,
        {{sender}}
        """

    @Sendable func newForm(_ request: Request, context: WebContext) async throws -> Response {
        let d = CampaignDetails(name: "", ask: "a 20-minute call about how you work today",
                                subject: "{{first_name}}, 20 minutes to shape {{product}}?", body: Self.starterBody)
        return try await form(d, tags: "", context: context, errors: [], preview: nil)
    }

    func form(_ d: CampaignDetails, tags: String, context: WebContext, errors: [FieldError], preview: Preview?,
              status: HTTPResponse.Status = .ok) async throws -> Response {
        let personas = try await store.personas.list(as: account)
        let view = FormView(
            csrf: context.csrfToken, name: d.name, ask: d.ask, subject: d.subject, body: d.body, weekly: String(d.weekly),
            cooldown: String(d.cooldownDays), product: d.product ?? "", sender: d.sender ?? "", tags: tags,
            personas: personas.map { p in Choice(value: p.name, label: p.name, selected: d.personas.contains { $0.lowercased() == p.name.lowercased() }) },
            stages: Stage.allCases.map { Choice(value: $0.rawValue, label: $0.rawValue, selected: d.stages.contains($0)) },
            errors: errors, hasErrors: !errors.isEmpty, preview: preview)
        return pages.render("campaign_form", view, status: status)
    }

    @Sendable func create(_ request: Request, context: WebContext) async throws -> Response {
        let f = context.form
        var d = CampaignDetails(name: f["name"], ask: f["ask"], subject: f["subject"], body: f["body"])
        let errors = FieldErrors()
        d.personas = f.all("personas")
        d.stages = f.all("stages").compactMap(Stage.init(rawValue:))
        d.tags = f["tags"].split(separator: ",").map { String($0).trimmed }.filter { !$0.isEmpty }
        if let n = Int(f["weekly"].trimmed) { d.weekly = n } else { errors.append("weekly", "\"\(f["weekly"])\" is not a number of emails a week") }
        if let n = Int(f["cooldown"].trimmed) { d.cooldownDays = n } else { errors.append("cooldown", "\"\(f["cooldown"])\" is not a number of days") }
        d.product = f["product"].trimmed.nilIfEmpty
        d.sender = f["sender"].trimmed.nilIfEmpty
        if f["preview"] == "1" || !errors.isEmpty {
            var preview: Preview?
            do {
                let p = try await OutreachAPI.preview(d, person: nil, store: store, account: account)
                preview = Preview(to: p.to, subject: p.subject, body: p.body)
            } catch let e as RapportError where !e.fieldErrors.isEmpty {
                errors.append(contentsOf: e.fieldErrors)
            }
            return try await form(d, tags: f["tags"], context: context, errors: errors.all, preview: preview,
                                  status: errors.isEmpty ? .ok : .unprocessableContent)
        }
        do {
            let made = try await store.campaigns.add(d, as: account)
            return Pages.redirect("/campaigns/\(made.id)")
        } catch let e as RapportError where !e.fieldErrors.isEmpty {
            return try await form(d, tags: f["tags"], context: context, errors: e.fieldErrors, preview: nil, status: .unprocessableContent)
        }
    }

    struct StatusChoice {
        var value: String
        var selected: Bool
    }

    struct RecipientRow {
        var personID: String
        var name: String
        var company: String?
        var email: String
        var week: String
        var status: String
        var statuses: [StatusChoice]
        var subject: String
        var emlHref: String
    }

    struct ShowView {
        var chrome = Chrome(campaigns: true)
        var csrf: String
        var id: String
        var name: String
        var ask: String
        var audience: String
        var pace: String
        var paused: Bool
        var subject: String
        var body: String
        var week: String
        var weekBatch: [RecipientRow]
        var weekCount: Int
        var hasWeekBatch: Bool
        var skipped: [String]
        var earlier: [RecipientRow]
        var hasEarlier: Bool
        var funnelText: String
        var chart: String
        var mboxHref: String
        var csvHref: String
        var notice: String?
        var error: String?
    }

    func find(_ context: WebContext) async throws -> Campaign {
        let raw = context.parameters.get("id") ?? ""
        guard let id = Int64(raw) else { throw RapportError.notFound(.campaign, raw) }
        return try await store.campaigns.get("#\(id)", as: account)
    }

    @Sendable func show(_ request: Request, context: WebContext) async throws -> Response {
        let q = FormData(query: request)
        return try await page(try await find(context), context: context, notice: q["notice"].nilIfEmpty, skipped: [:])
    }

    func page(_ c: Campaign, context: WebContext, notice: String? = nil, error: String? = nil, skipped: [String: Int]) async throws -> Response {
        let clock = try await store.clock(as: account)
        let week = ISOWeek(clock.today)
        let recipients = try await store.campaigns.recipients(c.name, as: account)
        let funnel = try await store.outreach.funnel(campaign: c.name, clock: clock, as: account)
        func row(_ r: CampaignRecipient) -> RecipientRow {
            RecipientRow(personID: r.person.id.description, name: r.person.name, company: r.company, email: r.email,
                         week: r.week.description, status: r.status.rawValue,
                         statuses: RecipientStatus.allCases.map { StatusChoice(value: $0.rawValue, selected: $0 == r.status) },
                         subject: r.subject,
                         emlHref: "/api/v1/campaigns/\(c.id)/export?format=eml&week=\(r.week)&person=\(r.person.id)")
        }
        let d = c.details
        let thisWeek = recipients.filter { $0.week == week }.map(row)
        let view = ShowView(
            csrf: context.csrfToken, id: c.id.description, name: c.name, ask: d.ask,
            audience: d.audience,
            pace: "\(d.weekly) a week, no one contacted within \(d.cooldownDays) days", paused: c.state == .paused,
            subject: d.subject, body: d.body, week: week.description, weekBatch: thisWeek, weekCount: thisWeek.count,
            hasWeekBatch: !thisWeek.isEmpty,
            skipped: skipped.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" },
            earlier: recipients.filter { $0.week != week }.reversed().map(row), hasEarlier: recipients.contains { $0.week != week },
            funnelText: FunnelChart.text(funnel.totals), chart: FunnelChart.svg(funnel.totals),
            mboxHref: "/api/v1/campaigns/\(c.id)/export?format=mbox&week=\(week)",
            csvHref: "/api/v1/campaigns/\(c.id)/export?format=csv&week=\(week)", notice: notice, error: error)
        return pages.render("campaign", view, status: error == nil ? .ok : .unprocessableContent)
    }

    @Sendable func batch(_ request: Request, context: WebContext) async throws -> Response {
        let c = try await find(context)
        let clock = try await store.clock(as: account)
        do {
            let made = try await store.campaigns.batch(c.name, week: ISOWeek(clock.today), dryRun: false, as: account)
            let notice = made.existing ? "This week's batch was made before: the same \(made.recipients.count) people."
                : "This week's batch: \(made.recipients.count) emails."
            return try await page(c, context: context, notice: notice, skipped: made.skipped)
        } catch let e as RapportError where !e.fieldErrors.isEmpty {
            return try await page(c, context: context, error: e.message, skipped: [:])
        }
    }

    @Sendable func state(_ request: Request, context: WebContext) async throws -> Response {
        let c = try await find(context)
        let next: CampaignState = context.form["state"] == "paused" ? .paused : .active
        _ = try await store.campaigns.setState(c.name, next, as: account)
        return Pages.redirect("/campaigns/\(c.id)")
    }

    @Sendable func mark(_ request: Request, context: WebContext) async throws -> Response {
        let c = try await find(context)
        guard let raw = context.parameters.get("person"), let person = Int64(raw) else { throw RapportError.notFound(.person, "") }
        guard let status = RecipientStatus(rawValue: context.form["status"]) else {
            return try await page(c, context: context, error: "status: choose one of " + RecipientStatus.markable.map(\.rawValue).joined(separator: ", "), skipped: [:])
        }
        do {
            let marked = try await store.campaigns.mark(c.name, people: [PersonID(person)], status: status, as: account)
            var notice = marked.map { "\($0.recipient.person.name): \($0.recipient.status.rawValue)" }.joined()
            if let dnc = marked.first?.doNotContact { notice += "; now do-not-contact (\(dnc))" }
            if let bad = marked.first?.emailMarkedBad { notice += "; \(bad) marked bounced" }
            return Pages.redirect("/campaigns/\(c.id)?notice=" + Pages.urlComponent(notice))
        } catch let e as RapportError where !e.fieldErrors.isEmpty {
            return try await page(c, context: context, error: e.message, skipped: [:])
        }
    }

    /// The live preview on the new-campaign form: asks the API for one rendered email as the PM types.
    static let previewScript = """
        (function () {
          var form = document.getElementById('campaign-form');
          var out = document.getElementById('preview');
          if (!form || !out || !window.fetch) return;
          var timer = null;
          function render() {
            var data = new FormData(form);
            var body = { subject: data.get('subject') || '', body: data.get('body') || '', ask: data.get('ask') || '',
                         personas: data.getAll('personas'), stages: data.getAll('stages'),
                         tags: (data.get('tags') || '').split(',').map(function (t) { return t.trim(); }).filter(Boolean) };
            if (data.get('product')) body.product = data.get('product');
            if (data.get('sender')) body.sender = data.get('sender');
            fetch('/api/v1/campaigns/preview', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
              .then(function (r) { return r.json().then(function (j) { return { ok: r.ok, json: j }; }); })
              .then(function (res) {
                out.innerHTML = '';
                if (!res.ok) {
                  var alert = document.createElement('div'); alert.className = 'alert';
                  (res.json.errors || [{ field: '', message: res.json.detail }]).forEach(function (e) {
                    var line = document.createElement('div'); line.textContent = (e.field ? e.field + ': ' : '') + e.message; alert.appendChild(line);
                  });
                  out.appendChild(alert); return;
                }
                var head = document.createElement('p'); head.className = 'sub';
                head.textContent = 'To: ' + (res.json.to || 'a sample person') + ' · Subject: ' + res.json.subject;
                var pre = document.createElement('pre'); pre.className = 'mail'; pre.textContent = res.json.body;
                out.appendChild(head); out.appendChild(pre);
              });
          }
          form.addEventListener('input', function () { clearTimeout(timer); timer = setTimeout(render, 250); });
          render();
        })();
        """

    @Sendable func script(_ request: Request, context: WebContext) async throws -> Response {
        Response(status: .ok, headers: [.contentType: "text/javascript; charset=utf-8", .cacheControl: "no-cache"],
                 body: .init(byteBuffer: ByteBuffer(string: Self.previewScript)))
    }
}
