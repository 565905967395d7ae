#!/usr/bin/env bash
# Durability: kill -9 at random moments, then `crawl --resume`, five times
# and more; the final pages equal an uninterrupted crawl's, nothing is
# duplicated, and the database passes PRAGMA integrity_check.  SIGINT stops
# a crawl within a few seconds with its finished sites committed.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
python3 - "$WORK/www" "$WORK/schools.csv" <<'PY'
import os, sys
www, csv = sys.argv[1], sys.argv[2]
rows = ["school_id,name,unit,level,ownership,portal_url"]
for s in range(8):
    host = f"site{s}.hcm.edu.vn"
    n = 6 + 6 * s                      # sites of different sizes
    for i in range(n):
        d = os.path.join(www, host, "p", str(i))
        os.makedirs(d, exist_ok=True)
        links = "".join(f'<a href="/p/{j}/">Trang {j}</a> ' for j in (2*i+1, 2*i+2) if j < n)
        with open(os.path.join(d, "index.html"), "w", encoding="utf-8") as f:
            f.write(f"<html><head><title>Trang {i}</title></head><body><h1>Trang {i}</h1>{links}</body></html>")
        with open(os.path.join(d, "index.html.hdr"), "w") as f:
            f.write("X-Test-Delay-Ms: 40\n")
    with open(os.path.join(www, host, "index.html"), "w", encoding="utf-8") as f:
        f.write('<html><head><title>Trang chủ</title></head><body><a href="/p/0/">Bắt đầu</a></body></html>')
    with open(os.path.join(www, host, "robots.txt"), "w") as f:
        f.write("User-agent: *\nAllow: /\n")
    rows.append(f"R-{s},Trường {s},Quận 1,th,cong_lap,http://{host}:PORT/")
open(csv, "w", encoding="utf-8").write("\n".join(rows) + "\n")
PY
ts_start "$WORK/www" 127.0.0.1
sed -i "s/PORT/$TS_PORT/" "$WORK/schools.csv"
opts=(--allow-addr 127.0.0.1/32 --delay 30 --per-host 2 --quiet)
for s in $(seq 0 7); do opts+=(--resolve "site$s.hcm.edu.vn:$TS_PORT:127.0.0.1"); done

pages_of() {
  sqlite3 "$1" "SELECT school_id || ' ' || requested_url || ' ' || status FROM pages
                WHERE run_id = (SELECT MAX(id) FROM runs WHERE kind='crawl') ORDER BY 1"
}

"$PORTAL_AUDIT" --db "$WORK/ref.db" schools import "$WORK/schools.csv" >/dev/null
"$PORTAL_AUDIT" --db "$WORK/ref.db" crawl "${opts[@]}" >/dev/null
pages_of "$WORK/ref.db" >"$WORK/ref.txt"
total=$(wc -l <"$WORK/ref.txt")
[ "$total" -gt 100 ] || fail "reference crawl too small: $total pages"

db=$WORK/killed.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
kills=0
for round in $(seq 1 30); do
  # Until a kill lands after the run is recorded (a slow start, under a
  # sanitizer, may be killed before), start afresh; then resume.
  if [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE kind='crawl'")" = 0 ]; then
    args=(crawl "${opts[@]}")
  else
    args=(crawl --resume "${opts[@]}")
  fi
  "$PORTAL_AUDIT" --db "$db" "${args[@]}" >/dev/null 2>&1 &
  pid=$!
  # A first start waits for its run to be recorded (slow under TSan).
  for ((w = 0; w < 100; w++)); do
    [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE kind='crawl'")" = 0 ] || break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  sleep "0.$(( RANDOM % 6 + 2 ))"
  killed=0
  if kill -9 "$pid" 2>/dev/null; then killed=1; fi
  wait "$pid" 2>/dev/null || true
  # A kill before the run was recorded (a slow start) does not count.
  if [ $killed = 1 ] && [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE kind='crawl'")" != 0 ]; then
    kills=$((kills + 1))
  fi
  [ "$(sqlite3 "$db" 'PRAGMA integrity_check')" = ok ] || fail "integrity_check failed after kill $kills"
  [ $kills -ge 5 ] && break
done
[ $kills -ge 5 ] || fail "only $kills kills landed mid-crawl"
ok "$kills kill -9 during the crawl, integrity_check ok after each"
# (A kill can land on a crawl that has just finished: then there is
# nothing left to resume.)
# Under a sanitizer on a loaded machine every kill may have landed before
# the run was recorded: then there is nothing to resume either.
if [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE kind='crawl'")" = 0 ]; then
  "$PORTAL_AUDIT" --db "$db" crawl "${opts[@]}" >/dev/null
elif [ "$(sqlite3 "$db" "SELECT state FROM runs WHERE kind='crawl'")" != done ]; then
  "$PORTAL_AUDIT" --db "$db" crawl --resume "${opts[@]}" >/dev/null
fi
pages_of "$db" >"$WORK/resumed.txt"
diff "$WORK/ref.txt" "$WORK/resumed.txt" >"$WORK/diff.txt" || { head "$WORK/diff.txt" >&2; fail "resumed pages differ from an uninterrupted crawl"; }
ok "resumed crawl has the same $total pages as an uninterrupted one"
dups=$(sqlite3 "$db" "SELECT COUNT(*) FROM (SELECT 1 FROM pages GROUP BY run_id, school_id, requested_url HAVING COUNT(*) > 1)")
assert_eq 0 "$dups" "no page stored twice"
assert_eq 1 "$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE kind='crawl'")" "resume continued the same run"
assert_eq done "$(sqlite3 "$db" "SELECT state FROM runs WHERE kind='crawl'")" "the run is finished"
assert_eq ok "$(sqlite3 "$db" 'PRAGMA integrity_check')" "integrity_check"

# SIGINT: the crawl stops within a few seconds and keeps finished sites.
db=$WORK/int.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
"$PORTAL_AUDIT" --db "$db" crawl "${opts[@]}" --delay 400 >/dev/null 2>"$WORK/int.err" &
pid=$!
# The smallest site needs 9 requests 400 ms apart (robots.txt, home, the
# "not found" probe, 6 pages): past 3.6 s it is done.
sleep 5
t0=$(date +%s%N)
kill -INT "$pid"
rc=0; wait "$pid" || rc=$?
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
[ $ms -lt 5000 ] || fail "SIGINT took $ms ms to stop the crawl"
[ $rc -ne 0 ] || fail "an interrupted crawl should not exit 0"
assert_contains "$WORK/int.err" "crawl --resume" "interrupted crawl says how to resume"
assert_eq interrupted "$(sqlite3 "$db" "SELECT state FROM runs WHERE kind='crawl'")" "run marked interrupted"
done_sites=$(sqlite3 "$db" "SELECT COUNT(*) FROM sites WHERE state='done'")
[ "$done_sites" -ge 1 ] || fail "no finished site was committed before SIGINT"
ok "SIGINT stopped the crawl in $ms ms with $done_sites finished sites saved"
"$PORTAL_AUDIT" --db "$db" crawl --resume "${opts[@]}" >/dev/null
pages_of "$db" >"$WORK/int.txt"
diff -q "$WORK/ref.txt" "$WORK/int.txt" >/dev/null || fail "resume after SIGINT differs"
ok "resume after SIGINT completes the same pages"
