#!/usr/bin/env bash
# Times `rapport import` of a generated contacts CSV (an Outlook-style export: names in many scripts, emails, phones,
# companies, titles, cities, notes with commas), and an export, backup and restore of the circle it makes, as a user
# runs them: wall time, rows per second and peak memory (GNU time's maximum resident set size).
# Usage: Benchmarks/import.sh [ROWS]     (default 100000)   BUILD=debug to skip the (slow) release build.
# Measured 2026-11-30 on 2 cores, release: 100,000 rows in 216 s (463 rows/s), 92 MB peak (343 MB with --json, which
# holds the whole report of every row); at 5,000 rows the JSON export takes 0.5 s and 99 MB, restore 6.3 s.
set -euo pipefail
cd "$(dirname "$0")/.."
ROWS=${1:-100000}
[ -x /usr/bin/time ] || apt-get install -y -qq time >/dev/null
. Benchmarks/setup.sh
python3 - "$DIR/contacts.csv" "$ROWS" <<'PY'
import csv, random, sys
random.seed(7)
first = ["Ana", "Björn", "Chloé", "Dmitri", "Eun-ji", "Fatima", "Giulia", "Hiro", "Inès", "Jonas", "Kofi", "Léa", "Mateo",
         "Nadia", "Olek", "Priya", "Quentin", "Rosa", "Sven", "Tomás", "Ulla", "Vikram", "Wen", "Ximena", "Yusuf", "Zoë",
         "Олена", "小明", "さくら", "민준", "محمد", "अनन्या"]
last = ["Silva", "Ekström", "Dubois", "Ivanov", "Kim", "Haddad", "Rossi", "Tanaka", "García", "Müller", "Mensah", "Martin",
        "Шевченко", "王", "佐藤", "박", "حداد", "शर्मा"]
companies = ["Fjordlog", "Acme Freight", "Brugge Logistics", "Nordwind", "Dupont, Fils & Cie", "Kappa Labs", "Sakura Systems"]
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["First Name", "Last Name", "E-mail Address", "Mobile Phone", "Company", "Job Title", "Business City", "Notes"])
    for i in range(int(sys.argv[2])):
        w.writerow([random.choice(first), random.choice(last), f"contact{i}@example.com", f"+1 212 {555 + i // 10000:03d} {i % 10000:04d}",
                    random.choice(companies), random.choice(["Head of Ops", "CFO", "Analyst", "Buyer"]),
                    random.choice(["Oslo", "Berlin", "Paris", "Tokyo"]), "Met at the fair, likes exports" if i % 3 == 0 else ""])
PY
measure() {  # LABEL COMMAND...
    local label=$1; shift
    /usr/bin/time -f "%e %M" -o "$DIR/time" "$@" >/dev/null 2>&1
    read -r seconds kb < "$DIR/time"
    python3 -c "import sys; s,kb,rows,label=float(sys.argv[1]),int(sys.argv[2]),int(sys.argv[3]),sys.argv[4]; print(f'{label:<28} {s:8.1f} s  {rows/s:8.0f} rows/s  {kb/1024:6.0f} MB peak')" "$seconds" "$kb" "$ROWS" "$label"
}
measure "import --dry-run" "$BIN" import "$DIR/contacts.csv" --dry-run --db "$DIR/dry.sqlite"
measure "import" "$BIN" import "$DIR/contacts.csv" --db "$DIR/circle.sqlite"
measure "export --format json" "$BIN" export --format json --out "$DIR/all.json" --db "$DIR/circle.sqlite"
measure "export --format vcard" "$BIN" export --format vcard --out "$DIR/all.vcf" --db "$DIR/circle.sqlite"
measure "backup" "$BIN" backup "$DIR/backup.sqlite" --db "$DIR/circle.sqlite"
measure "restore (a new database)" "$BIN" restore "$DIR/backup.sqlite" --db "$DIR/restored.sqlite"
