import Foundation
import RapportCore
import SQLKit

/// Feature requests (opportunities): feedback linked as evidence, scored, moved through a status, and the people who
/// asked told when it ships.
public struct FeatureRequestRepository: Sendable {
    let store: Store

    /// A new request, with `feedback` linked as its evidence in the same transaction: an unknown piece of feedback
    /// leaves nothing stored.
    public func add(_ details: FeatureRequestDetails, linking feedback: [FeedbackID] = [], as owner: AccountID) async throws -> FeatureRequest {
        let d = try FeatureRequestRules.validate(details)
        let now = Timestamp.string(store.stamp())
        let id = try await store.transaction { db -> Int64 in
            try await Self.checkTitleFree(d.title, except: nil, owner: owner, on: db)
            let id = try await db.insert(into: "feature_requests")
                .columns("owner_id", "title", "title_key", "problem", "area", "impact", "effort", "status", "status_at", "created_at", "updated_at")
                .values(owner.rawValue, d.title, d.title.matchingKey, d.problem, d.area, d.impact.map(Int64.init), d.effort.map(Int64.init),
                        FeatureRequestStatus.new.rawValue, now, now, now)
                .returning("id").first(decodingColumn: "id", as: Int64.self)
            guard let id else { throw RapportError.storage("the database did not return the new request's id") }
            try await Self.link(FeatureRequestID(id), feedback: feedback, now: now, owner: owner, on: db)
            return id
        }
        return try await get(FeatureRequestID(id), as: owner)
    }

    /// Changes a request in one transaction: reads it as stored, makes `patch` (title, problem, area, scores,
    /// status), checks and writes.
    public func update(_ id: FeatureRequestID, with patch: FeatureRequestPatch, as owner: AccountID) async throws -> FeatureRequest {
        let now = Timestamp.string(store.stamp())
        try await store.transaction { db in
            let stored = try await Self.details(id.rawValue, owner: owner, on: db)
            var update = db.update("feature_requests").set("updated_at", to: now)
            let details = patch.applied(to: stored)
            if details != stored {
                let d = try FeatureRequestRules.validate(details)
                try await Self.checkTitleFree(d.title, except: id.rawValue, owner: owner, on: db)
                update = update.set("title", to: d.title).set("title_key", to: d.title.matchingKey)
                    .set("problem", to: d.problem).set("area", to: d.area)
                    .set("impact", to: d.impact.map(Int64.init)).set("effort", to: d.effort.map(Int64.init))
            }
            if let status = patch.status { update = update.set("status", to: status.rawValue).set("status_at", to: now) }
            try await update.where("id", .equal, id.rawValue).where("owner_id", .equal, owner.rawValue).run()
        }
        return try await get(id, as: owner)
    }

    public func setStatus(_ id: FeatureRequestID, _ status: FeatureRequestStatus, as owner: AccountID) async throws -> FeatureRequest {
        var patch = FeatureRequestPatch()
        patch.status = status
        return try await update(id, with: patch, as: owner)
    }

    /// Links feedback as evidence; linking the same feedback twice changes nothing.
    public func link(_ id: FeatureRequestID, feedback: [FeedbackID], as owner: AccountID) async throws -> FeatureRequest {
        let now = Timestamp.string(store.stamp())
        try await store.transaction { db in
            _ = try await Self.details(id.rawValue, owner: owner, on: db)
            try await Self.link(id, feedback: feedback, now: now, owner: owner, on: db)
        }
        return try await get(id, as: owner)
    }

    /// Links `feedback` to the request inside the caller's transaction; refused whole when one is not the owner's.
    static func link(_ id: FeatureRequestID, feedback: [FeedbackID], now: String, owner: AccountID, on db: any SQLDatabase) async throws {
        guard !feedback.isEmpty else { return }
        let found = Set(try await FeedbackRows.load(feedback.map(\.rawValue), owner: owner, on: db).map(\.id))
        let missing = feedback.filter { !found.contains($0) }
        if !missing.isEmpty {
            throw RapportError.invalid("feedback", "no feedback " + missing.map { "#\($0)" }.joined(separator: ", ") + "; see the ids with `rapport feedback list`")
        }
        for f in Set(feedback) {
            let linked = try await db.select().column("feedback_id").from("request_feedback")
                .where("request_id", .equal, id.rawValue).where("feedback_id", .equal, f.rawValue).first() != nil
            if !linked {
                try await db.insert(into: "request_feedback").columns("owner_id", "request_id", "feedback_id", "linked_at")
                    .values(owner.rawValue, id.rawValue, f.rawValue, now).run()
            }
        }
        try await db.update("feature_requests").set("updated_at", to: now).where("id", .equal, id.rawValue).run()
    }

    public func unlink(_ id: FeatureRequestID, feedback: [FeedbackID], as owner: AccountID) async throws -> FeatureRequest {
        try await store.transaction { db in
            _ = try await Self.details(id.rawValue, owner: owner, on: db)
            try await db.delete(from: "request_feedback").where("request_id", .equal, id.rawValue)
                .where("feedback_id", .in, feedback.map(\.rawValue)).run()
        }
        return try await get(id, as: owner)
    }

    /// Records that `people` were told the request shipped.
    public func recordNotified(_ id: FeatureRequestID, people: [PersonID], as owner: AccountID) async throws -> FeatureRequest {
        let now = Timestamp.string(store.stamp())
        try await store.transaction { db in
            for person in people {
                try await db.delete(from: "request_notices").where("request_id", .equal, id.rawValue).where("person_id", .equal, person.rawValue).run()
                try await db.insert(into: "request_notices").columns("owner_id", "request_id", "person_id", "notified_at")
                    .values(owner.rawValue, id.rawValue, person.rawValue, now).run()
            }
        }
        return try await get(id, as: owner)
    }

