"""Crash safety, proven with SIGKILL: an import, the demo and the server are killed mid-write, and the database
is reopened: PRAGMA integrity_check is ok, the full-text index agrees with its tables, and each write is all there
or not at all (issue 16)."""
import json
import os
import re
import signal
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.request

from conftest import BINARY


def run(*args, env=None):
    return subprocess.run([BINARY, *args], capture_output=True, text=True, env=env, timeout=300)


def people_count(db):
    """How many people the CLI sees (it must open the database) and the table holds."""
    out = run("people", "list", "--limit", "1", "--json", "--db", db)
    assert out.returncode == 0, out.stderr
    connection = sqlite3.connect(db)
    try:
        return connection.execute("SELECT count(*) FROM people").fetchone()[0]
    finally:
        connection.close()


def check_database(db):
    """integrity_check; FTS5's own integrity-check of the search index against its content; and every person
    has exactly one search document (and no document is left without its person)."""
    connection = sqlite3.connect(db)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        for table in ("search_people", "search_conversations", "search_feedback"):
            connection.execute(f"INSERT INTO {table}({table}) VALUES('integrity-check')")
        people = sorted(row[0] for row in connection.execute("SELECT id FROM people"))
        indexed = sorted(row[0] for row in connection.execute("SELECT rowid FROM search_people"))
        assert indexed == people, "the search index disagrees with the people table"
        return len(people)
    finally:
        connection.close()


def write_csv(path, rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("Name,E-mail Address,Company,Job Title,Notes\n")
        for i in range(rows):
            f.write(f"Person {i},person{i}@example.com,Company {i % 300},Ops Lead,\"Notes about exports, line {i}\"\n")


def kill_midway(args, wait_for, timeout=120):
    """Starts rapport with `args`, SIGKILLs it once `wait_for()` is true (or after `timeout`), returns its exit."""
    process = subprocess.Popen([BINARY, *args], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.time() + timeout
    while time.time() < deadline and process.poll() is None and not wait_for():
        time.sleep(0.05)
    finished = process.poll() is not None
    if not finished:
        process.send_signal(signal.SIGKILL)
    process.wait()
    return finished


def test_killed_import_leaves_everything_or_nothing():
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "circle.sqlite")
        assert run("people", "add", "Dana Kim", "--email", "dana@example.com", "--db", db).returncode == 0
        csv = os.path.join(folder, "big.csv")
        write_csv(csv, 20000)
        started = time.time()
        # Killed a few seconds in: well inside a 20,000-row import, which takes about a minute here.
        finished = kill_midway(["import", csv, "--db", db], lambda: time.time() - started > 4)
        count = check_database(db)
        assert count in (1, 20001)
        if not finished:
            assert count == 1, "a killed import must leave nothing"
        assert people_count(db) == count
        # The same import then runs whole.
        again = run("import", csv, "--db", db)
        assert again.returncode == 0, again.stderr
        assert check_database(db) == 20001
        found = run("people", "search", "Person 19999", "--json", "--db", db)
        assert found.returncode == 0 and "person19999@example.com" in found.stdout


def test_killed_demo_leaves_nothing_and_can_run_again():
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "demo.sqlite")
        for delay in (0.3, 0.8, 1.5):
            if os.path.exists(db) and people_count(db) == 60:
                break
            started = time.time()
            kill_midway(["demo", "--db", db], lambda: time.time() - started > delay)
            if os.path.exists(db):
                assert check_database(db) in (0, 60)
        if not os.path.exists(db) or people_count(db) == 0:
            done = run("demo", "--db", db)
            assert done.returncode == 0, done.stderr
        assert check_database(db) == 60


def test_server_killed_mid_write():
    with tempfile.TemporaryDirectory() as folder:
        db = os.path.join(folder, "circle.sqlite")
        assert run("people", "list", "--db", db).returncode == 0
        server = subprocess.Popen([BINARY, "serve", "--db", db, "--port", "0"], stdout=subprocess.PIPE,
                                  stderr=subprocess.STDOUT, text=True)
        url = None
        deadline = time.time() + 60
        while time.time() < deadline and url is None:
            line = server.stdout.readline()
            match = re.search(r"running at (http://127\.0\.0\.1:\d+)/", line or "")
            if match:
                url = match.group(1)
        assert url, "the server did not start"
        created = []

        def add(i):
            body = json.dumps({"name": f"Writer {i}", "emails": [f"writer{i}@example.com"], "notes": "x" * 2000}).encode()
            request = urllib.request.Request(url + "/api/v1/people", data=body, method="POST",
                                             headers={"Content-Type": "application/json"})
            with urllib.request.urlopen(request, timeout=10) as answer:
                created.append(json.loads(answer.read())["id"])

        for i in range(40):
            add(i)
        # A write in flight when the process dies.
        def keep_writing():
            try:
                for i in range(40, 400):
                    add(i)
            except OSError:
                pass  # the server is gone: expected

        writer = threading.Thread(target=keep_writing, daemon=True)
        writer.start()
        time.sleep(1.0)
        server.send_signal(signal.SIGKILL)
        server.wait()
        writer.join(timeout=15)
        count = check_database(db)
        # Every write the server answered is there; at most the one in flight is missing.
        assert count >= len(created) >= 40
        assert people_count(db) == count
