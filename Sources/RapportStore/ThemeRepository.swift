import Foundation
import RapportCore
import SQLKit

/// A theme with its feedback and a weekly count.
public struct ThemeDetail: Sendable, Codable, Equatable {
    public var summary: ThemeSummary
    public var weekly: [WeekCount]
    public var feedback: [Feedback]
}

/// Themes: the tags on feedback, with counts, trends, renames and merges.
public struct ThemeRepository: Sendable {
    let store: Store

    /// Every theme with feedback between `since` and `until` (exclusive), most mentioned first; the trend compares the
    /// last `weeks` weeks with the `weeks` before, up to now.
    public func list(since: Date? = nil, until: Date? = nil, weeks: Int = 4, as owner: AccountID) async throws -> [ThemeSummary] {
        try await summaries(since: since, until: until, weeks: weeks, only: nil, as: owner)
    }

    /// The themes rising now (``Trend``), each with its whole figures as ``list(since:until:weeks:as:)`` gives them.
    /// Which themes rise is counted over the last 2 × `weeks` weeks only: two short ranges a theme of the
    /// `feedback_themes_figures` index (owner, theme, time), as the themes list counts its trend windows, so the
    /// dashboard neither groups every piece of feedback ever heard nor joins the period's feedback to its links.
    public func rising(weeks: Int = 4, as owner: AccountID) async throws -> [ThemeSummary] {
        let (end, recent, previous) = windows(weeks: weeks)
        func window(_ from: String, _ to: String) -> SQLQueryString {
            "(SELECT COUNT(*) FROM feedback_themes ft WHERE ft.owner_id = \(bind: owner.rawValue) AND ft.theme_id = t.id AND ft.occurred_at > \(bind: from) AND ft.occurred_at <= \(bind: to))"
        }
        var sql: SQLQueryString = "SELECT t.id AS theme, "
        sql += window(recent, end) + " AS recent, " + window(previous, recent) + " AS previous"
        sql += " FROM themes t WHERE t.owner_id = \(bind: owner.rawValue) AND t.mention_count > 0"
        let query = sql
        let rising = try await store.withSession { db in
            try await db.raw(query).all().compactMap { row -> Int64? in
                let trend = Trend(recent: try row.decode(column: "recent", as: Int.self), previous: try row.decode(column: "previous", as: Int.self), weeks: weeks)
                return trend.rising ? try row.decode(column: "theme", as: Int64.self) : nil
            }
        }
        if rising.isEmpty { return [] }
        return try await summaries(since: nil, until: nil, weeks: weeks, only: rising, as: owner)
    }

    /// Each theme's trend (by name) up to `end` (exclusive): its links in the `weeks` weeks before against the
    /// `weeks` before those, as ``Trend/of(_:now:weeks:)`` counts them at `end` less a second (stored times are whole
    /// seconds); only feedback of people in `personas` (ids; nil: everyone) counts. Themes with neither are left out.
    /// Two ranges a theme of the `feedback_themes_figures` index (owner, theme, time, person), for the report.
    func trends(before end: Date, weeks: Int, personas: [Int64]?, owner: AccountID, on db: any SQLDatabase) async throws -> [String: Trend] {
        let span = Double(weeks) * 7 * 86_400
        let to = Timestamp.string(end), recent = Timestamp.string(end.addingTimeInterval(-span))
        let previous = Timestamp.string(end.addingTimeInterval(-2 * span))
        func window(_ from: String, _ until: String) -> SQLQueryString {
            var sql: SQLQueryString = "(SELECT COUNT(*) FROM feedback_themes ft WHERE ft.owner_id = \(bind: owner.rawValue) AND ft.theme_id = t.id"
            sql += " AND ft.occurred_at >= \(bind: from) AND ft.occurred_at < \(bind: until)"
            if let personas {
                sql += " AND ft.person_id IN (SELECT pp.person_id FROM person_personas pp WHERE pp.owner_id = \(bind: owner.rawValue)"
                sql += personas.isEmpty ? " AND 1 = 0)" : " AND pp.persona_id IN (\(binds: personas)))"
            }
            return sql + ")"
        }
        var sql: SQLQueryString = "SELECT t.name AS name, "
        sql += window(recent, to) + " AS recent, " + window(previous, recent) + " AS previous"
        sql += " FROM themes t WHERE t.owner_id = \(bind: owner.rawValue) AND t.mention_count > 0"
        var trends: [String: Trend] = [:]
        for row in try await db.raw(sql).all() {
            let recent = try row.decode(column: "recent", as: Int.self), previous = try row.decode(column: "previous", as: Int.self)
            guard recent + previous > 0 else { continue }
            trends[try row.decode(column: "name", as: String.self)] = Trend(recent: recent, previous: previous, weeks: weeks)
        }
        return trends
    }

