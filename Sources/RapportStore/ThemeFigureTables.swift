import RapportCore
import SQLKit

/// Migration 0016: a theme's whole figures kept as they are written, so the themes list reads 40 rows instead of
/// grouping every theme link (248,000 links at 10,000 people took three scans of ~290 ms each).
///
/// Every kept figure is a function of three base relations, and each trigger keeps its invariant whatever order
/// cascades run in (a person's deletion may remove their links, and their personas, in either order); on PostgreSQL
/// the triggers of one account run one transaction at a time (the circle lock):
///
/// | kept | equals |
/// | --- | --- |
/// | `themes.mention_count` | the theme's links (`feedback_themes` rows) |
/// | `theme_people(theme, person).mentions` | the links of that theme whose feedback is that person's |
/// | `themes.people_count` | the theme's `theme_people` rows |
/// | `theme_companies(theme, company).people` | the theme's people whose `people.company_id` is that company |
/// | `theme_personas(theme, persona).mentions` | the sum of `theme_people.mentions` over the persona's people |
///
/// Written by triggers on `feedback_themes` (insert, delete, a new person or theme), `theme_people` (a person joins
/// or leaves a theme), `people` (a new company) and `person_personas` (insert, delete, update), in SQLite trigger
/// bodies and PL/pgSQL functions built from the same statements. Figures over a period (`themes list --since`,
/// reports) still group the period's links. The contract test `ThemeFigureTests` replays random writes and compares these with a grouped scan.
///
/// Migration 0016 is built from the statement lists below: they are that step's and never change; a later change to
/// how figures are kept is a new migration with its own statements.
enum ThemeFigureTables {
    /// Statements that count one theme link `row` (`NEW` or `OLD`) in. A person new to the theme is a new
    /// `theme_people` row, whose own trigger (``joinTheme``) counts them and their company in.
    static func add(_ row: String) -> [String] {
        [
            "UPDATE themes SET mention_count = mention_count + 1 WHERE id = \(row).theme_id",
            """
            INSERT INTO theme_people (owner_id, theme_id, person_id, company_id, mentions)
            SELECT \(row).owner_id, \(row).theme_id, p.id, p.company_id, 1 FROM people p WHERE p.id = \(row).person_id
            ON CONFLICT (theme_id, person_id) DO UPDATE SET mentions = theme_people.mentions + 1
            """,
            """
            INSERT INTO theme_personas (owner_id, theme_id, persona_id, mentions)
            SELECT \(row).owner_id, \(row).theme_id, pp.persona_id, 1 FROM person_personas pp WHERE pp.person_id = \(row).person_id
            ON CONFLICT (theme_id, persona_id) DO UPDATE SET mentions = theme_personas.mentions + 1
            """,
        ]
    }

    /// Statements that count one theme link `row` out; rows that reach zero are deleted (a person's last link with
    /// the theme deletes their `theme_people` row, whose trigger, ``leaveTheme``, counts them and their company out).
    static func remove(_ row: String) -> [String] {
        let personas = "persona_id IN (SELECT persona_id FROM person_personas WHERE person_id = \(row).person_id)"
        let pair = "theme_id = \(row).theme_id AND person_id = \(row).person_id"
        return [
            "UPDATE themes SET mention_count = mention_count - 1 WHERE id = \(row).theme_id",
            "UPDATE theme_personas SET mentions = mentions - 1 WHERE theme_id = \(row).theme_id AND \(personas)",
            "DELETE FROM theme_personas WHERE theme_id = \(row).theme_id AND mentions <= 0 AND \(personas)",
            "UPDATE theme_people SET mentions = mentions - 1 WHERE \(pair)",
            "DELETE FROM theme_people WHERE \(pair) AND mentions <= 0",
        ]
    }

