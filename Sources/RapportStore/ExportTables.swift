import Foundation
import RapportCore

/// One value of an export: what a column holds, as JSON.
public enum ExportValue: Sendable, Equatable, Codable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case array([ExportValue])
    case object([String: ExportValue])

    public init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null } else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int64.self) { self = .int(i) } else if let s = try? c.decode(String.self) { self = .string(s) }
        else if let a = try? c.decode([ExportValue].self) { self = .array(a) } else { self = .object(try c.decode([String: ExportValue].self)) }
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .string(let s): try c.encode(s)
        case .array(let a): try c.encode(a)
        case .object(let o): try c.encode(o)
        }
    }

    var string: String? { if case .string(let s) = self { return s }; return nil }
    var int: Int64? { if case .int(let i) = self { return i }; return nil }
}

/// A stored table as the export writes it: the columns a user's data is in (the owner and the keys Rapport
/// derives are left out and made again on import), what each holds, and which other table each id points to.
struct ExportTable: Sendable {
    enum Kind: Sendable { case text, int, bool, json }

    let name: String
    /// Whether rows have their own `id` (otherwise a link between rows of other tables).
    let hasID: Bool
    let columns: [(String, Kind)]
    /// Columns holding another table's id, with that table.
    let references: [String: String]
    /// The natural key that makes a row the same as one already stored (`name_key` of a persona): when merging
    /// into a circle that has it, the stored row is used instead of a new one.
    let sameAs: (column: String, key: @Sendable (String) -> String, stored: String)?
    /// Otherwise, the columns whose values together make a row the same as one stored (a conversation at the same
    /// moment, of the same kind, with the same notes), so merging one export twice adds nothing the second time.
    let match: [String]

    init(_ name: String, id: Bool = true, _ columns: [(String, Kind)], references: [String: String] = [:],
         sameAs: (column: String, key: @Sendable (String) -> String, stored: String)? = nil, match: [String]? = nil) {
        self.name = name
        self.hasID = id
        self.columns = columns
        self.references = references
        self.sameAs = sameAs
        self.match = match ?? (id ? [] : Array(columns.map(\.0).prefix(2)))
    }

    var columnNames: [String] { (hasID ? ["id"] : []) + columns.map(\.0) }

