#!/usr/bin/env python3
"""Fills a database that `rapport` created (so the schema is the real one) with a deterministic circle for benchmarks.

Usage: Benchmarks/generate.py DB [--people N] [--companies N] [--conversations N] [--feedback N] [--themes N] [--seed S]
                              [--index]

Defaults: 10,000 people over 800 companies with 5 personas, 100,000 conversations and 200,000 pieces of feedback over 40
themes, dated over the year before 2026-11-23. Keys are written as Rapport writes them for ASCII text (the matching key
of an ASCII name is the name in lower case), so look-ups and grouping meet real keys. Rows go in with executemany,
straight to SQLite: this measures reading, not Rapport's write path. Each person has a work email and a phone.
With --index, the database is marked as keyed with no text identity, so the next `rapport` command makes every key
and the full-text index with Rapport's own code (TextKeys); without it, search finds nothing generated.
"""
import argparse
import datetime
import random
import sqlite3

FIRST = ["Dana", "Lee", "Ana", "Kenji", "Sofia", "Lena", "Omar", "Priya", "Jonas", "Mia", "Tariq", "Elif", "Noah", "Chloe",
         "Mateo", "Yuki", "Aisha", "Lars", "Ines", "Ravi"]
LAST = ["Kim", "Park", "Tanaka", "Haddad", "Fischer", "Martin", "Sato", "Brown", "Novak", "Costa", "Okafor", "Berg",
        "Silva", "Meyer", "Rossi", "Nguyen", "Khan", "Dubois", "Weber", "Lopez"]
WORDS = ["exports", "take", "an", "hour", "every", "Monday", "the", "team", "needs", "a", "shared", "view", "of", "orders",
         "forklift", "scheduling", "is", "manual", "we", "copy", "data", "into", "spreadsheets", "reports", "are", "slow",
         "billing", "confuses", "new", "customers", "onboarding", "took", "three", "weeks", "API", "limits", "hurt"]
