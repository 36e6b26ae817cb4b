#!/usr/bin/env bash
# Times `rapport due`, `rapport timeline`, `rapport conversations list` and `rapport report` as a user runs them, on generated data:
# PEOPLE people (default 10000) and CONVERSATIONS conversations (default 100000) with follow-ups, written straight
# into a database that `rapport` created (so the schema is the real one).
# Usage: Benchmarks/due.sh [PEOPLE] [CONVERSATIONS]     BUILD=debug to skip the (slow) release build.
# Prints hyperfine's mean and spread for each command. Needs hyperfine (apt-get install -y hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-10000}
CONVERSATIONS=${2:-100000}
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
. Benchmarks/setup.sh
DB="$DIR/bench.sqlite"
"$BIN" settings set timezone UTC --db "$DB" >/dev/null
python3 - "$DB" "$PEOPLE" "$CONVERSATIONS" <<'PY'
import random, sqlite3, sys, datetime
db, people, conversations = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
random.seed(7)
c = sqlite3.connect(db)
owner = c.execute("SELECT id FROM accounts WHERE name = 'local'").fetchone()[0]
now = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.timezone.utc)
stamp = lambda d: d.strftime("%Y-%m-%dT%H:%M:%SZ")
stages = ["customer"] * 6 + ["prospect"] * 2 + ["partner", "former", "other"]
# name_key is the name's matching key (TextIdentity.key), which for ASCII is the name in lower case.
rows = [(owner, f"Person {i}", f"person {i}", "[]", random.choice(stages), random.randint(1, 5), 0, 0, "", "[]", "{}", 0,
         stamp(now - datetime.timedelta(days=400)), stamp(now)) for i in range(people)]
c.executemany("INSERT INTO people (owner_id, name, name_key, previous_companies, stage, warmth, off_the_record, advocate, notes, links, fields, archived, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)", rows)
ids = [r[0] for r in c.execute("SELECT id FROM people WHERE owner_id = ?", (owner,))]
kinds = ["call", "video", "email", "visit", "chat", "in-person", "event"]
for n in range(conversations):
    at = now - datetime.timedelta(minutes=random.randint(60, 365 * 24 * 60))
    kind, direction = random.choice(kinds), random.choice(["inbound", "outbound"])
    cur = c.execute("INSERT INTO conversations (owner_id, kind, occurred_at, direction, notes, created_at, updated_at) VALUES (?,?,?,?,?,?,?)",
                    (owner, kind, stamp(at), direction, "notes", stamp(at), stamp(at)))
    c.execute("INSERT INTO conversation_people (owner_id, conversation_id, person_id, position, occurred_at, direction, kind) VALUES (?,?,?,0,?,?,?)",
              (owner, cur.lastrowid, random.choice(ids), stamp(at), direction, kind))
    if n % 20 == 0:
        due = (now + datetime.timedelta(days=random.randint(-30, 30))).strftime("%Y-%m-%d")
        c.execute("INSERT INTO followups (owner_id, person_id, conversation_id, text, due_day, snoozes, created_at, updated_at) VALUES (?,?,?,?,?,0,?,?)",
                  (owner, random.choice(ids), cur.lastrowid, "Follow up", due, stamp(at), stamp(at)))
c.commit()
print(f"generated {people} people, {conversations} conversations")
PY
for cmd in "due" "due --json" "timeline 1" "conversations list --limit 200" "report --week" "report --month --format html"; do
    hyperfine --warmup 2 --runs 10 --style basic -N "$BIN $cmd --db $DB" 2>/dev/null | grep -E "Time|Range|Benchmark"
done