    public func get(_ id: FeatureRequestID, as owner: AccountID) async throws -> FeatureRequest {
        guard let found = try await load([id.rawValue], as: owner).first else {
            throw RapportError.notFound(.request, "#\(id)")
        }
        return found
    }

    /// The request with id `ref` (`12`, `#12`).
    public func find(_ ref: String, as owner: AccountID) async throws -> FeatureRequest {
        guard let number = ref.idNumber else {
            throw RapportError.invalid("request", "\"\(ref.trimmed)\" is not a request id; see them with `rapport requests list`")
        }
        return try await get(FeatureRequestID(number), as: owner)
    }

    public func list(sort: FeatureRequestSort = .priority, status: FeatureRequestStatus? = nil, as owner: AccountID) async throws -> [FeatureRequest] {
        let ids = try await store.withSession { db in
            var query = db.select().column("id").from("feature_requests").where("owner_id", .equal, owner.rawValue)
            if let status { query = query.where("status", .equal, status.rawValue) }
            return try await query.all(decodingColumn: "id", as: Int64.self)
        }
        return sort.sorted(try await load(ids, as: owner))
    }

    /// The requests that link any of `feedback` (for the feedback's own page).
    public func linking(_ feedback: FeedbackID, as owner: AccountID) async throws -> [FeatureRequest] {
        let ids = try await store.withSession { db in
            try await db.select().column("request_id").from("request_feedback").where("owner_id", .equal, owner.rawValue)
                .where("feedback_id", .equal, feedback.rawValue).all(decodingColumn: "request_id", as: Int64.self)
        }
        return try await load(ids, as: owner)
    }

    func load(_ ids: [Int64], as owner: AccountID) async throws -> [FeatureRequest] {
        guard !ids.isEmpty else { return [] }
        return try await store.withSession { db in
            let rows = try await db.select().column(SQLLiteral.all).from("feature_requests")
                .where("owner_id", .equal, owner.rawValue).where("id", .in, ids).all()
            let links = try await db.select().columns("request_id", "feedback_id").from("request_feedback")
                .where("owner_id", .equal, owner.rawValue).where("request_id", .in, ids).all()
            var feedbackIDs: [Int64: [Int64]] = [:]
            for link in links { feedbackIDs[try link.decode(column: "request_id", as: Int64.self), default: []].append(try link.decode(column: "feedback_id", as: Int64.self)) }
            let allFeedback = Dictionary(firstOf: try await FeedbackRows.load(Array(Set(feedbackIDs.values.flatMap { $0 })), owner: owner, on: db).map { ($0.id.rawValue, $0) })
            let notices = try await db.select().columns("request_id", "person_id", "notified_at").from("request_notices")
                .where("owner_id", .equal, owner.rawValue).where("request_id", .in, ids).all()
            var notified: [Int64: [PersonID: Date]] = [:]
            for n in notices {
                notified[try n.decode(column: "request_id", as: Int64.self), default: [:]][PersonID(try n.decode(column: "person_id", as: Int64.self))] =
                    Timestamp.date(try n.decode(column: "notified_at", as: String.self))
            }
            let byID = try Dictionary(firstOf: rows.map { row -> (Int64, FeatureRequest) in
                let id = try row.decode(column: "id", as: Int64.self)
                let details = try Self.details(row)
                return (id, FeatureRequest(
                    id: FeatureRequestID(id), details: details,
                    status: FeatureRequestStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
                    statusAt: Timestamp.date(try row.decode(column: "status_at", as: String.self)) ?? .distantPast,
                    feedback: (feedbackIDs[id] ?? []).compactMap { allFeedback[$0] }, notified: notified[id] ?? [:],
                    createdAt: Timestamp.date(try row.decode(column: "created_at", as: String.self)) ?? .distantPast,
                    updatedAt: Timestamp.date(try row.decode(column: "updated_at", as: String.self)) ?? .distantPast))
            })
            return ids.compactMap { byID[$0] }
        }
    }

    static func details(_ id: Int64, owner: AccountID, on db: any SQLDatabase) async throws -> FeatureRequestDetails {
        guard let row = try await db.select().column(SQLLiteral.all).from("feature_requests")
            .where("owner_id", .equal, owner.rawValue).where("id", .equal, id).first() else {
            throw RapportError.notFound(.request, "#\(id)")
        }
        return try details(row)
    }

    /// The details a `feature_requests` row holds.
    static func details(_ row: any SQLRow) throws -> FeatureRequestDetails {
        FeatureRequestDetails(
            title: try row.decode(column: "title", as: String.self), problem: try row.value("problem", as: String.self),
            area: try row.value("area", as: String.self), impact: try row.value("impact", as: Int64.self).map { Int($0) },
            effort: try row.value("effort", as: Int64.self).map { Int($0) })
    }

    static func checkTitleFree(_ title: String, except: Int64?, owner: AccountID, on db: any SQLDatabase) async throws {
        if let stored = try await NamedRows.taken(title, table: "feature_requests", key: "title_key", column: "title", except: except, owner: owner, on: db) {
            throw RapportError.conflict(field: "title", message: "request #\(stored.id) is already called \"\(stored.name)\"; link the feedback to it with `rapport requests link \(stored.id) FEEDBACK`")
        }
    }
}
