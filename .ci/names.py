#!/usr/bin/env python3
"""Every name of Tests/Fixtures/names.json, added through the CLI on one database, is found by its full name (NFC
and NFD), a part, upper and lower case and without accents through `people show`, `people search`,
`rapport search`, `/people?q=` and `/api/v1/people?q=` of `rapport serve` on the same database.

usage: names.py RAPPORT_BINARY DATABASE_URL   (an empty PostgreSQL database, or a path to a new SQLite file)
"""
import json
import os
import re
import socket
import subprocess
import sys
import time
import unicodedata
import urllib.parse
import urllib.request

binary, database = sys.argv[1], sys.argv[2]
root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
names = json.load(open(os.path.join(root, "Tests", "Fixtures", "names.json"), encoding="utf-8"))
where = ["--database-url", database] if database.startswith("postgres") else ["--db", database]
failures = []


def rapport(*args):
    done = subprocess.run([binary, *args, *where], capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def queries(row):
    name = row["name"]
    out = [unicodedata.normalize("NFC", name), unicodedata.normalize("NFD", name), row["part"], name.upper(), name.lower()]
    if row["plain"]:
        out += [row["plain"], row["plain"].upper()]
    return list(dict.fromkeys(out))


ids = {}
for row in names:
    typed = unicodedata.normalize(row["form"], row["name"])
    code, out, err = rapport("people", "add", typed, "--json")
    if code != 0:
        sys.exit("people add %s failed: %s" % (row["name"], err))
    person = json.loads(out)
    if person["name"] != unicodedata.normalize("NFC", row["name"]):
        failures.append("%s stored as %r, not NFC" % (row["name"], person["name"]))
    ids[row["name"]] = person["id"]

for row in names:
    want = ids[row["name"]]
    for q in queries(row):
        code, out, err = rapport("people", "show", q, "--json")
        if code != 0 or json.loads(out)["id"] != want:
            failures.append("people show %r: %s" % (q, err.strip() or out[:80]))
        code, out, err = rapport("people", "search", q, "--json")
        hits = [h for h in (json.loads(out) if code == 0 else []) if h["person"]["id"] == want]
        if not hits or "name" not in hits[0]["matchedIn"]:
            failures.append("people search %r: %s" % (q, err.strip() or "not found in name"))
        code, out, err = rapport("search", q, "--json")
        if code != 0 or want not in [h["person"]["id"] for h in json.loads(out)["people"]]:
            failures.append("search %r: %s" % (q, err.strip() or "not found"))

with socket.socket() as s:
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
server = subprocess.Popen([binary, "serve", "--port", str(port), *where], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
try:
    base = "http://127.0.0.1:%d" % port
    for _ in range(300):
        try:
            urllib.request.urlopen(base + "/api/v1/people?limit=1").read()
            break
        except OSError:
            time.sleep(0.1)
    for row in names:
        want = ids[row["name"]]
        for q in queries(row):
            quoted = urllib.parse.quote(q)
            people = json.loads(urllib.request.urlopen(base + "/api/v1/people?q=" + quoted).read())["people"]
            if want not in [p["id"] for p in people]:
                failures.append("/api/v1/people?q=%r" % q)
            page = urllib.request.urlopen(base + "/people?q=" + quoted).read().decode()
            if 'href="/people/%d"' % want not in page:
                failures.append("/people?q=%r" % q)
finally:
    server.terminate()
    server.wait(timeout=10)

if failures:
    sys.exit("%d failures:\n  " % len(failures) + "\n  ".join(failures))
checked = sum(len(queries(row)) for row in names)
print("names: %d names, %d queries, each through people show, people search, search, /people and /api/v1/people: ok"
      % (len(names), checked))
