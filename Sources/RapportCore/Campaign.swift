#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifies a campaign.
public struct CampaignID: RapportIdentifier {
    public let rawValue: Int64
    public init(_ rawValue: Int64) { self.rawValue = rawValue }
}

/// Whether a campaign makes new batches.
public enum CampaignState: String, Sendable, Codable, CaseIterable {
    case active, paused
}

/// What the PM writes about a campaign.
public struct CampaignDetails: Sendable, Codable, Equatable {
    public var name: String
    /// What we ask for: "a 20-minute call about exports".
    public var ask: String
    public var subject: String
    public var body: String
    public var personas: [String] = []
    public var tags: [String] = []
    public var stages: [Stage] = []
    /// Emails a week.
    public var weekly: Int = 25
    /// No one contacted within this many days gets an email.
    public var cooldownDays: Int = 30
    public var product: String?
    public var sender: String?

    public init(name: String, ask: String, subject: String, body: String) {
        self.name = name
        self.ask = ask
        self.subject = subject
        self.body = body
    }

    /// Who the campaign is for: `personas Ops Lead; stages customer`, or `everyone with an email`.
    public var audience: String {
        var parts: [String] = []
        if !personas.isEmpty { parts.append("personas " + personas.joined(separator: ", ")) }
        if !tags.isEmpty { parts.append("tags " + tags.joined(separator: ", ")) }
        if !stages.isEmpty { parts.append("stages " + stages.map(\.rawValue).joined(separator: ", ")) }
        return parts.isEmpty ? "everyone with an email" : parts.joined(separator: "; ")
    }
}

/// A campaign, as stored.
public struct Campaign: Sendable, Equatable, Identifiable {
    public var id: CampaignID
    public var details: CampaignDetails
    public var state: CampaignState
    public var createdAt: Date
    public var updatedAt: Date

    public init(id: CampaignID, details: CampaignDetails, state: CampaignState = .active, createdAt: Date, updatedAt: Date) {
        self.id = id
        self.details = details
        self.state = state
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    public var name: String { details.name }
}

extension Campaign: Codable {
    private enum CodingKeys: String, CodingKey {
        case id, name, ask, subject, body, personas, tags, stages, weekly, cooldownDays, product, sender, state, createdAt, updatedAt
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        var d = CampaignDetails(name: try c.decode(String.self, forKey: .name), ask: try c.decode(String.self, forKey: .ask),
                                subject: try c.decode(String.self, forKey: .subject), body: try c.decode(String.self, forKey: .body))
        d.personas = try c.decodeIfPresent([String].self, forKey: .personas) ?? []
        d.tags = try c.decodeIfPresent([String].self, forKey: .tags) ?? []
        d.stages = try c.decodeIfPresent([Stage].self, forKey: .stages) ?? []
        d.weekly = try c.decodeIfPresent(Int.self, forKey: .weekly) ?? 25
        d.cooldownDays = try c.decodeIfPresent(Int.self, forKey: .cooldownDays) ?? 30
        d.product = try c.decodeIfPresent(String.self, forKey: .product)
        d.sender = try c.decodeIfPresent(String.self, forKey: .sender)
        self.init(id: try c.decode(CampaignID.self, forKey: .id), details: d,
                  state: try c.decodeIfPresent(CampaignState.self, forKey: .state) ?? .active,
                  createdAt: try c.decode(Date.self, forKey: .createdAt), updatedAt: try c.decode(Date.self, forKey: .updatedAt))
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(id, forKey: .id)
        try c.encode(details.name, forKey: .name)
        try c.encode(details.ask, forKey: .ask)
        try c.encode(details.subject, forKey: .subject)
        try c.encode(details.body, forKey: .body)
        try c.encode(details.personas, forKey: .personas)
        try c.encode(details.tags, forKey: .tags)
        try c.encode(details.stages, forKey: .stages)
        try c.encode(details.weekly, forKey: .weekly)
        try c.encode(details.cooldownDays, forKey: .cooldownDays)
        try c.encode(details.product, forKey: .product)
        try c.encode(details.sender, forKey: .sender)
        try c.encode(state, forKey: .state)
        try c.encode(createdAt, forKey: .createdAt)
        try c.encode(updatedAt, forKey: .updatedAt)
    }
}

/// `{{placeholder}}` templates for campaign emails.
public enum MessageTemplate {
    /// Every placeholder a template may use.
    public static let placeholders = ["first_name", "name", "company", "title", "product", "sender", "ask"]

