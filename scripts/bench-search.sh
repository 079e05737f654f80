#!/usr/bin/env bash
# Whole-process search benchmark for docs/benchmarks.md: Registar's
# `search --queries` (store opening included) against SQLite FTS5 over the
# same names, 1,000 prefix queries, side by side in one run with hyperfine.
# Usage: scripts/bench-search.sh [PERSONS] (default 100000). Needs sqlite3 and
# hyperfine (apt-get install sqlite3 hyperfine).
set -euo pipefail
n=${1:-100000}
work=${BENCH_DIR:-/tmp/registar-bench}
mkdir -p "$work"
cli="$work/registar-cli"
CGO_ENABLED=0 go build -o "$cli" ./cmd/registar-cli
db="$work/db$n"
if [ ! -f "$db/registar.json" ]; then
  /usr/bin/time -f "demo: %e s, max RSS %M KB" "$cli" --db "$db" demo --persons "$n" --businesses 0 --organisations 0 --seed 1 >/dev/null
fi
# The same names for SQLite, one person a row.
"$cli" --db "$db" search "" --kind person --limit 0 | awk -F'\t' 'NF==3 {print $3}' > "$work/names$n.txt"
rm -f "$work/fts$n.db"
python3 - "$work/names$n.txt" "$work/fts$n.db" <<'PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[2])
con.execute("create virtual table names using fts5(name, tokenize='unicode61 remove_diacritics 2')")
with open(sys.argv[1], encoding="utf-8") as f:
    con.executemany("insert into names values (?)", ((l.rstrip("\n"),) for l in f))
con.commit()
PY
# 1,000 queries: prefixes of 3-6 letters of given and family names, as people
# type them: folded ASCII, with diacritics, in Cyrillic, and "dj" for đ.
python3 - "$work/names$n.txt" "$work/queries.txt" "$work/queries.sql" <<'PY'
import random, sys, unicodedata
random.seed(42)
names = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8")]
lat = dict(zip("абвгдђежзијклљмнњопрстћуфхцчџш", ["a","b","v","g","d","đ","e","ž","z","i","j","k","l","lj","m","n","nj","o","p","r","s","t","ć","u","f","h","c","č","dž","š"]))
def to_latin(s):
    return "".join(lat.get(c.lower(), c) for c in s)
def ascii_fold(s):
    s = s.replace("đ", "dj").replace("Đ", "Dj")
    return "".join(c for c in unicodedata.normalize("NFD", s) if unicodedata.category(c) != "Mn")
qs = []
while len(qs) < 1000:
    words = random.choice(names).split()
    if not words: continue
    form = random.random()
    picked = [w[:random.randint(3, 6)] for w in random.sample(words, min(len(words), random.choice([1, 1, 2])))]
    q = " ".join(picked)
    if form < 0.4: q = ascii_fold(to_latin(q)).lower()      # typed on a plain keyboard
    elif form < 0.7: q = to_latin(q)                          # Latin with diacritics
    qs.append(q)                                              # else: as written (Cyrillic stays Cyrillic)
open(sys.argv[2], "w", encoding="utf-8").write("\n".join(qs) + "\n")
with open(sys.argv[3], "w", encoding="utf-8") as f:
    for q in qs:
        terms = " ".join('"%s"*' % w.replace('"', '') for w in q.split())
        f.write("select count(*) from names where names match '%s';\n" % terms.replace("'", "''"))
PY
echo "== hits: the same 1,000 queries"
"$cli" --db "$db" search --queries "$work/queries.txt" | cut -f1 > "$work/hits-registar.txt"
sqlite3 "$work/fts$n.db" < "$work/queries.sql" > "$work/hits-sqlite.txt"
paste "$work/hits-registar.txt" "$work/hits-sqlite.txt" "$work/queries.txt" | awk -F'\t' '
  { r += $1; s += $2; if ($2 < $1) fewer++; if ($2 == 0 && $1 > 0) none++ }
  END { printf "registar finds %d records in all, sqlite fts5 %d\n", r, s
        printf "sqlite finds fewer for %d queries, nothing at all for %d that registar answers\n", fewer, none }'
echo "== timings"
hyperfine -N --warmup 1 --runs 5 \
  -n "registar search --queries (open + 1000 queries, $n persons)" "$cli --db $db search --queries $work/queries.txt" \
  -n "sqlite3 fts5 (1000 queries, $n names)" "sqlite3 $work/fts$n.db -init /dev/null -cmd '.read $work/queries.sql' .quit"
# The VM's speed drifts within minutes, and hyperfine runs one command's runs
# back to back: the same comparison interleaved, run by run, is fairer.
echo "== interleaved, ${ROUNDS:-40} rounds (wall clock per run, ms)"
python3 - "$cli" "$db" "$work/queries.txt" "$work/fts$n.db" "$work/queries.sql" "${ROUNDS:-40}" <<'PY'
import statistics, subprocess, sys, time
cli, db, queries, fts, sql, rounds = sys.argv[1:7]
cmds = {"registar": [cli, "--db", db, "search", "--queries", queries],
        "sqlite": ["sqlite3", fts, "-init", "/dev/null", "-cmd", ".read " + sql, ".quit"]}
times = {k: [] for k in cmds}
for i in range(int(rounds) + 3):
    for name, cmd in cmds.items():
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, check=True)
        if i >= 3:  # the first rounds warm the caches
            times[name].append((time.perf_counter() - t) * 1000)
for name, v in times.items():
    v.sort()
    print(f"{name:9s} median {statistics.median(v):5.1f}  p10 {v[len(v) // 10]:5.1f}  p90 {v[len(v) * 9 // 10]:5.1f}")
PY
