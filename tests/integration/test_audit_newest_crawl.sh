#!/usr/bin/env bash
# Partial crawls, checks and named runs (issue 11):
# - crawls of single units in separate runs, then one audit: every school
#   is assessed from its own newest crawl, and each school's score and
#   verdicts equal those of a full crawl and audit of the same sites;
# - a school left out of every crawl is "chưa thu thập" (not_crawled) in the
#   school, unit, city, ranking and adoption reports and never ranked;
#   --max-crawl-age makes an old crawl count as none;
# - a selection that matches nothing exits 2 naming the closest unit and
#   writes no run;
# - a check after a full crawl and audit is never "the newest run": the
#   city report still covers every school, the next audit reads the
#   checked school from the check's crawl, and after a kill -9 of a check
#   crawl --resume does not resume the check's run;
# - runs can be labelled, listed and named by label; an unknown label
#   exits 2 naming it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
samples_start
SAMPLES_PORT=$TS_PORT
net=(--hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet)
when=(--period 2017-2018 --as-of 2018-05-15)
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
runs() { sqlite3 "$db" "SELECT count(*) FROM runs"; }

# The facts a school's verdict is made of, per school, from report school
# --format json: status, score, rating and every item's verdict.
verdicts() { # OUT
    local id
    : >"$1"
    for id in $(cut -d, -f1 "$WORK/schools.csv" | tail -n +2); do
        pa report school "$id" --format json 2>/dev/null |
            python3 -c '
import json, sys
d = json.load(sys.stdin)
print(d["school"]["id"], d["status"], d["score"], d["rating"],
      " ".join(f["item"] + "=" + f["verdict"] for f in d["findings"]))' "$id" >>"$1"
    done
}

# --- A full crawl and audit: the reference. ---------------------------------
db=$WORK/full.db
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl "${net[@]}" --label full-crawl >/dev/null
pa audit "${when[@]}" --quiet --label full-audit
verdicts "$WORK/full.txt"
[ "$(wc -l <"$WORK/full.txt")" -eq 6 ] || fail "expected 6 schools in the reference"

# --- The same sites crawled one unit per run, audited once. -----------------
db=$WORK/parts.db
pa schools import "$WORK/schools.csv" >/dev/null
for u in 'Quận 1' 'Quận 3' 'Quận 6'; do
    pa crawl --unit "$u" "${net[@]}" >/dev/null
