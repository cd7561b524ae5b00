"""sqlite3 anchor: the sqlite3 command-line tool inserting response rows
into the product's own responses table (brandlift migrate up), with the
product's pragmas (WAL, synchronous FULL), PER rows per transaction.

    python3 sqlite_anchor.py DB_FILE PER TRANSACTIONS

Prints the rows inserted per second, the time of the sqlite3 process
included.
"""
import subprocess
import sys
import time
import uuid

db, per, txns = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
row = ("INSERT INTO responses (study_id, id, respondent, grp, status, flags, cell_id, attrs, locale, device,"
       " frequency, started_at, completed_at, duration_ms, answers) VALUES ('bench', '{id}', '{r}', 'exposed',"
       " 'complete', '', 'c1', '{{\"age\":\"25-34\"}}', 'ru', 'mobile', NULL, NULL,"
       " strftime('%Y-%m-%d %H:%M:%f', 'now'), NULL, '{{\"recall\":\"yes\",\"nps\":9,\"why\":\"нравится\"}}');")
lines = ["PRAGMA journal_mode=WAL;", "PRAGMA synchronous=FULL;", "PRAGMA busy_timeout=10000;"]
for _ in range(txns):
    lines.append("BEGIN IMMEDIATE;")
    lines.extend(row.format(id=uuid.uuid4().hex, r=uuid.uuid4().hex) for _ in range(per))
    lines.append("COMMIT;")
script = "\n".join(lines).encode()
start = time.monotonic()
subprocess.run(["sqlite3", db], input=script, check=True, stdout=subprocess.DEVNULL)
elapsed = time.monotonic() - start
print(round(per * txns / elapsed))