    /// The placeholders of `text`, in order, as written (trimmed, lower-cased).
    public static func placeholders(in text: String) -> [String] {
        var found: [String] = []
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{") {
            guard let close = rest[open.upperBound...].firstRange(of: "}}") else { break }
            found.append(String(rest[open.upperBound..<close.lowerBound]).trimmed.lowercased())
            rest = rest[close.upperBound...]
        }
        return found
    }

    /// Errors for unknown placeholders and unclosed braces in `text`, under `field`.
    public static func check(_ text: String, field: String) -> [FieldError] {
        check(text, field: field, allowed: placeholders)
    }

    /// Errors for placeholders of `text` not in `allowed` (with the closest as a hint) and for unclosed braces.
    public static func check(_ text: String, field: String, allowed: [String]) -> [FieldError] {
        var errors: [FieldError] = []
        let unknown = placeholders(in: text).filter { !allowed.contains($0) }
        for name in Array(Set(unknown)).sorted() {
            let hint = ClosestNames.to(name, among: allowed, maxDistance: 3, limit: 1).first.map { "did you mean {{\($0)}}? " } ?? ""
            errors.append(FieldError(field, "{{\(name)}} is not a placeholder; \(hint)use one of "
                + allowed.map { "{{\($0)}}" }.joined(separator: ", ")))
        }
        let opens = text.ranges(of: "{{").count, closes = text.ranges(of: "}}").count
        if opens != closes {
            errors.append(FieldError(field, "has \(opens) \"{{\" but \(closes) \"}}\"; close every placeholder, as in {{first_name}}"))
        }
        return errors
    }

    /// `text` with every placeholder replaced from `values` (missing values become empty).
    public static func render(_ text: String, values: [String: String]) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.firstRange(of: "{{"), let close = rest[open.upperBound...].firstRange(of: "}}") {
            out += rest[..<open.lowerBound]
            let name = String(rest[open.upperBound..<close.lowerBound]).trimmed.lowercased()
            out += values[name] ?? ""
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// The values for `person` in a campaign: a missing company or title reads "your company" or "your role".
    public static func values(for person: Person, campaign: CampaignDetails, product: String?, sender: String?) -> [String: String] {
        [
            "first_name": person.firstName, "name": person.name,
            "company": person.details.company ?? "your company", "title": person.details.title ?? "your role",
            "product": campaign.product ?? product ?? "", "sender": campaign.sender ?? sender ?? "",
            "ask": campaign.ask,
        ]
    }
}

/// The checks on a campaign, all reported at once.
public enum CampaignRules {
    public static func validate(_ details: CampaignDetails, defaultProduct: String?, defaultSender: String?) throws -> CampaignDetails {
        var d = details
        let errors = FieldErrors()
        d.name = d.name.trimmed
        d.ask = d.ask.trimmed
        d.subject = d.subject.trimmed
        d.body = d.body.replacing("\r\n", with: "\n")
        d.product = d.product?.trimmed.nilIfEmpty
        d.sender = d.sender?.trimmed.nilIfEmpty
        d.personas = d.personas.map(\.trimmed).filter { !$0.isEmpty }
        d.tags = d.tags.map(\.trimmed).filter { !$0.isEmpty }
        if d.name.isEmpty { errors.append("name", "is empty; name the campaign, for example \"Q4 exports\"") }
        if d.name.count > 80 { errors.append("name", "is \(d.name.count) characters long; keep it under 80") }
        if d.name.allSatisfy(\.isNumber), !d.name.isEmpty { errors.append("name", "cannot be only digits; add a word, for example \"Exports \(d.name)\"") }
        if d.ask.isEmpty { errors.append("ask", "is empty; say what you ask for, for example \"a 20-minute call about how you run exports\"") }
        if d.subject.isEmpty { errors.append("subject", "is empty; write the email's subject line (placeholders such as {{first_name}} work)") }
        if d.subject.contains("\n") { errors.append("subject", "has a line break; a subject is one line") }
        if d.body.trimmed.isEmpty { errors.append("body", "is empty; write the email (placeholders such as {{first_name}} work)") }
        errors.append(contentsOf: MessageTemplate.check(d.subject, field: "subject"))
        errors.append(contentsOf: MessageTemplate.check(d.body, field: "body"))
        let used = Set(MessageTemplate.placeholders(in: d.subject + d.body))
        if used.contains("product"), d.product == nil, defaultProduct == nil {
            errors.append("product", "is needed: the template uses {{product}}; give --product NAME, or set it once with `rapport settings set product NAME`")
        }
        if used.contains("sender"), d.sender == nil, defaultSender == nil {
            errors.append("sender", "is needed: the template uses {{sender}}; give --sender NAME, or set it once with `rapport settings set sender.name NAME`")
        }
        if !(1...200).contains(d.weekly) { errors.append("weekly", "\(d.weekly) is out of range; give 1 to 200 emails a week (the articles suggest 25 to 50)") }
        if !(0...365).contains(d.cooldownDays) { errors.append("cooldown", "\(d.cooldownDays) is out of range; give 0 to 365 days") }
        try errors.throwIfAny()
        return d
    }
}

/// Where a campaign email stands.
public enum RecipientStatus: String, Sendable, Codable, CaseIterable {
    /// In a batch, not yet marked sent.
    case queued
    case sent
    case repliedYes = "replied-yes"
    case repliedNo = "replied-no"
    case noReply = "no-reply"
    case bounced
    case optedOut = "opted-out"
    case scheduled
    case talked