    /// A person joins a theme (a new `theme_people` row, `NEW`): one person more, and one at their company.
    static let joinTheme = [
        "UPDATE themes SET people_count = people_count + 1 WHERE id = NEW.theme_id",
        """
        INSERT INTO theme_companies (owner_id, theme_id, company_id, people)
        SELECT NEW.owner_id, NEW.theme_id, NEW.company_id, 1 WHERE NEW.company_id IS NOT NULL
        ON CONFLICT (theme_id, company_id) DO UPDATE SET people = theme_companies.people + 1
        """,
    ]

    /// A person leaves a theme (their `theme_people` row, `OLD`, is deleted): one person fewer, and at their company.
    /// A person's deletion takes their feedback, so their links, so these rows: nothing reads the row already gone.
    static let leaveTheme = [
        "UPDATE themes SET people_count = people_count - 1 WHERE id = OLD.theme_id",
        "UPDATE theme_companies SET people = people - 1 WHERE theme_id = OLD.theme_id AND company_id = OLD.company_id",
        "DELETE FROM theme_companies WHERE theme_id = OLD.theme_id AND company_id = OLD.company_id AND people <= 0",
    ]

    /// A person (`OLD`) leaves a company: their themes count one person fewer there.
    static let leaveCompany = [
        """
        UPDATE theme_companies SET people = people - 1
        WHERE company_id = OLD.company_id AND theme_id IN (SELECT theme_id FROM theme_people WHERE person_id = OLD.id)
        """,
        "DELETE FROM theme_companies WHERE company_id = OLD.company_id AND people <= 0",
    ]

    /// A person (`NEW`) joins a company: their themes count one person more there.
    static let joinCompany = [
        """
        INSERT INTO theme_companies (owner_id, theme_id, company_id, people)
        SELECT tp.owner_id, tp.theme_id, NEW.company_id, 1 FROM theme_people tp WHERE tp.person_id = NEW.id AND NEW.company_id IS NOT NULL
        ON CONFLICT (theme_id, company_id) DO UPDATE SET people = theme_companies.people + 1
        """,
        "UPDATE theme_people SET company_id = NEW.company_id WHERE person_id = NEW.id",
    ]

    /// A person (`NEW.person_id`) takes a persona: the persona gains their mentions of each theme.
    static let takePersona = [
        """
        INSERT INTO theme_personas (owner_id, theme_id, persona_id, mentions)
        SELECT tp.owner_id, tp.theme_id, NEW.persona_id, tp.mentions FROM theme_people tp WHERE tp.person_id = NEW.person_id
        ON CONFLICT (theme_id, persona_id) DO UPDATE SET mentions = theme_personas.mentions + excluded.mentions
        """,
    ]

    /// A person (`OLD.person_id`) drops a persona: the persona loses their mentions of each theme.
    static let dropPersona = [
        """
        UPDATE theme_personas SET mentions = mentions - (SELECT tp.mentions FROM theme_people tp
            WHERE tp.person_id = OLD.person_id AND tp.theme_id = theme_personas.theme_id)
        WHERE persona_id = OLD.persona_id AND theme_id IN (SELECT theme_id FROM theme_people WHERE person_id = OLD.person_id)
        """,
        "DELETE FROM theme_personas WHERE persona_id = OLD.persona_id AND mentions <= 0",
    ]

