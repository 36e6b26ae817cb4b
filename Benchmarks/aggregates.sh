#!/usr/bin/env bash
# Times the aggregate commands a PM runs every day, whole, on a generated circle (`rapport demo generate`):
# `themes list`, `feedback list --theme`, `report --month`, `due`, `plan` and `today`, with peak memory.
# Usage: Benchmarks/aggregates.sh [PEOPLE] [CONVERSATIONS] [FEEDBACK]   (defaults 10000 100000 200000)
#        BUILD=debug to skip the (slow) release build; RUNS=N hyperfine runs (default 10).
# Prints hyperfine's mean and spread, then each command's peak resident memory. Needs hyperfine (installed if missing).
set -euo pipefail
cd "$(dirname "$0")/.."
PEOPLE=${1:-10000}
CONVERSATIONS=${2:-100000}
FEEDBACK=${3:-200000}
RUNS=${RUNS:-10}
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
. Benchmarks/setup.sh
DB="$DIR/bench.sqlite"
"$BIN" settings set timezone UTC --db "$DB" >/dev/null
"$BIN" demo generate --people "$PEOPLE" --conversations "$CONVERSATIONS" --feedback "$FEEDBACK" --db "$DB"
commands=("themes list" "feedback list --theme 'Slow exports'" "report --month --format html" "due" "plan" "today")
for c in "${commands[@]}"; do
    hyperfine --warmup 1 --runs "$RUNS" --style basic -N "$BIN $c --db $DB" 2>/dev/null | grep -E "Time|Range" | sed "s|^|$c: |"
done
for c in "${commands[@]}"; do
    eval "/usr/bin/time -f '%M' \"$BIN\" $c --db \"$DB\"" 2>"$DIR/mem" >/dev/null
    echo "$c: peak $(( $(tail -1 "$DIR/mem") / 1024 )) MB"
done
