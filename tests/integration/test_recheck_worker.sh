#!/usr/bin/env bash
# The dashboard's re-check queue run from the command line (issue 14):
# - `recheck add` queues a school; asked again while queued, the same one;
# - `recheck run-queue` crawls and audits it like `check --school`: robots.txt
#   first, the same User-Agent, the address guard (without --allow-addr the
#   loopback site is refused, and the re-check still lands, unreachable);
# - the result is a pair of runs of scope "check" recorded with the re-check
#   (state done, progress "xong: N trang, điểm ..."); the city report still
#   covers every school, and the next audit reads the re-checked school
#   from the re-check's crawl;
# - several queued re-checks run oldest first; an empty queue runs nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
db=$WORK/t.db
samples_audited "$db"
net=(--hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0)
when=(--period 2017-2018 --as-of 2018-05-15)
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
school=79-Q01-THCS-0001

pa recheck add --school "$school" --by "truong-nd" >"$WORK/add.out"
assert_contains "$WORK/add.out" "recheck: queued id=1 school=$school position=1" "a re-check is queued"
pa recheck add --school "$school" >"$WORK/add2.out"
assert_contains "$WORK/add2.out" "recheck: queued id=1 " "asked again while queued: the same re-check"
assert_eq "$(q "SELECT count(*) FROM rechecks")" 1 "one re-check in the queue"
set +e
pa recheck add --school NO-SUCH >/dev/null 2>"$WORK/nosuch.err"
rc=$?
set -e
assert_eq "$rc" 2 "an unknown school exits 2"
assert_contains "$WORK/nosuch.err" "NO-SUCH" "the message names the school"

before=$(wc -l <"$TS_LOG")
pa recheck run-queue "${net[@]}" "${when[@]}" >"$WORK/run.out" 2>"$WORK/run.err"
assert_contains "$WORK/run.out" "recheck: done id=1 school=$school" "the re-check ran"
assert_contains "$WORK/run.out" "recheck: queue empty ran=1 failed=0" "then the queue was empty"
assert_contains "$WORK/run.err" "crawl: done" "the crawl's summary line goes to stderr"
assert_eq "$(q "SELECT state FROM rechecks WHERE id = 1")" done "the re-check is done"
progress=$(q "SELECT progress FROM rechecks WHERE id = 1")
case "$progress" in
xong:*trang,\ điểm*) ok "its progress line says it is done: $progress" ;;
*) fail "progress line: '$progress'" ;;
esac
crawl=$(q "SELECT crawl_run FROM rechecks WHERE id = 1")
audit=$(q "SELECT audit_run FROM rechecks WHERE id = 1")
assert_eq "$(q "SELECT kind || ' ' || scope || ' ' || state FROM runs WHERE id = $crawl")" "crawl check done" "its crawl is a finished run of scope check"
assert_eq "$(q "SELECT kind || ' ' || scope || ' ' || state || ' ' || crawl_run FROM runs WHERE id = $audit")" "audit check done $crawl" "its audit is a finished run of scope check reading that crawl"
assert_eq "$(q "SELECT group_concat(school_id) FROM scores WHERE run_id = $audit")" "$school" "the audit scored that one school"
assert_eq "$(q "SELECT count(*) FROM sites WHERE run_id = $crawl AND state = 'done'")" 1 "the crawl fetched that one site"

# Politeness as the CLI: robots.txt first, the program's User-Agent.
tail -n +"$((before + 1))" "$TS_LOG" >"$WORK/requests.log"
first=$(awk -F'\t' 'NF >= 11 && $4=="GET" {print $5; exit}' "$WORK/requests.log")
assert_eq "$first" /robots.txt "robots.txt is fetched first"
ua=$(awk -F'\t' '$4=="GET" {print $7; exit}' "$WORK/requests.log")
case "$ua" in
portal-audit/*) ok "the User-Agent is the program's: $ua" ;;
*) fail "User-Agent '$ua'" ;;
esac

# The campaign is untouched: the city report is the full audit's.
pa report city --format json >"$WORK/city.json"
python3 - "$WORK/city.json" <<'PY' || fail "the city report changed run after a re-check"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["meta"]["crawl_run"] == 1, d["meta"]["crawl_run"]
assert d["meta"]["schools"] == 6, d["meta"]["schools"]
assert len(d["schools"]) == 6, len(d["schools"])
PY
ok "the city report still covers the campaign"
pa audit "${when[@]}" --quiet
newest=$(q "SELECT max(id) FROM runs WHERE kind = 'audit' AND scope = 'full'")
assert_eq "$(q "SELECT crawl_run FROM scores WHERE run_id = $newest AND school_id = '$school'")" "$crawl" "the next audit reads the school from the re-check's crawl"

# The address guard as the CLI: without --allow-addr the loopback portal is
# refused; the re-check lands, the site unreachable.
pa recheck add --school 79-Q03-TH-0003 >/dev/null
pa recheck run-queue --hosts-file "$WORK/hosts" --delay 0 "${when[@]}" >"$WORK/guard.out" 2>&1
assert_contains "$WORK/guard.out" "recheck: done id=2 school=79-Q03-TH-0003" "the guarded re-check ran"
assert_eq "$(q "SELECT reachable FROM sites WHERE run_id = (SELECT crawl_run FROM rechecks WHERE id = 2)")" 0 "the loopback address is refused without --allow-addr"

# Oldest first; an empty queue runs nothing.
pa recheck add --school 79-Q06-THPT-0004 >/dev/null
pa recheck add --school 79-Q01-MN-0002 >"$WORK/add3.out"
assert_contains "$WORK/add3.out" "position=2" "the second queued re-check is second"
pa recheck run-queue "${net[@]}" "${when[@]}" >"$WORK/two.out" 2>/dev/null
order=$(grep -oE 'school=[^ ]+' "$WORK/two.out" | head -2 | tr '\n' ' ')
assert_eq "$order" "school=79-Q06-THPT-0004 school=79-Q01-MN-0002 " "re-checks run oldest first"
pa recheck run-queue "${net[@]}" >"$WORK/none.out" 2>/dev/null
assert_contains "$WORK/none.out" "recheck: queue empty ran=0 failed=0" "an empty queue runs nothing"
set +e
"$PORTAL_AUDIT" --db "$WORK/none.db" recheck run-queue >/dev/null 2>&1
rc=$?
set -e
assert_eq "$rc" 2 "a missing database exits 2"
[ ! -e "$WORK/none.db" ] || fail "run-queue created a database"
ok "run-queue creates no database"