    /// Every table of an account's data, parents before the rows that point to them.
    static let all: [ExportTable] = [
        ExportTable("companies", [("name", .text), ("industry", .text), ("shareable", .bool), ("created_at", .text)],
                    sameAs: ("name", TextIdentity.key, "name_key")),
        ExportTable("personas", [("name", .text), ("description", .text), ("goals", .text), ("pains", .text), ("created_at", .text), ("updated_at", .text)],
                    sameAs: ("name", TextIdentity.key, "name_key")),
        ExportTable("tags", [("name", .text)], sameAs: ("name", TextIdentity.key, "name_key")),
        ExportTable("questions", [("text", .text), ("tags", .json), ("retired", .bool), ("created_at", .text), ("updated_at", .text)],
                    sameAs: ("text", TextIdentity.key, "text_key")),
        ExportTable("guides", [("name", .text), ("objective", .text), ("created_at", .text), ("updated_at", .text)],
                    sameAs: ("name", TextIdentity.key, "name_key")),
        ExportTable("guide_questions", id: false, [("guide_id", .int), ("question_id", .int), ("position", .int)],
                    references: ["guide_id": "guides", "question_id": "questions"]),
        ExportTable("guide_personas", id: false, [("guide_id", .int), ("persona_id", .int), ("position", .int)],
                    references: ["guide_id": "guides", "persona_id": "personas"]),
        ExportTable("people", [
            ("name", .text), ("company_id", .int), ("title", .text), ("since", .text), ("previous_companies", .json), ("city", .text),
            ("country", .text), ("time_zone", .text), ("stage", .text), ("source", .text), ("warmth", .int), ("off_the_record", .bool),
            ("advocate", .bool), ("preferred_channel", .text), ("cadence_days", .int), ("business_hours", .text), ("birthday", .text),
            ("notes", .text), ("links", .json), ("fields", .json), ("dnc_reason", .text), ("dnc_since", .text), ("archived", .bool),
            ("snoozed_until", .text), ("paused_until", .text), ("created_at", .text), ("updated_at", .text),
        ], references: ["company_id": "companies"]),
        ExportTable("person_emails", [("person_id", .int), ("value", .text), ("label", .text), ("position", .int)],
                    references: ["person_id": "people"], sameAs: ("value", TextIdentity.emailKey, "value_key")),
        ExportTable("person_phones", [("person_id", .int), ("value", .text), ("label", .text), ("position", .int)],
                    references: ["person_id": "people"]),
        ExportTable("person_personas", id: false, [("person_id", .int), ("persona_id", .int), ("position", .int)],
                    references: ["person_id": "people", "persona_id": "personas"]),
        ExportTable("person_tags", id: false, [("person_id", .int), ("tag_id", .int), ("position", .int)],
                    references: ["person_id": "people", "tag_id": "tags"]),
        ExportTable("contact_flags", id: false, [("person_id", .int), ("kind", .text), ("value_key", .text), ("reason", .text), ("since", .text)],
                    references: ["person_id": "people"], match: ["person_id", "kind", "value_key"]),
        ExportTable("conversations", [
            ("kind", .text), ("occurred_at", .text), ("duration_minutes", .int), ("company_id", .int), ("direction", .text),
            ("objective", .text), ("met", .text), ("notes", .text), ("via", .text), ("unnamed", .text), ("guide_id", .int),
            ("created_at", .text), ("updated_at", .text),
        ], references: ["company_id": "companies", "guide_id": "guides"], match: ["occurred_at", "kind", "notes"]),
        ExportTable("conversation_people", id: false, [("conversation_id", .int), ("person_id", .int), ("position", .int)],
                    references: ["conversation_id": "conversations", "person_id": "people"]),
        ExportTable("conversation_answers", id: false, [("conversation_id", .int), ("position", .int), ("question_id", .int), ("question", .text), ("answer", .text)],
                    references: ["conversation_id": "conversations", "question_id": "questions"]),
        ExportTable("followups", [
            ("person_id", .int), ("conversation_id", .int), ("text", .text), ("due_day", .text), ("due_at", .text), ("done_at", .text),
            ("snoozes", .int), ("created_at", .text), ("updated_at", .text),
        ], references: ["person_id": "people", "conversation_id": "conversations"], match: ["person_id", "text", "created_at"]),
        ExportTable("campaigns", [
            ("name", .text), ("ask", .text), ("subject", .text), ("body", .text), ("personas", .json), ("tags", .json), ("stages", .json),
            ("weekly", .int), ("cooldown_days", .int), ("product", .text), ("sender", .text), ("state", .text), ("created_at", .text), ("updated_at", .text),
        ], sameAs: ("name", TextIdentity.key, "name_key")),
        ExportTable("attempts", [
            ("person_id", .int), ("campaign_id", .int), ("outcome", .text), ("occurred_at", .text), ("note", .text), ("phone", .text),
            ("conversation_id", .int), ("followup_id", .int), ("created_at", .text),
        ], references: ["person_id": "people", "campaign_id": "campaigns", "conversation_id": "conversations", "followup_id": "followups"],
           match: ["person_id", "occurred_at", "outcome"]),
        ExportTable("campaign_recipients", id: false, [
            ("campaign_id", .int), ("person_id", .int), ("week", .text), ("position", .int), ("email", .text), ("subject", .text),
            ("body", .text), ("status", .text), ("status_at", .text), ("created_at", .text),
        ], references: ["campaign_id": "campaigns", "person_id": "people"]),
        ExportTable("feedback", [
            ("person_id", .int), ("conversation_id", .int), ("kind", .text), ("text", .text), ("quote", .bool), ("area", .text),
            ("severity", .int), ("secondhand", .bool), ("occurred_at", .text), ("created_at", .text), ("updated_at", .text),
        ], references: ["person_id": "people", "conversation_id": "conversations"], match: ["person_id", "text", "occurred_at"]),
        ExportTable("themes", [("name", .text), ("created_at", .text)], sameAs: ("name", TextIdentity.key, "name_key")),
        ExportTable("feedback_themes", id: false, [("feedback_id", .int), ("theme_id", .int), ("position", .int)],
                    references: ["feedback_id": "feedback", "theme_id": "themes"]),
        ExportTable("feature_requests", [
            ("title", .text), ("problem", .text), ("area", .text), ("impact", .int), ("effort", .int), ("status", .text),
            ("status_at", .text), ("created_at", .text), ("updated_at", .text),
        ], sameAs: ("title", TextIdentity.key, "title_key")),
        ExportTable("request_feedback", id: false, [("request_id", .int), ("feedback_id", .int), ("linked_at", .text)],
                    references: ["request_id": "feature_requests", "feedback_id": "feedback"]),
        ExportTable("request_notices", id: false, [("request_id", .int), ("person_id", .int), ("notified_at", .text)],
                    references: ["request_id": "feature_requests", "person_id": "people"]),
        ExportTable("hypotheses", [("text", .text), ("area", .text), ("status", .text), ("status_at", .text), ("created_at", .text), ("updated_at", .text)],
                    match: ["text"]),
        ExportTable("hypothesis_personas", id: false, [("hypothesis_id", .int), ("persona_id", .int), ("position", .int)],
                    references: ["hypothesis_id": "hypotheses", "persona_id": "personas"]),
        ExportTable("hypothesis_evidence", [
            ("hypothesis_id", .int), ("feedback_id", .int), ("conversation_id", .int), ("supports", .bool), ("note", .text), ("created_at", .text),
        ], references: ["hypothesis_id": "hypotheses", "feedback_id": "feedback", "conversation_id": "conversations"],
           match: ["hypothesis_id", "feedback_id", "conversation_id"]),
        ExportTable("goals", [
            ("title", .text), ("metric", .text), ("target", .int), ("from_day", .text), ("to_day", .text), ("kinds", .json),
            ("personas", .json), ("serves", .text), ("archived", .bool), ("created_at", .text), ("updated_at", .text),
        ], match: ["title", "from_day"]),
        ExportTable("settings", id: false, [("key", .text), ("value", .text), ("updated_at", .text)], match: ["key"]),
    ]

    /// Keys Rapport derives from a row's own columns, made again on import: (column, from column, how).
    static let derived: [String: [(String, String, @Sendable (String) -> String)]] = [
        "companies": [("name_key", "name", TextIdentity.key)],
        "personas": [("name_key", "name", TextIdentity.key)],
        "tags": [("name_key", "name", TextIdentity.key)],
        "questions": [("text_key", "text", TextIdentity.key)],
        "guides": [("name_key", "name", TextIdentity.key)],
        "people": [("name_key", "name", TextIdentity.key)],
        "person_emails": [("value_key", "value", TextIdentity.emailKey)],
        "person_phones": [("digits", "value", PhoneNumber.key)],
        "campaigns": [("name_key", "name", TextIdentity.key)],
        "themes": [("name_key", "name", TextIdentity.key)],
        "feature_requests": [("title_key", "title", TextIdentity.key)],
    ]
}