    /// Statuses the PM sets with `campaigns mark` (everything but `queued`).
    public static var markable: [RecipientStatus] { allCases.filter { $0 != .queued } }

    /// The funnel's view of an email: nil while it is only queued.
    public func event(at: Date, person: PersonID, personas: [String], campaign: String) -> OutreachEvent? {
        guard self != .queued else { return nil }
        let picked: Bool, declined: Bool
        switch self {
        case .repliedYes, .scheduled, .talked: (picked, declined) = (true, false)
        case .repliedNo, .optedOut: (picked, declined) = (true, true)
        default: (picked, declined) = (false, false)
        }
        return OutreachEvent(at: at, channel: .email, person: person, personas: personas, campaign: campaign,
                             pickedUp: picked, declined: declined, talked: self == .talked)
    }
}

/// One person in one week's batch of a campaign, with the email rendered for them.
public struct CampaignRecipient: Sendable, Codable, Equatable {
    public var person: PersonSummary
    public var company: String?
    public var email: String
    public var week: ISOWeek
    public var status: RecipientStatus
    public var statusAt: Date
    public var subject: String
    public var body: String

    public init(person: PersonSummary, company: String?, email: String, week: ISOWeek, status: RecipientStatus,
                statusAt: Date, subject: String, body: String) {
        self.person = person
        self.company = company
        self.email = email
        self.week = week
        self.status = status
        self.statusAt = statusAt
        self.subject = subject
        self.body = body
    }
}

/// A week's batch of a campaign, with who was left out and why.
public struct CampaignBatch: Sendable, Codable, Equatable {
    public var campaign: String
    public var week: ISOWeek
    /// True when the batch was made before and is returned as it was.
    public var existing: Bool
    /// True for a dry run: nothing was stored.
    public var dryRun: Bool
    public var recipients: [CampaignRecipient]
    /// How many of the people who fit the campaign were left out, by reason.
    public var skipped: [String: Int]

