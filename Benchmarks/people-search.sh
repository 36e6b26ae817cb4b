#!/usr/bin/env bash
# Times `rapport people search` as a user runs it (whole command, release build) on the demo circle.
# Usage: Benchmarks/people-search.sh [QUERY ...]   (default queries: a name, a company, a note word)
# Prints hyperfine's mean and spread for each query. Needs hyperfine (apt-get install -y hyperfine).
set -euo pipefail
cd "$(dirname "$0")/.."
command -v hyperfine >/dev/null || { apt-get install -y -qq hyperfine >/dev/null; }
swift build -c release --product rapport >/dev/null
BIN=$(swift build -c release --show-bin-path)/rapport
DIR=$(mktemp -d)
trap 'rm -rf "$DIR"' EXIT
DB="$DIR/demo.sqlite"
"$BIN" demo --db "$DB" >/dev/null
queries=("$@")
[ ${#queries[@]} -eq 0 ] && queries=("dana" "nordwind" "exports monday")
for q in "${queries[@]}"; do
    hyperfine --warmup 3 --runs 30 --style basic -N "$BIN people search '$q' --db $DB" 2>/dev/null | grep -E "Time|Range|people search"
done
