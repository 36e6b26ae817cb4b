#!/usr/bin/env bash
# Runs the README's quick start (its first ```sh block) as written, on a fresh data folder:
# `swift run rapport serve` must answer its pages and API on 127.0.0.1:8080; `swift test` is the step before this
# one in .ci/run, so it is checked to be the command that step ran, not run twice.
set -euo pipefail
cd "$(dirname "$0")/.."
block=$(awk '/^```sh$/{n++; if (n==1) {inblock=1; next}} /^```$/{if (inblock) exit} inblock' README.md)
[ -n "$block" ] || { echo "quick start: no \`\`\`sh block in README.md" >&2; exit 1; }
export XDG_DATA_HOME=$(mktemp -d)
trap 'rm -rf "$XDG_DATA_HOME"; [ -n "${server:-}" ] && kill "$server" 2>/dev/null || true' EXIT
while IFS= read -r line; do
    command=${line%%#*}
    command=$(echo "$command" | sed 's/[[:space:]]*$//')
    [ -z "$command" ] && continue
    echo "quick start: $command"
    case "$command" in
        "swift test")
            grep -q 'step "swift test (the README' .ci/run || { echo "quick start: .ci/run no longer runs swift test" >&2; exit 1; } ;;
        "swift run rapport serve")
            log=$(mktemp)
            $command >"$log" 2>&1 &
            server=$!
            for _ in $(seq 1 600); do
                grep -q "running at http://127.0.0.1:8080/" "$log" && break
                kill -0 "$server" 2>/dev/null || { cat "$log"; echo "quick start: serve stopped" >&2; exit 1; }
                sleep 1
            done
            grep -q "running at http://127.0.0.1:8080/" "$log" || { cat "$log"; echo "quick start: serve did not start" >&2; exit 1; }
            curl -fsS http://127.0.0.1:8080/ | grep -q "<title>" || { echo "quick start: / did not answer a page" >&2; exit 1; }
            curl -fsS http://127.0.0.1:8080/api/v1/people | grep -q '"people"' || { echo "quick start: the API did not answer" >&2; exit 1; }
            [ -f "$XDG_DATA_HOME/rapport/rapport.sqlite" ] || { echo "quick start: no database where the README says" >&2; exit 1; }
            kill "$server"; wait "$server" 2>/dev/null || true; server= ;;
        *)
            eval "$command" ;;
    esac
done <<< "$block"
echo "quick start: ok"