    public init(campaign: String, week: ISOWeek, existing: Bool, dryRun: Bool, recipients: [CampaignRecipient], skipped: [String: Int]) {
        self.campaign = campaign
        self.week = week
        self.existing = existing
        self.dryRun = dryRun
        self.recipients = recipients
        self.skipped = skipped
    }
}

/// Someone who fits a campaign, with what the batch rules need to know.
public struct BatchCandidate: Sendable {
    public var person: Person
    /// Their latest contact of any kind: a conversation, an attempt or a campaign email.
    public var lastTouch: Date?
    /// The other active campaign whose batch this week holds them.
    public var inOtherBatch: String?
    /// Already emailed in an earlier batch of this campaign.
    public var alreadyInCampaign: Bool

    public init(person: Person, lastTouch: Date? = nil, inOtherBatch: String? = nil, alreadyInCampaign: Bool = false) {
        self.person = person
        self.lastTouch = lastTouch
        self.inOtherBatch = inOtherBatch
        self.alreadyInCampaign = alreadyInCampaign
    }
}

/// Chooses a week's batch: who fits, who is left out, and no more than two from one company unless the pool is smaller.
public enum BatchPicker {
    public static let perCompany = 2

    /// Whether `person` is in the campaign's audience: one of its personas, tags and stages (each when given).
    public static func fits(_ person: Person, _ campaign: CampaignDetails) -> Bool {
        let d = person.details
        func any(_ wanted: [String], _ have: [String]) -> Bool {
            wanted.isEmpty || wanted.contains { w in have.contains { $0.lowercased() == w.lowercased() } }
        }
        return any(campaign.personas, d.personas) && any(campaign.tags, d.tags)
            && (campaign.stages.isEmpty || campaign.stages.contains(d.stage))
    }

    public static func pick(_ candidates: [BatchCandidate], campaign: CampaignDetails, now: Date) -> (picked: [Person], skipped: [String: Int]) {
        var skipped: [String: Int] = [:]
        var eligible: [BatchCandidate] = []
        let cooldownStart = now.addingTimeInterval(-Double(campaign.cooldownDays) * 86_400)
        for c in candidates where fits(c.person, campaign) {
            let reason: String?
            if c.person.archived { reason = "archived" }
            else if c.person.doNotContact != nil { reason = "do not contact" }
            else if c.alreadyInCampaign { reason = "already emailed in this campaign" }
            else if c.person.mailableEmail == nil { reason = c.person.details.emails.isEmpty ? "no email" : "every email bounced" }
            else if let other = c.inOtherBatch { reason = "in this week's batch of \(other)" }
            else if let touch = c.lastTouch, campaign.cooldownDays > 0, touch > cooldownStart { reason = "contacted within \(campaign.cooldownDays) days" }
            else { reason = nil }
            if let reason { skipped[reason, default: 0] += 1 } else { eligible.append(c) }
        }
        // Longest since any touch first (never touched before anyone), then warmest.
        eligible.sort { a, b in
            switch (a.lastTouch, b.lastTouch) {
            case (nil, .some): return true
            case (.some, nil): return false
            case (let x?, let y?) where x != y: return x < y
            default: break
            }
            if a.person.details.warmth != b.person.details.warmth { return a.person.details.warmth > b.person.details.warmth }
            return a.person.id < b.person.id
        }
        var picked: [Person] = []
        var perCompany: [String: Int] = [:]
        var held: [Person] = []
        for c in eligible {
            guard picked.count < campaign.weekly else { held.append(c.person); continue }
            let key = c.person.details.company?.lowercased() ?? "#\(c.person.id)"
            if perCompany[key, default: 0] >= Self.perCompany {
                held.append(c.person)
                continue
            }
            perCompany[key, default: 0] += 1
            picked.append(c.person)
        }
        // The pool is smaller than the quota once companies are spread: fill up from the people held back.
        if picked.count < campaign.weekly {
            let more = held.prefix(campaign.weekly - picked.count)
            picked += more
            held.removeFirst(more.count)
        }
        if !held.isEmpty { skipped["over the weekly quota of \(campaign.weekly)", default: 0] += held.count }
        return (picked, skipped)
    }
}

extension String {
    /// nil when empty.
    public var nilIfEmpty: String? { isEmpty ? nil : self }
}
