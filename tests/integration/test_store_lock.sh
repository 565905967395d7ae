#!/usr/bin/env bash
# One writer per store: while a crawl runs, a second crawl and a
# `crawl --resume` are refused at once (exit 3, "kho đang được dùng bởi
# tiến trình PID") and the running crawl is unharmed; a report and an audit
# of the finished crawl work beside it (short write transactions, WAL).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
tree_city "$WORK/www" "$WORK/schools.csv" 4 24
ts_start "$WORK/www" 127.0.0.1
sed -i "s/PORT/$TS_PORT/" "$WORK/schools.csv"
opts=(--allow-addr 127.0.0.1/32 --per-host 1 --focus off --quiet --period 2017-2018 --as-of 2018-05-15)
for s in $(seq 0 3); do opts+=(--resolve "site$s.hcm.edu.vn:$TS_PORT:127.0.0.1"); done
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl "${opts[@]}" --delay 0 >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet
pages1=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE run_id = 1")
[ "$pages1" -ge 80 ] || fail "the first crawl is too small: $pages1 pages"

# ~28 requests a site 1 s apart: the second crawl runs for half a minute.
"$PORTAL_AUDIT" --db "$db" crawl "${opts[@]}" --delay 1000 >"$WORK/long.out" 2>"$WORK/long.err" &
long=$!
ts_user_cleanup() { kill "$long" 2>/dev/null || true; }
for _ in $(seq 1 100); do
  [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE kind = 'crawl'")" = 2 ] && break
  sleep 0.1
done
still_running() { kill -0 "$long" 2>/dev/null || fail "the long crawl ended before: $1"; }

for args in "crawl ${opts[*]} --delay 0" "crawl --resume --quiet"; do
  t0=$(date +%s%N); rc=0
  # shellcheck disable=SC2086
  pa $args >/dev/null 2>"$WORK/second.err" || rc=$?
  ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  assert_eq "$rc" 3 "$(echo "$args" | cut -c1-14) beside a running crawl exits 3"
  assert_contains "$WORK/second.err" "kho đang được dùng bởi tiến trình $long" "it names the crawl's PID"
  [ "$ms" -lt 5000 ] || fail "the refusal took $ms ms (the store's busy wait is 60 s)"
  still_running "the refusal"
done
assert_eq "$(sqlite3 "$db" "SELECT COUNT(*) FROM runs WHERE kind = 'crawl'")" 2 "the refused crawls made no run"

pa report city --format csv -o "$WORK/city.csv"
[ "$(wc -l <"$WORK/city.csv")" -ge 2 ] || fail "the report during a crawl is empty"
still_running "the report"
ok "a report works during a crawl"

t0=$(date +%s%N)
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet 2>"$WORK/audit.err" ||
  { cat "$WORK/audit.err" >&2; fail "an audit of the finished crawl failed during a crawl"; }
ms=$(( ($(date +%s%N) - t0) / 1000000 ))
still_running "the audit"
assert_eq "$(sqlite3 "$db" "SELECT crawl_run FROM runs WHERE kind = 'audit' ORDER BY id DESC LIMIT 1")" 1 \
  "the audit beside the crawl read the finished crawl"
assert_eq "$(sqlite3 "$db" "SELECT COUNT(*) FROM scores WHERE run_id = (SELECT MAX(id) FROM runs WHERE kind = 'audit')")" 4 \
  "the audit beside the crawl stored every school ($ms ms)"

rc=0; wait "$long" || rc=$?
[ $rc -eq 0 ] || { cat "$WORK/long.err" >&2; fail "the running crawl exited $rc"; }
long_run=$(sqlite3 "$db" "SELECT MAX(id) FROM runs WHERE kind = 'crawl'")
assert_eq "$(sqlite3 "$db" "SELECT state FROM runs WHERE id = $long_run")" done "the running crawl finished"
assert_eq "$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE run_id = $long_run")" "$pages1" \
  "the running crawl stored every page"
# The lock went with the process: the next crawl runs.
pa crawl "${opts[@]}" --delay 0 >/dev/null
ok "a crawl after it takes the lock"
