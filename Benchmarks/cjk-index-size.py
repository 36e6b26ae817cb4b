#!/usr/bin/env python3
# usage: Benchmarks/cjk-index-size.py .build/release/rapport   (makes /tmp/index-size.sqlite through the API)
"""Index size of the CJK pairs design against whole-run tokens (the old unicode61 index), on the same people."""
import json, os, random, re, socket, sqlite3, subprocess, sys, time, urllib.request
binary = sys.argv[1]
db = "/tmp/index-size.sqlite"
for f in (db, db + "-wal", db + "-shm"):
    if os.path.exists(f): os.remove(f)
with socket.socket() as s:
    s.bind(("127.0.0.1", 0)); port = s.getsockname()[1]
server = subprocess.Popen([binary, "serve", "--port", str(port), "--db", db], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
base = "http://127.0.0.1:%d" % port
for _ in range(200):
    try: urllib.request.urlopen(base + "/api/v1/people?limit=1"); break
    except OSError: time.sleep(0.1)
random.seed(7)
surnames = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
given = "小明美玲伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛超"
words = "物流仓库出口报表每周一手工导出需要一个小时客户希望自动化安排"
def cjk(n): return "".join(random.choice(words) for _ in range(n))
latin_first = ["Dana", "Lee", "Ana", "Jonas", "Maria", "Pieter", "Sofia", "Omar"]
latin_last = ["Kim", "Park", "Silva", "Berg", "Rossi", "Novak", "Haddad", "Meyer"]
lorem = "exports take an hour every monday and the team wants them scheduled before the weekly review".split()
for i in range(1500):
    if i % 2 == 0:
        body = {"name": random.choice(surnames) + random.choice(given) + random.choice(given), "company": cjk(6) + "有限公司", "notes": cjk(60)}
    else:
        body = {"name": random.choice(latin_first) + " " + random.choice(latin_last), "company": random.choice(latin_last) + " Logistics",
                "notes": " ".join(random.choice(lorem) for _ in range(14))}
    body["allowDuplicate"] = True
    urllib.request.urlopen(urllib.request.Request(base + "/api/v1/people", data=json.dumps(body).encode(), method="POST", headers={"Content-Type": "application/json"})).read()
server.terminate(); server.wait()
c = sqlite3.connect(db)
def size(prefix):
    return c.execute("select sum(pgsize) from dbstat where name like ?", (prefix + "%",)).fetchone()[0]
new = size("search_people")
rows = c.execute("select p.name, coalesce(co.name, ''), p.notes from people p left join companies co on co.id = p.company_id").fetchall()
c.execute("create virtual table old_index using fts5(heading, extra, body, tokenize = 'unicode61 remove_diacritics 2')")
c.executemany("insert into old_index values (?, ?, ?)", [(n.lower(), co.lower(), no.lower()) for n, co, no in rows])
c.commit()
old = size("old_index")
cjk_new = c.execute("select count(*) from search_people").fetchone()[0]
print("people: %d (half CJK: 3-character names, 10-character companies, 60-character notes; half Latin)" % len(rows))
print("index with CJK pairs: %.0f KiB; with whole runs as tokens (unicode61 alone): %.0f KiB; ratio %.2f" % (new / 1024, old / 1024, new / old))