    /// The kept figures of every theme from the links as they stand, of one account or (nil) of all: the
    /// migration's fill, and a repair. With the triggers in place, `theme_people`'s own trigger fills theme companies,
    /// which are then cleared and counted anew. The account is a bound value.
    static func fill(owner: Int64?) -> [SQLQueryString] {
        func mine(_ table: String, _ joiner: String) -> SQLQueryString {
            owner.map { " \(unsafeRaw: joiner) \(unsafeRaw: table).owner_id = \(bind: $0)" } ?? ""
        }
        return ["DELETE FROM theme_people" + mine("theme_people", "WHERE"), "DELETE FROM theme_personas" + mine("theme_personas", "WHERE")]
            + countLinks(where: "1 = 1" + mine("ft", "AND"))
            + [
                "DELETE FROM theme_companies" + mine("theme_companies", "WHERE"),
                """
                INSERT INTO theme_companies (owner_id, theme_id, company_id, people)
                SELECT owner_id, theme_id, company_id, COUNT(*) FROM theme_people WHERE company_id IS NOT NULL
                """ + mine("theme_people", "AND") + " GROUP BY owner_id, theme_id, company_id",
                """
                UPDATE themes SET mention_count = (SELECT COUNT(*) FROM feedback_themes ft WHERE ft.theme_id = themes.id),
                    people_count = (SELECT COUNT(*) FROM theme_people tp WHERE tp.theme_id = themes.id)
                """ + mine("themes", "WHERE"),
            ]
    }

    /// The theme links (`feedback_themes ft`) that `scope` selects, counted into `theme_people` and `theme_personas`
    /// in one grouped statement each, added to what those tables hold: the fill's counts and the bulk path's.
    static func countLinks(where scope: SQLQueryString) -> [SQLQueryString] {
        let people = """
            INSERT INTO theme_people (owner_id, theme_id, person_id, company_id, mentions)
            SELECT ft.owner_id, ft.theme_id, ft.person_id, p.company_id, COUNT(*) FROM feedback_themes ft JOIN people p ON p.id = ft.person_id
            """
        let personas = """
            INSERT INTO theme_personas (owner_id, theme_id, persona_id, mentions)
            SELECT ft.owner_id, ft.theme_id, pp.persona_id, COUNT(*) FROM feedback_themes ft JOIN person_personas pp ON pp.person_id = ft.person_id
            """
        return [
            "\(unsafeRaw: people) WHERE " + scope + " GROUP BY ft.owner_id, ft.theme_id, ft.person_id, p.company_id"
                + " ON CONFLICT (theme_id, person_id) DO UPDATE SET mentions = theme_people.mentions + excluded.mentions",
            "\(unsafeRaw: personas) WHERE " + scope + " GROUP BY ft.owner_id, ft.theme_id, pp.persona_id"
                + " ON CONFLICT (theme_id, persona_id) DO UPDATE SET mentions = theme_personas.mentions + excluded.mentions",
        ]
    }

    /// True while the bulk path writes this account's links (``addingLinks(of:feedback:on:_:)``): the link insert
    /// trigger then leaves the figures to it. The row is the writing transaction's own (uncommitted on PostgreSQL,
    /// under the write lock on SQLite), so no other writer ever sees it.
    static let pending = "EXISTS (SELECT 1 FROM theme_figures_pending WHERE owner_id = NEW.owner_id)"

    /// Runs `write`, which inserts the theme links of the new feedback `ids` (all of `owner`; `mentions` counts the
    /// links written for each theme id), then counts them in grouped, a statement per table and chunk of ids, instead
    /// of three statements per link: the bulk path's 248,000 links at 10,000 people cost 6.5 s in the triggers. People
    /// new to a theme still go through `theme_people`'s own trigger. Must run inside the caller's transaction, and
    /// `write` must give every link its person and time (a link without them would be filled, and counted, by the
    /// SQLite fill trigger's update as well).
    static func addingLinks(of owner: AccountID, feedback ids: [Int64], mentions: [Int64: Int], on db: any SQLDatabase,
                            _ write: () async throws -> Void) async throws {
        try await db.raw("INSERT INTO theme_figures_pending (owner_id) VALUES (\(bind: owner.rawValue))").run()
        try await write()
        for chunk in ids.chunked(by: 5_000) {
            for statement in countLinks(where: "ft.feedback_id IN (\(binds: Array(chunk)))") { try await db.raw(statement).run() }
        }
        for (theme, count) in mentions {
            try await db.raw("UPDATE themes SET mention_count = mention_count + \(bind: Int64(count)) WHERE id = \(bind: theme)").run()
        }
        try await db.raw("DELETE FROM theme_figures_pending WHERE owner_id = \(bind: owner.rawValue)").run()
    }

