#!/usr/bin/env bash
# Crawl options are checked before the store is touched: a bad --allow-addr,
# --resolve or --hosts-file exits 2 and leaves no run (nor a database).
# `crawl --resume` continues with the options recorded with the run (names
# mapped by --resolve, the allowed range, a User-Agent with spaces).
# `audit --rules missing.yaml` exits 2 and names the file.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
tree_city "$WORK/www" "$WORK/schools.csv" 3 10
ts_start "$WORK/www" 127.0.0.1
sed -i "s/PORT/$TS_PORT/" "$WORK/schools.csv"
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
resolve=()
for s in 0 1 2; do resolve+=(--resolve "site$s.hcm.edu.vn:$TS_PORT:127.0.0.1"); done
pa schools import "$WORK/schools.csv" >/dev/null

runs() { sqlite3 "$db" "SELECT COUNT(*) FROM runs"; }
bad() { # NAME ARGS...: exits 2, says which option, leaves no run
  local name=$1 rc=0; shift
  pa crawl --quiet "$@" >/dev/null 2>"$WORK/bad.err" || rc=$?
  assert_eq "$rc" 2 "$name: exit 2"
  assert_contains "$WORK/bad.err" "$name" "$name: the error names the option"
  assert_eq "$(runs)" 0 "$name: no run was created"
}
bad --allow-addr "${resolve[@]}" --allow-addr 127.0.0.1/33
bad --allow-addr "${resolve[@]}" --allow-addr 127.0.O.1/32
bad --resolve --resolve "site0.hcm.edu.vn:$TS_PORT:127.0.0.l" --allow-addr 127.0.0.1/32
bad --resolve --resolve "site0.hcm.edu.vn:http:127.0.0.1" --allow-addr 127.0.0.1/32
bad --hosts-file --hosts-file "$WORK/no-such-hosts" --allow-addr 127.0.0.1/32
bad --period "${resolve[@]}" --allow-addr 127.0.0.1/32 --period 2017-2019
rc=0
"$PORTAL_AUDIT" --db "$WORK/new.db" crawl --allow-addr 10.0.0.0/99 2>/dev/null || rc=$?
assert_eq "$rc" 2 "a bad option on a new --db exits 2"
[ ! -e "$WORK/new.db" ] || fail "a bad option created the database"
ok "a bad option creates no database"

# A crawl stopped at once (SIGINT after its first pages), resumed with no
# option at all: the recorded ones map the names, allow the range and send
# the same User-Agent.
ua="portal-audit test (liên hệ: it's@example.vn)"
"$PORTAL_AUDIT" --db "$db" crawl "${resolve[@]}" --allow-addr 127.0.0.1/32 --delay 600 --focus off --quiet \
  --user-agent "$ua" >/dev/null 2>"$WORK/int.err" &
pid=$!
for _ in $(seq 1 100); do
  [ "$(sqlite3 "$db" "SELECT COUNT(*) FROM pages")" -ge 2 ] && break
  sleep 0.1
done
kill -INT "$pid"
wait "$pid" || true
assert_eq "$(sqlite3 "$db" "SELECT state FROM runs")" interrupted "the first crawl was interrupted"
pending=$(sqlite3 "$db" "SELECT COUNT(*) FROM sites WHERE state = 'pending'")
[ "$pending" -ge 1 ] || fail "no site was left to resume"
: >"$TS_LOG"
pa crawl --resume --quiet >/dev/null 2>"$WORK/resume.err" || { cat "$WORK/resume.err" >&2; fail "crawl --resume failed"; }
assert_eq "$(sqlite3 "$db" "SELECT COUNT(*) || ' ' || MAX(state) FROM runs")" "1 done" "resume continued the run to its end"
assert_eq "$(sqlite3 "$db" "SELECT COUNT(*) FROM sites WHERE state = 'done' AND reachable = 1")" 3 \
  "every site is reachable through the recorded --resolve and --allow-addr"
[ "$(ts_requests / | wc -l)" -ge "$pending" ] || fail "the resumed crawl fetched nothing"
others=$(ts_requests / | awk -F '\t' -v ua="$ua" '$7 != ua' | wc -l)
assert_eq "$others" 0 "the resumed crawl sent the recorded User-Agent"
# The recorded --delay 600 is kept: requests to one host stay 600 ms apart.
gaps=$(ts_requests / | awk -F '\t' '{ h = $6; if (h in last && $1 - last[h] < 500) n++; last[h] = $1 } END { print n + 0 }')
assert_eq "$gaps" 0 "the resumed crawl kept the recorded --delay"

# A rule set that does not exist is a usage error that names it.
rc=0
pa audit --rules "$WORK/missing.yaml" --quiet 2>"$WORK/rules.err" || rc=$?
assert_eq "$rc" 2 "audit --rules missing.yaml exits 2"
assert_contains "$WORK/rules.err" "$WORK/missing.yaml" "the error names the file"
