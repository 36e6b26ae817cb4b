import Foundation
import RapportCore
import SQLKit

/// What a piece of hypothesis evidence points at.
public enum EvidenceSource: Sendable, Equatable {
    case feedback(FeedbackID)
    case conversation(ConversationID)

    /// `f12`, `feedback:12` or `12` (feedback); `c7` or `conversation:7`.
    public static func parse(_ text: String) throws -> EvidenceSource {
        let t = text.trimmed.lowercased()
        for (prefix, isFeedback) in [("feedback:", true), ("conversation:", false), ("f", true), ("c", false), ("#", true), ("", true)] where t.hasPrefix(prefix) {
            if let n = Int64(t.dropFirst(prefix.count)), n > 0 { return isFeedback ? .feedback(FeedbackID(n)) : .conversation(ConversationID(n)) }
        }
        throw RapportError.invalid("evidence", "\"\(text)\" names no feedback or conversation; write f12 (feedback #12) or c7 (conversation #7)")
    }
}

/// Hypotheses: what the PM believes, with evidence for and against and a next step.
public struct HypothesisRepository: Sendable {
    let store: Store

    public func add(_ details: HypothesisDetails, as owner: AccountID) async throws -> Hypothesis {
        let d = try details.validated()
        let now = Timestamp.string(store.stamp())
        let id = try await store.transaction { db -> Int64 in
            let personas = try await PersonRows.personaIDs(d.personas, owner: owner, on: db)
            let id = try await db.insert(into: "hypotheses").columns("owner_id", "text", "area", "status", "status_at", "created_at", "updated_at")
                .values(owner.rawValue, d.text, d.area, HypothesisStatus.untested.rawValue, now, now, now)
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            guard let id else { throw RapportError.storage("the database did not return the new hypothesis's id") }
            for (position, persona) in personas.enumerated() {
                try await db.insert(into: "hypothesis_personas").columns("owner_id", "hypothesis_id", "persona_id", "position")
                    .values(owner.rawValue, id, persona, Int64(position)).run()
            }
            return id
        }
        return try await get(HypothesisID(id), as: owner)
    }

    /// Adds a piece of feedback or a conversation as evidence for (or against) the hypothesis.
    public func addEvidence(_ id: HypothesisID, _ source: EvidenceSource, supports: Bool, note: String?, as owner: AccountID) async throws -> Hypothesis {
        let now = Timestamp.string(store.stamp())
        let note = note?.trimmed.nilIfEmpty
        if let note, note.count > 2_000 { throw RapportError.invalid("note", "keep the note under 2000 characters") }
        try await store.transaction { db in
            try await Self.checkExists(id, owner: owner, on: db)
            var feedback: Int64?, conversation: Int64?
            switch source {
            case .feedback(let f):
                _ = try await FeedbackRows.one(f.rawValue, owner: owner, on: db)
                feedback = f.rawValue
            case .conversation(let c):
                guard try await FeedbackRows.heardAt(c, owner: owner, on: db) != nil else {
                    throw RapportError.invalid("evidence", "no conversation #\(c); see them with `rapport conversations list`")
                }
                conversation = c.rawValue
            }
            try await db.insert(into: "hypothesis_evidence")
                .columns("owner_id", "hypothesis_id", "feedback_id", "conversation_id", "supports", "note", "created_at")
                .values(owner.rawValue, id.rawValue, feedback, conversation, supports, note, now).run()
            try await db.update("hypotheses").set("updated_at", to: now).where("id", .equal, id.rawValue).run()
        }
        return try await get(id, as: owner)
    }

    /// Changes a hypothesis in one transaction: reads it as stored, makes `patch` (wording, area, personas,
    /// status), checks and writes.
    public func update(_ id: HypothesisID, with patch: HypothesisPatch, as owner: AccountID) async throws -> Hypothesis {
        let now = Timestamp.string(store.stamp())
        try await store.transaction { db in
            let stored = try await Self.details(id, owner: owner, on: db)
            var update = db.update("hypotheses").set("updated_at", to: now)
            let details = patch.applied(to: stored)
            if details != stored {
                let d = try details.validated()
                let personas = try await PersonRows.personaIDs(d.personas, owner: owner, on: db)
                update = update.set("text", to: d.text).set("area", to: d.area)
                try await db.delete(from: "hypothesis_personas").where("hypothesis_id", .equal, id.rawValue).run()
                for (position, persona) in personas.enumerated() {
                    try await db.insert(into: "hypothesis_personas").columns("owner_id", "hypothesis_id", "persona_id", "position")
                        .values(owner.rawValue, id.rawValue, persona, Int64(position)).run()
                }
            }
            if let status = patch.status { update = update.set("status", to: status.rawValue).set("status_at", to: now) }
            try await update.where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
        }
        return try await get(id, as: owner)
    }