    @Sendable
    static func create(_ db: any SQLDatabase, _ dialect: Dialect) async throws {
        let owner = "owner_id BIGINT NOT NULL REFERENCES accounts (id) ON DELETE CASCADE"
        let theme = "theme_id BIGINT NOT NULL REFERENCES themes (id) ON DELETE CASCADE"
        let tables = [
            "ALTER TABLE themes ADD COLUMN mention_count BIGINT NOT NULL DEFAULT 0",
            "ALTER TABLE themes ADD COLUMN people_count BIGINT NOT NULL DEFAULT 0",
            "CREATE TABLE theme_people (\(owner), \(theme), person_id BIGINT NOT NULL, company_id BIGINT, mentions BIGINT NOT NULL, PRIMARY KEY (theme_id, person_id))",
            "CREATE INDEX theme_people_person ON theme_people (person_id)",
            "CREATE TABLE theme_companies (\(owner), \(theme), company_id BIGINT NOT NULL, people BIGINT NOT NULL, PRIMARY KEY (theme_id, company_id))",
            "CREATE INDEX theme_companies_company ON theme_companies (company_id)",
            "CREATE TABLE theme_personas (\(owner), \(theme), persona_id BIGINT NOT NULL REFERENCES personas (id) ON DELETE CASCADE, mentions BIGINT NOT NULL, PRIMARY KEY (theme_id, persona_id))",
            "CREATE INDEX theme_personas_persona ON theme_personas (persona_id)",
            "CREATE TABLE theme_figures_pending (owner_id BIGINT PRIMARY KEY REFERENCES accounts (id) ON DELETE CASCADE)",
        ]
        let triggers: [String]
        switch dialect {
        case .sqlite:
            func trigger(_ name: String, _ when: String, _ body: [String]) -> String {
                "CREATE TRIGGER \(name) \(when) BEGIN\n" + body.map { $0 + ";\n" }.joined() + "END"
            }
            triggers = [
                // The store writes a link with its feedback's time and person; the fill is for any other writer, and
                // would otherwise count every link out and in again.
                "DROP TRIGGER feedback_themes_fill",
                """
                CREATE TRIGGER feedback_themes_fill AFTER INSERT ON feedback_themes
                WHEN NEW.occurred_at IS NULL OR NEW.person_id IS NULL BEGIN
                    UPDATE feedback_themes SET occurred_at = (SELECT f.occurred_at FROM feedback f WHERE f.id = NEW.feedback_id),
                        person_id = (SELECT f.person_id FROM feedback f WHERE f.id = NEW.feedback_id)
                    WHERE feedback_id = NEW.feedback_id AND theme_id = NEW.theme_id;
                END
                """,
                trigger("theme_figures_link_insert", "AFTER INSERT ON feedback_themes WHEN NOT \(pending)", add("NEW")),
                trigger("theme_figures_link_delete", "AFTER DELETE ON feedback_themes", remove("OLD")),
                trigger("theme_figures_link_update", """
                    AFTER UPDATE OF person_id, theme_id ON feedback_themes
                    WHEN OLD.person_id IS NOT NEW.person_id OR OLD.theme_id <> NEW.theme_id
                    """, remove("OLD") + add("NEW")),
                trigger("theme_figures_join_theme", "AFTER INSERT ON theme_people", joinTheme),
                trigger("theme_figures_leave_theme", "AFTER DELETE ON theme_people", leaveTheme),
                trigger("theme_figures_company", "AFTER UPDATE OF company_id ON people WHEN OLD.company_id IS NOT NEW.company_id",
                        leaveCompany + joinCompany),
                trigger("theme_figures_persona_insert", "AFTER INSERT ON person_personas", takePersona),
                trigger("theme_figures_persona_delete", "AFTER DELETE ON person_personas", dropPersona),
                trigger("theme_figures_persona_update", """
                    AFTER UPDATE OF person_id, persona_id ON person_personas
                    WHEN OLD.person_id <> NEW.person_id OR OLD.persona_id <> NEW.persona_id
                    """, dropPersona + takePersona),
            ]
        case .postgres:
            // Each function first takes the account's circle lock (``Dialect/lockCircle(of:on:)``, held to the end of
            // the transaction): two writers of one account then keep the figures one after the other, each statement
            // reading what the other committed, so neither misses the other's new persona, company or mention, and no
            // two lock figure rows in opposite orders. Writers of other accounts never wait.
            func function(_ name: String, _ body: String) -> String {
                """
                CREATE FUNCTION \(name)() RETURNS trigger LANGUAGE plpgsql AS $$
                BEGIN
                PERFORM pg_advisory_xact_lock(\(Dialect.circleLockBase) + COALESCE(NEW.owner_id, OLD.owner_id));
                \(body)
                RETURN NULL;
                END $$
                """
            }
            func run(_ body: [String]) -> String { body.map { $0 + ";\n" }.joined() }
            triggers = [
                function("rapport_theme_figures_link", """
                    IF TG_OP = 'UPDATE' AND OLD.person_id IS NOT DISTINCT FROM NEW.person_id AND OLD.theme_id = NEW.theme_id THEN
                        RETURN NULL;
                    END IF;
                    IF TG_OP = 'INSERT' AND \(pending) THEN
                        RETURN NULL;
                    END IF;
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                    \(run(remove("OLD")))
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    \(run(add("NEW")))
                    END IF;
                    """),
                """
                CREATE TRIGGER theme_figures_link AFTER INSERT OR DELETE OR UPDATE OF person_id, theme_id ON feedback_themes
                FOR EACH ROW EXECUTE FUNCTION rapport_theme_figures_link()
                """,
                function("rapport_theme_figures_people", """
                    IF TG_OP = 'INSERT' THEN
                    \(run(joinTheme))
                    ELSE
                    \(run(leaveTheme))
                    END IF;
                    """),
                """
                CREATE TRIGGER theme_figures_people AFTER INSERT OR DELETE ON theme_people
                FOR EACH ROW EXECUTE FUNCTION rapport_theme_figures_people()
                """,
                function("rapport_theme_figures_company", run(leaveCompany + joinCompany)),
                """
                CREATE TRIGGER theme_figures_company AFTER UPDATE OF company_id ON people
                FOR EACH ROW WHEN (OLD.company_id IS DISTINCT FROM NEW.company_id) EXECUTE FUNCTION rapport_theme_figures_company()
                """,
                function("rapport_theme_figures_persona", """
                    IF TG_OP = 'UPDATE' AND OLD.person_id = NEW.person_id AND OLD.persona_id = NEW.persona_id THEN
                        RETURN NULL;
                    END IF;
                    IF TG_OP IN ('DELETE', 'UPDATE') THEN
                    \(run(dropPersona))
                    END IF;
                    IF TG_OP IN ('INSERT', 'UPDATE') THEN
                    \(run(takePersona))
                    END IF;
                    """),
                """
                CREATE TRIGGER theme_figures_persona AFTER INSERT OR DELETE OR UPDATE OF person_id, persona_id ON person_personas
                FOR EACH ROW EXECUTE FUNCTION rapport_theme_figures_persona()
                """,
            ]
        }
        // The tables and their indexes, then the figures as the links stand, then the triggers that keep them.
        for statement in tables { try await db.execute(sql: SQLRaw(statement)) { _ in } }
        for statement in fill(owner: nil) { try await db.raw(statement).run() }
        for statement in triggers { try await db.execute(sql: SQLRaw(statement)) { _ in } }
    }
}