    /// The trend's edges as stored timestamps (``Trend/of(_:now:weeks:)``): now, `weeks` weeks ago and twice that.
    private func windows(weeks: Int) -> (end: String, recent: String, previous: String) {
        let now = store.now(), span = Double(weeks) * 7 * 86_400
        return (Timestamp.string(now), Timestamp.string(now.addingTimeInterval(-span)), Timestamp.string(now.addingTimeInterval(-2 * span)))
    }

    /// The figures of every theme (or of the themes `only` names). Over all time they are read from the figures kept
    /// as links are written (``ThemeFigureTables``, migration 0016): one row a theme, its first and last heard and
    /// trend windows from the `feedback_themes_figures` index (a seek and two short ranges a theme). Over a period
    /// (`since`, `until`) they come from three grouped queries over the period's theme links (`feedback_themes`
    /// carries each feedback's time and person: migration 0015): the figures and trend windows, then companies, then
    /// mentions by persona. Windows are bound as timestamps; nothing is loaded row by row or folded at read time.
    private func summaries(since: Date?, until: Date?, weeks: Int, only: [Int64]?, as owner: AccountID) async throws -> [ThemeSummary] {
        let (end, recent, previous) = windows(weeks: weeks)
        let queries = since == nil && until == nil
            ? Self.keptQueries(end: end, recent: recent, previous: previous, only: only, owner: owner)
            : Self.periodQueries(since: since, until: until, end: end, recent: recent, previous: previous, only: only, owner: owner)
        return try await store.withSession { db in
            let rows = try await db.raw(queries.figures).all()
            var companies: [Int64: Int] = [:]
            if let byCompany = queries.companies {
                for row in try await db.raw(byCompany).all() {
                    companies[try row.decode(column: "theme", as: Int64.self)] = try row.decode(column: "companies", as: Int.self)
                }
            }
            var personas: [Int64: [ThemeSummary.PersonaCount]] = [:]
            for row in try await db.raw(queries.personas).all() {
                personas[try row.decode(column: "theme", as: Int64.self), default: []]
                    .append(.init(persona: try row.decode(column: "persona", as: String.self), count: try row.decode(column: "mentions", as: Int.self)))
            }
            return try rows.map { row in
                let theme = try row.decode(column: "theme", as: Int64.self)
                return ThemeSummary(
                    name: try row.decode(column: "name", as: String.self), count: try row.decode(column: "mentions", as: Int.self),
                    people: try row.decode(column: "people", as: Int.self),
                    companies: queries.companies == nil ? try row.decode(column: "companies", as: Int.self) : companies[theme] ?? 0,
                    personas: (personas[theme] ?? []).sorted { ($1.count, $0.persona) < ($0.count, $1.persona) },
                    firstHeard: try row.value("first_heard", as: String.self).flatMap(Timestamp.date),
                    lastHeard: try row.value("last_heard", as: String.self).flatMap(Timestamp.date),
                    trend: Trend(recent: try row.decode(column: "recent", as: Int.self), previous: try row.decode(column: "previous", as: Int.self), weeks: weeks))
            }.sorted { ($1.count, $0.name) < ($0.count, $1.name) }
        }
    }

    /// The queries for a theme's figures: one row a theme (`theme`, `name`, `mentions`, `people`, `first_heard`,
    /// `last_heard`, `recent`, `previous`, and `companies` when `companies` is nil), companies a theme, and mentions by
    /// persona (`theme`, `persona`, `mentions`).
    struct FigureQueries {
        var figures: SQLQueryString
        var companies: SQLQueryString?
        var personas: SQLQueryString
    }