    public func setStatus(_ id: HypothesisID, _ status: HypothesisStatus, as owner: AccountID) async throws -> Hypothesis {
        var patch = HypothesisPatch()
        patch.status = status
        return try await update(id, with: patch, as: owner)
    }

    /// The hypothesis's own fields as stored.
    static func details(_ id: HypothesisID, owner: AccountID, on db: any SQLDatabase) async throws -> HypothesisDetails {
        guard let row = try await db.select().columns("text", "area").from("hypotheses")
            .where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).first() else {
            throw RapportError.notFound(.hypothesis, "#\(id)")
        }
        let personas = try await db.select().column(SQLColumn("name", table: "personas")).from("hypothesis_personas")
            .join("personas", on: SQLColumn("id", table: "personas"), .equal, SQLColumn("persona_id", table: "hypothesis_personas"))
            .where(SQLColumn("hypothesis_id", table: "hypothesis_personas"), .equal, SQLBind(id.rawValue))
            .orderBy(SQLColumn("position", table: "hypothesis_personas"))
            .all(decodingColumn: "name", as: String.self)
        return HypothesisDetails(text: try row.decode(column: "text", as: String.self), personas: personas,
                                 area: try row.value("area", as: String.self))
    }

    public func get(_ id: HypothesisID, as owner: AccountID) async throws -> Hypothesis {
        guard let found = try await load([id.rawValue], as: owner).first else {
            throw RapportError.notFound(.hypothesis, "#\(id)")
        }
        return found
    }

    /// The hypothesis with id `ref` (`12`, `#12`).
    public func find(_ ref: String, as owner: AccountID) async throws -> Hypothesis {
        guard let number = ref.idNumber else {
            throw RapportError.invalid("hypothesis", "\"\(ref.trimmed)\" is not a hypothesis id; see them with `rapport hypotheses list`")
        }
        return try await get(HypothesisID(number), as: owner)
    }

    /// Every hypothesis: testing first, then untested, then decided; newest first within each.
    public func list(as owner: AccountID) async throws -> [Hypothesis] {
        let ids = try await store.withSession { db in
            try await db.select().column("id").from("hypotheses").where("owner_id", .equal, owner.rawValue)
                .orderBy("id", .descending).all(decodingColumn: "id", as: Int64.self)
        }
        let order: [HypothesisStatus: Int] = [.testing: 0, .untested: 1, .validated: 2, .invalidated: 3]
        return try await load(ids, as: owner).sorted { (order[$0.status] ?? 9, -$0.id.rawValue) < (order[$1.status] ?? 9, -$1.id.rawValue) }
    }

    func load(_ ids: [Int64], as owner: AccountID) async throws -> [Hypothesis] {
        guard !ids.isEmpty else { return [] }
        let (rows, personas, evidence) = try await store.withSession { db in
            let rows = try await db.select().column(SQLLiteral.all).from("hypotheses").where("owner_id", .equal, owner.rawValue).where("id", .in, ids).all()
            let personaRows = try await db.select().column(SQLColumn("hypothesis_id", table: "hypothesis_personas")).column(SQLColumn("name", table: "personas"))
                .from("hypothesis_personas")
                .join("personas", on: SQLColumn("id", table: "personas"), .equal, SQLColumn("persona_id", table: "hypothesis_personas"))
                .where(SQLColumn("hypothesis_id", table: "hypothesis_personas"), .in, SQLBind.group(ids))
                .orderBy(SQLColumn("position", table: "hypothesis_personas")).all()
            var personas: [Int64: [String]] = [:]
            for r in personaRows { personas[try r.decode(column: "hypothesis_id", as: Int64.self), default: []].append(try r.decode(column: "name", as: String.self)) }
            return (rows, personas, try await Self.evidence(ids, owner: owner, on: db))
        }
        // Whom to ask next, per persona of these hypotheses, from `pick` (people already heard are left out).
        var suggestions: [String: [PersonSummary]] = [:]
        let heard = Set(evidence.values.flatMap { $0 }.map(\.person.id))
        for name in Set(personas.values.flatMap { $0 }) {
            guard let persona = try? await store.personas.find(name, as: owner) else { continue }
            let pick = try await store.people.pick(from: persona, count: 8, now: store.now(), as: owner)
            suggestions[name] = pick.result.suggestions.map(\.person.summary).filter { !heard.contains($0.id) }
        }
        let byID = try Dictionary(firstOf: rows.map { row -> (Int64, Hypothesis) in
            let id = try row.decode(column: "id", as: Int64.self)
            let details = HypothesisDetails(text: try row.decode(column: "text", as: String.self), personas: personas[id] ?? [],
                                            area: try row.value("area", as: String.self))
            return (id, Hypothesis(
                id: HypothesisID(id), details: details,
                status: HypothesisStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .untested,
                statusAt: Timestamp.date(try row.decode(column: "status_at", as: String.self)) ?? .distantPast,
                evidence: evidence[id] ?? [], suggestions: suggestions,
                createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
                updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast))
        })
        return ids.compactMap { byID[$0] }
    }

    /// Evidence by hypothesis: feedback brings its person; a conversation brings its first person.
    static func evidence(_ ids: [Int64], owner: AccountID, on db: any SQLDatabase) async throws -> [Int64: [HypothesisEvidence]] {
        let rows = try await db.select().column(SQLLiteral.all).from("hypothesis_evidence")
            .where("owner_id", .equal, owner.rawValue).where("hypothesis_id", .in, ids).orderBy("id").all()
        let feedbackIDs = try rows.compactMap { try $0.value("feedback_id", as: Int64.self) }
        let conversationIDs = try rows.compactMap { try $0.value("conversation_id", as: Int64.self) }
        let feedback = Dictionary(firstOf: try await FeedbackRows.load(feedbackIDs, owner: owner, on: db).map { ($0.id.rawValue, $0) })
        let conversations = Dictionary(firstOf: try await ConversationRows.load(conversationIDs, owner: owner, on: db).map { ($0.id.rawValue, $0) })
        let firstPeople = Array(Set(conversations.values.compactMap { $0.people.first?.id.rawValue }))
        let people = Dictionary(firstOf: try await PersonRows.load(firstPeople, owner: owner, on: db).map { ($0.id, $0) })
        var out: [Int64: [HypothesisEvidence]] = [:]
        for row in rows {
            let hypothesis = try row.decode(column: "hypothesis_id", as: Int64.self)
            let id = try row.decode(column: "id", as: Int64.self)
            let supports = try row.decode(column: "supports", as: Bool.self)
            let note = try row.value("note", as: String.self)
            if let f = try row.value("feedback_id", as: Int64.self).flatMap({ feedback[$0] }) {
                out[hypothesis, default: []].append(HypothesisEvidence(
                    id: id, supports: supports, note: note, feedback: f.id, conversation: f.conversation, summary: f.text,
                    person: f.person, personas: f.personas, secondhand: f.secondhand, at: f.at))
            } else if let c = try row.value("conversation_id", as: Int64.self).flatMap({ conversations[$0] }), let first = c.people.first {
                out[hypothesis, default: []].append(HypothesisEvidence(
                    id: id, supports: supports, note: note, feedback: nil, conversation: c.id, summary: c.title,
                    person: first, personas: people[first.id]?.details.personas ?? [], secondhand: c.details.kind == .secondhand, at: c.details.at))
            }
        }
        return out
    }

    static func checkExists(_ id: HypothesisID, owner: AccountID, on db: any SQLDatabase) async throws {
        if try await db.select().column("id").from("hypotheses").where("owner_id", .equal, owner.rawValue)
            .where("id", .equal, id.rawValue).first() == nil {
            throw RapportError.notFound(.hypothesis, "#\(id)")
        }
    }
}