KINDS = ["pain", "need", "request", "praise", "bug", "usage", "workaround", "churn-risk"]
CONVERSATION_KINDS = ["call", "video", "email", "visit", "chat", "in-person", "event"]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("db")
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--companies", type=int, default=800)
    parser.add_argument("--conversations", type=int, default=100_000)
    parser.add_argument("--feedback", type=int, default=200_000)
    parser.add_argument("--themes", type=int, default=40)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--index", action="store_true")
    a = parser.parse_args()
    rng = random.Random(a.seed)
    c = sqlite3.connect(a.db)
    owner = c.execute("SELECT id FROM accounts WHERE name = 'local'").fetchone()[0]
    now = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.timezone.utc)
    stamp = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
    created = stamp(now - datetime.timedelta(days=400))
    when = lambda: now - datetime.timedelta(minutes=rng.randint(60, 365 * 24 * 60))

    c.executemany("INSERT INTO companies (owner_id, name, name_key, created_at) VALUES (?,?,?,?)",
                  [(owner, f"Company {i}", f"company {i}", created) for i in range(a.companies)])
    companies = [r[0] for r in c.execute("SELECT id FROM companies WHERE owner_id = ?", (owner,))]
    personas = ["Ops Lead", "Finance Admin", "Dispatcher", "CTO", "Analyst"]
    c.executemany("INSERT INTO personas (owner_id, name, name_key, description, goals, pains, created_at, updated_at) VALUES (?,?,?,'','','',?,?)",
                  [(owner, p, p.lower(), created, created) for p in personas])
    persona_ids = [r[0] for r in c.execute("SELECT id FROM personas WHERE owner_id = ?", (owner,))]
    stages = ["customer"] * 6 + ["prospect"] * 2 + ["partner", "former", "other"]
    people = []
    for i in range(a.people):
        name = f"{rng.choice(FIRST)} {rng.choice(LAST)} {i}"
        notes = " ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 12)))
        people.append((owner, name, name.lower(), rng.choice(companies), "[]", rng.choice(stages), rng.randint(1, 5), 0, 0,
                       notes, "[]", "{}", 0, created, stamp(now)))
    c.executemany("INSERT INTO people (owner_id, name, name_key, company_id, previous_companies, stage, warmth, off_the_record, advocate, notes, links, fields, archived, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", people)
    ids = [r[0] for r in c.execute("SELECT id FROM people WHERE owner_id = ?", (owner,))]
    emails, phones = [], []
    for n, (pid, name) in enumerate(c.execute("SELECT id, name FROM people WHERE owner_id = ?", (owner,)).fetchall()):
        email = name.lower().replace(" ", ".") + "@example.com"
        emails.append((owner, pid, email, email, "work", 0))
        digits = f"1555{n:07d}"
        phones.append((owner, pid, f"+1 555 {n // 10000:03d} {n % 10000:04d}", digits, "work", 0))
    c.executemany("INSERT INTO person_emails (owner_id, person_id, value, value_key, label, position) VALUES (?,?,?,?,?,?)", emails)
    c.executemany("INSERT INTO person_phones (owner_id, person_id, value, digits, label, position) VALUES (?,?,?,?,?,?)", phones)
    c.executemany("INSERT INTO person_personas (owner_id, person_id, persona_id, position) VALUES (?,?,?,0)",
                  [(owner, p, rng.choice(persona_ids)) for p in ids if rng.random() < 0.8])

    conversation_rows, links = [], []
    for n in range(a.conversations):
        at = when()
        kind, direction = rng.choice(CONVERSATION_KINDS), rng.choice(["inbound", "outbound"])
        notes = " ".join(rng.choice(WORDS) for _ in range(rng.randint(20, 80)))
        conversation_rows.append((owner, kind, stamp(at), direction, notes, stamp(at), stamp(at)))
    c.executemany("INSERT INTO conversations (owner_id, kind, occurred_at, direction, notes, created_at, updated_at) VALUES (?,?,?,?,?,?,?)", conversation_rows)
    for cid, kind, at, direction in c.execute("SELECT id, kind, occurred_at, direction FROM conversations WHERE owner_id = ?", (owner,)).fetchall():
        links.append((owner, cid, rng.choice(ids), at, direction, kind))
    c.executemany("INSERT INTO conversation_people (owner_id, conversation_id, person_id, position, occurred_at, direction, kind) VALUES (?,?,?,0,?,?,?)", links)

    themes = [f"theme {i}" for i in range(a.themes)]
    c.executemany("INSERT INTO themes (owner_id, name, name_key, created_at) VALUES (?,?,?,?)", [(owner, t, t, created) for t in themes])
    theme_ids = [r[0] for r in c.execute("SELECT id FROM themes WHERE owner_id = ?", (owner,))]
    feedback = []
    for n in range(a.feedback):
        at = stamp(when())
        text = " ".join(rng.choice(WORDS) for _ in range(rng.randint(6, 20)))
        feedback.append((owner, rng.choice(ids), rng.choice(KINDS), text, int(rng.random() < 0.2), rng.choice([None, 1, 2, 3, 4, 5]), at, at, at))
    c.executemany("INSERT INTO feedback (owner_id, person_id, kind, text, quote, severity, secondhand, occurred_at, created_at, updated_at) VALUES (?,?,?,?,?,?,0,?,?,?)", feedback)
    tags = []
    for (fid,) in c.execute("SELECT id FROM feedback WHERE owner_id = ?", (owner,)).fetchall():
        for position, theme in enumerate(rng.sample(theme_ids, rng.choice([1, 1, 1, 2]))):
            tags.append((owner, fid, theme, position))
    c.executemany("INSERT INTO feedback_themes (owner_id, feedback_id, theme_id, position) VALUES (?,?,?,?)", tags)
    if a.index:
        c.execute("DELETE FROM rapport_meta WHERE key = 'text-identity'")
    c.commit()
    print(f"{a.people} people, {a.companies} companies, {a.conversations} conversations, {a.feedback} feedback over {a.themes} themes")


if __name__ == "__main__":
    main()