    /// Over all time, from the kept figures: rows of `themes`, `theme_companies` and `theme_personas`, with times
    /// from the `feedback_themes_figures` index.
    static func keptQueries(end: String, recent: String, previous: String, only: [Int64]?, owner: AccountID) -> FigureQueries {
        func links(_ what: String, _ window: SQLQueryString? = nil) -> SQLQueryString {
            var sql: SQLQueryString = "(SELECT \(unsafeRaw: what) FROM feedback_themes ft WHERE ft.owner_id = \(bind: owner.rawValue) AND ft.theme_id = t.id"
            if let window { sql += window }
            return sql + ")"
        }
        var figures: SQLQueryString = "SELECT t.id AS theme, t.name AS name, t.mention_count AS mentions, t.people_count AS people,"
        figures += " (SELECT COUNT(*) FROM theme_companies c WHERE c.theme_id = t.id) AS companies,"
        figures += links("MIN(ft.occurred_at)") + " AS first_heard, " + links("MAX(ft.occurred_at)") + " AS last_heard, "
        figures += links("COUNT(*)", " AND ft.occurred_at > \(bind: recent) AND ft.occurred_at <= \(bind: end)") + " AS recent, "
        figures += links("COUNT(*)", " AND ft.occurred_at > \(bind: previous) AND ft.occurred_at <= \(bind: recent)") + " AS previous"
        figures += " FROM themes t WHERE t.owner_id = \(bind: owner.rawValue) AND t.mention_count > 0"
        var personas: SQLQueryString = "SELECT tp.theme_id AS theme, pe.name AS persona, tp.mentions AS mentions FROM theme_personas tp"
        personas += " JOIN personas pe ON pe.id = tp.persona_id WHERE tp.owner_id = \(bind: owner.rawValue)"
        if let only {
            figures += " AND t.id IN (\(binds: only))"
            personas += " AND tp.theme_id IN (\(binds: only))"
        }
        return FigureQueries(figures: figures, companies: nil, personas: personas)
    }

    /// Over a period, grouped from the period's theme links.
    static func periodQueries(since: Date?, until: Date?, end: String, recent: String, previous: String, only: [Int64]?, owner: AccountID) -> FigureQueries {
        func links(_ columns: SQLQueryString) -> SQLQueryString {
            var scope: SQLQueryString = "(SELECT "
            scope += columns
            scope += " FROM feedback_themes WHERE owner_id = \(bind: owner.rawValue)"
            if let since { scope += " AND occurred_at >= \(bind: Timestamp.string(since))" }
            if let until { scope += " AND occurred_at < \(bind: Timestamp.string(until))" }
            if let only { scope += " AND theme_id IN (\(binds: only))" }
            return scope
        }
        var figureSQL: SQLQueryString = "SELECT t.id AS theme, t.name AS name, x.mentions, x.people, x.first_heard, x.last_heard, x.recent, x.previous FROM "
        var figureColumns: SQLQueryString = "theme_id, COUNT(*) AS mentions, COUNT(DISTINCT person_id) AS people, MIN(occurred_at) AS first_heard,"
        figureColumns += " MAX(occurred_at) AS last_heard, SUM(CASE WHEN occurred_at <= \(bind: end) AND occurred_at > \(bind: recent) THEN 1 ELSE 0 END) AS recent,"
        figureColumns += " SUM(CASE WHEN occurred_at <= \(bind: recent) AND occurred_at > \(bind: previous) THEN 1 ELSE 0 END) AS previous"
        figureSQL += links(figureColumns) + " GROUP BY theme_id) x JOIN themes t ON t.id = x.theme_id WHERE t.owner_id = \(bind: owner.rawValue)"
        var companySQL: SQLQueryString = "SELECT x.theme_id AS theme, COUNT(DISTINCT p.company_id) AS companies FROM "
        companySQL += links("theme_id, person_id") + ") x JOIN people p ON p.id = x.person_id GROUP BY x.theme_id"
        var personaSQL: SQLQueryString = "SELECT x.theme_id AS theme, pe.name AS persona, COUNT(*) AS mentions FROM "
        personaSQL += links("theme_id, person_id") + ") x JOIN person_personas pp ON pp.person_id = x.person_id"
        personaSQL += " JOIN personas pe ON pe.id = pp.persona_id GROUP BY x.theme_id, pe.name"
        return FigureQueries(figures: figureSQL, companies: companySQL, personas: personaSQL)
    }

    /// One theme: its figures, a weekly count over `span` weeks, and its feedback.
    public func show(_ name: String, weeks: Int = 4, span: Int = 12, as owner: AccountID) async throws -> ThemeDetail {
        let found = try await find(name, as: owner)
        var filter = FeedbackFilter()
        filter.theme = found
        filter.limit = 1_000_000
        let feedback = try await store.feedback.list(filter, as: owner)
        let clock = try await store.clock(as: owner)
        return ThemeDetail(summary: ThemeSummary.build(name: found, feedback: feedback, now: clock.now, weeks: weeks),
                           weekly: WeeklyCounts.of(feedback.map(\.at), now: clock.now, zone: clock.zone, weeks: span), feedback: feedback)
    }