done
pa audit "${when[@]}" >"$WORK/audit.out"
assert_contains "$WORK/audit.out" "of each school's newest crawl" "the audit reads each school's own crawl"
assert_contains "$WORK/audit.out" "6 schools" "every school is audited"
assert_contains "$WORK/audit.out" "0 not crawled" "no school is left uncrawled"
got=$(sqlite3 "$db" "SELECT group_concat(c.school_id || '=' || c.crawl_run, ' ') FROM scores c
                      JOIN schools s ON s.id = c.school_id
                      WHERE c.run_id = 4 AND s.portal_url IS NOT NULL AND s.portal_url <> ''
                      ORDER BY c.school_id")
want=$(sqlite3 "$db" "SELECT group_concat(x.school_id || '=' || x.run_id, ' ') FROM sites x
                       ORDER BY x.school_id")
assert_eq "$got" "$want" "each school's result names the crawl run that fetched it"
verdicts "$WORK/parts.txt"
diff "$WORK/full.txt" "$WORK/parts.txt" || fail "a school changed between a full crawl and unit crawls"
ok "scores, ratings and verdicts equal those of a full crawl and audit"

# Crawling Quận 1 again after other units' crawls revalidates its own
# newest crawl's pages (conditional GET), not the newest run's (Quận 6).
lines_before=$(wc -l <"$TS_LOG")
pa crawl --unit 'Quận 1' "${net[@]}" >/dev/null
cond=$(tail -n +"$((lines_before + 1))" "$TS_LOG" | awk -F'\t' '$4=="GET" && $8 != "" {n++} END {print n+0}')
[ "$cond" -ge 3 ] || fail "a recrawl of Quận 1 sent If-None-Match on only $cond requests"
ok "a recrawl of one unit revalidates that unit's own last crawl ($cond conditional requests)"

# --- A unit left out of every crawl. ----------------------------------------
db=$WORK/left.db
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --unit 'Quận 1' "${net[@]}" >/dev/null
pa crawl --unit 'Quận 3' "${net[@]}" >/dev/null
pa audit "${when[@]}" >"$WORK/audit.out"
assert_contains "$WORK/audit.out" "2 not crawled" "the two schools of Quận 6 are not crawled"
for f in text md html; do
    pa report school 79-Q06-THPT-0004 --format $f -o "$WORK/school.$f" 2>/dev/null
    assert_contains "$WORK/school.$f" "chưa thu thập" "school report ($f) says chưa thu thập"
    assert_not_contains "$WORK/school.$f" "Không truy cập được" "school report ($f) does not say unreachable"
    for k in city ranking; do
        pa report $k --format $f -o "$WORK/$k.$f" 2>/dev/null
        assert_contains "$WORK/$k.$f" "chưa thu thập" "$k report ($f) says chưa thu thập"
    done
    pa report unit 'Quận 6' --format $f -o "$WORK/unit.$f" 2>/dev/null
    assert_contains "$WORK/unit.$f" "chưa thu thập" "unit report ($f) says chưa thu thập"
    pa report adoption --format $f -o "$WORK/adoption.$f" 2>/dev/null
    assert_contains "$WORK/adoption.$f" "Chưa thu thập" "adoption report ($f) has a chưa thu thập column"
    assert_contains "$WORK/adoption.$f" "79-Q06-THPT-0004" "adoption report ($f) names the school not crawled"
done
pa report city --format csv -o "$WORK/city.csv" 2>/dev/null
assert_contains "$WORK/city.csv" "79-Q06-THPT-0004" "city CSV lists the school"
assert_contains "$WORK/city.csv" "not_crawled" "city CSV gives its reason code"
for k in city ranking; do pa report $k --format json -o "$WORK/$k.json" 2>/dev/null; done
pa report unit 'Quận 6' --format json -o "$WORK/unit.json" 2>/dev/null
pa report adoption --format json -o "$WORK/adoption.json" 2>/dev/null
pa report school 79-Q06-TH-0005 --format json -o "$WORK/school.json" 2>/dev/null
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
errs = []
school = json.load(open(f"{w}/school.json"))
if school["status"] != "not_crawled" or school["score"] is not None or school["findings"]:
    errs.append(f"school: {school['status']} {school['score']} {len(school['findings'])} findings")
for k in ("city", "ranking", "unit"):
    d = json.load(open(f"{w}/{k}.json"))
    un = {u["id"]: u["status"] for u in d["unassessed"]}
    for sid in ("79-Q06-THPT-0004", "79-Q06-TH-0005"):
        if un.get(sid) != "not_crawled":
            errs.append(f"{k}: {sid} is {un.get(sid)}, not not_crawled")
        row = [s for s in d["schools"] if s["school"]["id"] == sid]
        if not row or row[0]["status"] != "not_crawled" or row[0].get("rank") is not None:
            errs.append(f"{k}: {sid} listed as {row}")
    if d["meta"]["not_crawled"] != 2:
        errs.append(f"{k}: meta not_crawled {d['meta']['not_crawled']}")
    # The school without a portal URL is unassessed for another reason.
    if k != "unit" and un.get("79-Q03-MN-0006") != "unreachable":
        errs.append(f"{k}: 79-Q03-MN-0006 is {un.get('79-Q03-MN-0006')}")
city = json.load(open(f"{w}/city.json"))
units = {u["unit"]: u for u in city["units"]}
if units["Quận 6"]["not_crawled"] != 2 or units["Quận 1"]["not_crawled"] != 0:
    errs.append(f"city units: {units['Quận 6']}")
ad = json.load(open(f"{w}/adoption.json"))
q6 = [u for u in ad["units"] if u["unit"] == "Quận 6"][0]
if q6["not_crawled"] != 2 or q6["all"]["schools"] != 0 or ad["total"]["not_crawled"] != 2:
    errs.append(f"adoption Quận 6: {q6}")
if ad["total"]["all"]["schools"] != 4:
    errs.append(f"adoption total counts {ad['total']['all']['schools']} schools, want 4")
if errs:
    print("\n".join(errs)); sys.exit(1)
PY
ok "JSON: not_crawled per school, per unit, in summaries and adoption; never ranked"

# --max-crawl-age: a crawl finished long ago counts as none.
sqlite3 "$db" "UPDATE sites SET finished_at = '2001-01-01T00:00:00Z' WHERE school_id = '79-Q01-MN-0002'"
pa audit "${when[@]}" --max-crawl-age 30 >"$WORK/audit.out"
assert_contains "$WORK/audit.out" "3 not crawled" "--max-crawl-age 30 drops the old crawl"
pa report school 79-Q01-MN-0002 --format json -o "$WORK/old.json" 2>/dev/null
assert_contains "$WORK/old.json" '"status": "not_crawled"' "the school with the old crawl is not crawled"
# Compared with the audit before, the school not crawled is no decline.
pa report city --run 4 --compare 3 --format json -o "$WORK/cmp.json" 2>/dev/null
python3 - "$WORK/cmp.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1]))
st = {s["id"]: s["status"] for s in d["schools"]}
if st.get("79-Q01-MN-0002") != "not_crawled":
    sys.exit(f"compare: 79-Q01-MN-0002 is {st.get('79-Q01-MN-0002')}, want not_crawled")
if "worsened" in st.values():
    sys.exit(f"compare shows a decline: {st}")
PY
ok "compare: a school not crawled for one run is not_crawled, never worsened"
pa report city --run 4 --compare 3 --format text -o "$WORK/cmp.txt" 2>/dev/null
assert_contains "$WORK/cmp.txt" "Chưa thu thập" "compare text labels it Chưa thu thập"
pa audit "${when[@]}" >"$WORK/audit.out"
assert_contains "$WORK/audit.out" "2 not crawled" "without --max-crawl-age any age counts"

# --- A selection that matches nothing. -----------------------------------------
before=$(runs)
rc=0
pa crawl --unit 'Quan 1' "${net[@]}" >"$WORK/out" 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "crawl --unit 'Quan 1' exits 2"
assert_contains "$WORK/err" "không có đơn vị 'Quan 1'; có phải 'Quận 1'?" "and suggests Quận 1"
rc=0
pa audit --unit 'quận 3' "${when[@]}" >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "audit --unit 'quận 3' exits 2"
assert_contains "$WORK/err" "có phải 'Quận 3'?" "and suggests Quận 3"
rc=0
pa crawl --school 79-Q01-THCS-001 "${net[@]}" >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "an unknown school id exits 2"
assert_contains "$WORK/err" "có phải '79-Q01-THCS-0001'?" "and suggests the closest id"
rc=0
pa crawl --unit 'Quận 3' --level thpt "${net[@]}" >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "a unit and level with no school exits 2"
assert_eq "$(runs)" "$before" "no run was written"

# --- check stays apart. -------------------------------------------------------
db=$WORK/full.db
pa check --school 79-Q01-THCS-0001 "${net[@]}" "${when[@]}" --format json >"$WORK/check.json" 2>/dev/null
check_crawl=$(sqlite3 "$db" "SELECT id FROM runs WHERE kind = 'crawl' AND scope = 'check'")
[ -n "$check_crawl" ] || fail "check recorded no crawl run of scope check"
ok "check records its runs with scope check"
pa report city --format json -o "$WORK/city.json" 2>/dev/null
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); sys.exit(0 if d["meta"]["schools"] == 6 else 1)' \
    "$WORK/city.json" || fail "report city after a check does not cover every school"
ok "report city after a check still covers every school"
pa audit "${when[@]}" >"$WORK/audit.out"
assert_contains "$WORK/audit.out" "6 schools" "the audit after a check audits every school"
got=$(sqlite3 "$db" "SELECT crawl_run FROM scores WHERE school_id = '79-Q01-THCS-0001'
                     AND run_id = (SELECT max(id) FROM runs WHERE kind = 'audit')")
assert_eq "$got" "$check_crawl" "the checked school is assessed from the check's crawl"
got=$(sqlite3 "$db" "SELECT count(DISTINCT crawl_run) FROM scores WHERE school_id <> '79-Q01-THCS-0001'
                     AND run_id = (SELECT max(id) FROM runs WHERE kind = 'audit')")
assert_eq "$got" 1 "the other schools from the full crawl"

# kill -9 of a check on a slow site, then crawl --resume.
mkdir -p "$WORK/slow/slow.hcm.edu.vn"
printf '<html><head><title>Chậm</title></head><body><h1>Chậm</h1></body></html>' \
    >"$WORK/slow/slow.hcm.edu.vn/index.html"
printf 'X-Test-Delay-Ms: 20000\n' >"$WORK/slow/slow.hcm.edu.vn/index.html.hdr"
printf 'User-agent: *\nAllow: /\n' >"$WORK/slow/slow.hcm.edu.vn/robots.txt"
ts_start "$WORK/slow" 127.0.0.1
"$PORTAL_AUDIT" --db "$db" check "http://slow.hcm.edu.vn:$TS_PORT/" \
    --resolve "slow.hcm.edu.vn:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 --delay 0 \
    "${when[@]}" >/dev/null 2>&1 &
cpid=$!
for _ in $(seq 1 300); do
    grep -q 'GET	/	' "$TS_LOG" 2>/dev/null && break
    sleep 0.1
done
grep -q 'GET	/	' "$TS_LOG" || { kill -9 "$cpid"; fail "the check never fetched the slow page"; }
kill -9 "$cpid"
wait "$cpid" 2>/dev/null || true
killed=$(sqlite3 "$db" "SELECT id FROM runs WHERE scope = 'check' AND state = 'running'")
[ -n "$killed" ] || fail "the killed check left no running run"
pa crawl --resume --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 >"$WORK/out" 2>&1 ||
    { cat "$WORK/out" >&2; fail "crawl --resume failed"; }
assert_not_contains "$WORK/out" "run=$killed " "crawl --resume does not resume the check's run"
assert_contains "$WORK/out" "run=1 " "it resumes the newest full crawl"
assert_contains "$WORK/out" "schools=0/0" "and leaves the check's ad hoc school out of the campaign"
pa audit "${when[@]}" >"$WORK/audit.out"
assert_contains "$WORK/audit.out" "6 schools" "an audit leaves the ad hoc school of check URL out"

# --- Runs people can name. ----------------------------------------------------
pa runs list >"$WORK/runs.txt"
assert_contains "$WORK/runs.txt" "full-crawl" "runs list shows the crawl label"
assert_contains "$WORK/runs.txt" "check" "runs list shows the check scope"
pa runs list --format json >"$WORK/runs.json"
python3 - "$WORK/runs.json" <<'PY'
import json, sys
v = json.load(open(sys.argv[1]))
first = v[0]
want = {"id": 1, "kind": "crawl", "scope": "full", "label": "full-crawl", "schools": 5, "state": "done"}
for k, x in want.items():
    if first[k] != x:
        sys.exit(f"runs list json: {k} = {first[k]!r}, want {x!r}")
if v[1]["label"] != "full-audit" or v[1]["period"] != "2017-2018" or v[1]["schools"] != 6:
    sys.exit(f"runs list json: second run {v[1]}")
for k in ("started", "finished"):
    if not first[k] or not first[k].endswith("Z"):
        sys.exit(f"runs list json: {k} = {first[k]!r}")
PY
ok "runs list --format json: id, kind, scope, label, period, started, finished, schools, state"
pa runs list --format csv >"$WORK/runs.csv"
assert_contains "$WORK/runs.csv" $'id,kind,scope,label,period,started,finished,schools,state\r' "runs list CSV header"
assert_contains "$WORK/runs.csv" "2,audit,full,full-audit,2017-2018," "runs list CSV row"
pa report city --format json --run full-audit -o "$WORK/by-label.json" 2>/dev/null
pa report city --format json --run 2 -o "$WORK/by-id.json" 2>/dev/null
cmp "$WORK/by-label.json" "$WORK/by-id.json" || fail "--run LABEL differs from --run ID"
ok "--run takes a label"
pa report city --format json --compare full-audit -o /dev/null 2>/dev/null || fail "--compare LABEL failed"
ok "--compare takes a label"
pa audit "${when[@]}" --quiet --crawl-run full-crawl --label again
got=$(sqlite3 "$db" "SELECT crawl_run FROM runs WHERE label = 'again'")
assert_eq "$got" 1 "--crawl-run takes a label"
rc=0
pa report city --run no-such-label >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "an unknown run label exits 2"
assert_contains "$WORK/err" "no-such-label" "and names the label"
rc=0
pa audit "${when[@]}" --quiet --crawl-run nope >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "an unknown --crawl-run label exits 2"
assert_contains "$WORK/err" "nope" "and names it"
before=$(runs)
rc=0
pa audit "${when[@]}" --quiet --label again 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "a label another audit run has exits 2"
assert_contains "$WORK/err" "already labelled 'again'" "and says so"
rc=0
pa crawl --unit 'Quận 1' "${net[@]}" --label 42 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "a label of digits only exits 2"
assert_eq "$(runs)" "$before" "neither wrote a run"
rc=0
pa report city --run full-crawl >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "--run naming a crawl run exits 2"
assert_contains "$WORK/err" "not an audit run" "and says it is a crawl run"