    /// Renames a theme; a name another theme has already is refused with a pointer to `merge`.
    public func rename(_ name: String, to newName: String, as owner: AccountID) async throws -> String {
        let errors = FieldErrors()
        guard let clean = Themes.clean([newName], errors: errors).first else {
            errors.append("name", "give the new name, e.g. \"slow exports\"")
            try errors.throwIfAny()
            return name
        }
        try errors.throwIfAny()
        return try await store.transaction { db in
            let id = try await Self.id(name, owner: owner, on: db)
            if let other = try await db.select().column("id").from("themes").where("owner_id", .equal, owner.rawValue)
                .where("name_key", .equal, Themes.key(clean)).first(decodingColumn: "id", as: Int64.self), other != id {
                throw RapportError.conflict(field: "name", message: "a theme named \"\(clean)\" exists; merge into it with `rapport themes merge \"\(name)\" --into \"\(clean)\"`")
            }
            try await db.update("themes").set("name", to: clean).set("name_key", to: Themes.key(clean))
                .where("id", .equal, id).where("owner_id", .equal, owner.rawValue).run()
            try await Self.reindex(theme: id, owner: owner, on: db)
            return clean
        }
    }

    /// Moves every piece of feedback of `source` to `target` and removes `source`; feedback tagged with both keeps one tag.
    public func merge(_ source: String, into target: String, as owner: AccountID) async throws -> ThemeDetail {
        let name = try await store.transaction { db -> String in
            let from = try await Self.id(source, owner: owner, on: db)
            let into = try await Self.id(target, owner: owner, on: db)
            guard from != into else { throw RapportError.conflict(field: "into", message: "a theme cannot be merged into itself; name two themes") }
            // Feedback tagged with both keeps the target's tag: a subquery, so no list of ids is bound (a theme can
            // hold more feedback than a statement can bind).
            try await db.delete(from: "feedback_themes").where("theme_id", .equal, from)
                .where(SQLColumn("feedback_id"), .in, SQLSubquery.select {
                    $0.column("feedback_id").from("feedback_themes").where("theme_id", .equal, into)
                }).run()
            try await db.update("feedback_themes").set("theme_id", to: into).where("theme_id", .equal, from).run()
            try await db.delete(from: "themes").where("id", .equal, from).where("owner_id", .equal, owner.rawValue).run()
            try await Self.reindex(theme: into, owner: owner, on: db)
            return try await db.select().column("name").from("themes").where("id", .equal, into).first(decodingColumn: "name", as: String.self) ?? target
        }
        return try await show(name, as: owner)
    }

    /// Every theme name of the account, as written.
    public func allNames(as owner: AccountID) async throws -> [String] {
        try await store.withSession { db in
            try await db.select().column("name").from("themes").where("owner_id", .equal, owner.rawValue).orderBy("name_key")
                .all(decodingColumn: "name", as: String.self)
        }
    }

    /// The theme's name as stored, for a name in any letter case.
    public func find(_ name: String, as owner: AccountID) async throws -> String {
        try await store.withSession { db in
            let id = try await Self.id(name, owner: owner, on: db)
            return try await db.select().column("name").from("themes").where("id", .equal, id).first(decodingColumn: "name", as: String.self) ?? name
        }
    }

    static func id(_ name: String, owner: AccountID, on db: any SQLDatabase) async throws -> Int64 {
        if let id = try await db.select().column("id").from("themes").where("owner_id", .equal, owner.rawValue)
            .where("name_key", .equal, Themes.key(name)).first(decodingColumn: "id", as: Int64.self) {
            return id
        }
        let names = try await db.select().column("name").from("themes").where("owner_id", .equal, owner.rawValue)
            .all(decodingColumn: "name", as: String.self)
        let hint = ClosestNames.to(name, among: names, maxDistance: max(2, name.count / 3), limit: 1).first.map { "did you mean \"\($0)\"? " } ?? ""
        throw RapportError.invalid("theme", "no theme \"\(name.trimmed)\"; \(hint)see them with `rapport themes list`")
    }

    /// Rewrites the search text of the theme's feedback after its name changed.
    static func reindex(theme: Int64, owner: AccountID, on db: any SQLDatabase) async throws {
        let ids = try await db.select().column("feedback_id").from("feedback_themes").where("theme_id", .equal, theme)
            .all(decodingColumn: "feedback_id", as: Int64.self)
        // Their documents go in one statement (a subquery, no ids bound) and come back many to a statement.
        let kind = SearchKind.feedback
        try await db.delete(from: kind.table).where(SQLColumn(kind.key(Dialect(db))), .in, SQLSubquery.select {
            $0.column("feedback_id").from("feedback_themes").where("theme_id", .equal, theme)
        }).run()
        let documents = try await FeedbackRows.load(ids, owner: owner, on: db).map { (id: $0.id.rawValue, document: FeedbackRows.document($0.details)) }
        try await SearchIndex.insertMany(kind: kind, documents, owner: owner, on: db)
    }
}
