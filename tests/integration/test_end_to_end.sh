#!/usr/bin/env bash
# Registry -> crawl -> audit -> report on the bundled sample portals, with
# the real binary against the loopback test server.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
samples_start
port=$TS_PORT
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }

pa schools import "$WORK/schools.csv" >"$WORK/import.out"
assert_contains "$WORK/import.out" "6 schools" "registry imported"

pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >"$WORK/crawl.out"
assert_contains "$WORK/crawl.out" "crawl:" "crawl prints a summary"
# robots.txt is fetched before any page of a site, and /quan-tri/ is never fetched.
first=$(awk -F'\t' '$4=="GET" && $6 ~ /^thcsnguyendu/ {print $5; exit}' "$TS_LOG")
assert_eq "/robots.txt" "$first" "robots.txt is the first request to a site"
[ -z "$(ts_requests /quan-tri/)" ] || fail "a robots-disallowed path was fetched"
ok "robots.txt Disallow honoured"
ua=$(awk -F'\t' '$4=="GET" {print $7; exit}' "$TS_LOG")
case $ua in portal-audit*) ok "honest User-Agent: $ua" ;; *) fail "unexpected User-Agent '$ua'" ;; esac

pa audit --period 2017-2018 --as-of 2018-05-15 >"$WORK/audit.out"
assert_contains "$WORK/audit.out" "6 schools" "audit covers every school"

pa report school 79-Q01-THCS-0001 --format json -o "$WORK/s1.json"
pa report school 79-Q01-MN-0002 --format json -o "$WORK/s2.json"
pa report school 79-Q06-TH-0005 --format json -o "$WORK/s5.json"
pa report school 79-Q06-THPT-0004 --format json -o "$WORK/s4.json"
pa report school 79-Q03-TH-0003 --format json -o "$WORK/s3.json"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
def load(n):
    with open(f"{w}/{n}.json", encoding="utf-8") as f:
        return json.load(f)
def verdicts(d):
    return {f["item"]: f for f in d["findings"]}
fail = []
s1 = load("s1")
for key in ("school", "period", "as_of", "ruleset", "crawl", "score", "rating", "findings"):
    if key not in s1: fail.append(f"s1: missing key {key}")
v = verdicts(s1)
for item in ("quality_commitment", "quality_actual", "facilities", "staff", "finance_revenue_expenditure"):
    if v[item]["verdict"] != "pass": fail.append(f"s1 {item}: {v[item]['verdict']}")
    if "/cong-khai/" not in (v[item]["url"] or ""): fail.append(f"s1 {item}: evidence url {v[item]['url']}")
if s1["period"] != "2017-2018" or s1["ruleset"] != "tt09-2009": fail.append("s1 period/ruleset")
if v["portal_integrated"]["verdict"] != "pass": fail.append("s1 portal_integrated")
if not s1["crawl"]["reachable"] or s1["crawl"]["pages"] < 5: fail.append(f"s1 crawl {s1['crawl']}")
v = verdicts(load("s2"))
# quality_actual of 2016-2017 reports the year just ended: current on
# 2018-05-15 (regulations.md §5 rule 2).
exp = {"quality_commitment": "pass", "quality_actual": "pass", "facilities": "pass",
       "staff": "missing", "finance_revenue_expenditure": "missing"}
for item, want in exp.items():
    if v[item]["verdict"] != want: fail.append(f"s2 {item}: {v[item]['verdict']} != {want}")
s5 = load("s5")
if s5["score"] is not None or s5["crawl"]["reachable"]: fail.append("s5 dead portal must have score null")
if any(f["verdict"] != "unreachable" for f in s5["findings"]): fail.append("s5 findings must be unreachable")
v = verdicts(load("s4"))
if v["portal_integrated"]["verdict"] == "pass": fail.append("s4 .edu.vn host is not integrated")
if v["staff"]["verdict"] != "stale": fail.append(f"s4 staff {v['staff']['verdict']}")
v = verdicts(load("s3"))
for item in ("quality_commitment", "quality_actual", "facilities", "staff", "finance_revenue_expenditure"):
    if v[item]["verdict"] != "pass": fail.append(f"s3 (NFD, caps, pdf) {item}: {v[item]['verdict']}")
if fail:
    print("\n".join(fail)); sys.exit(1)
PY
ok "verdicts of the sample schools"

pa report city --format html -o "$WORK/city.html"
assert_contains "$WORK/city.html" "Nguyễn Du" "city report lists schools"
pa report school 79-Q01-MN-0002 --format text >"$WORK/s2.txt"
assert_contains "$WORK/s2.txt" "/cong-khai/cam-ket-chat-luong/" "text report shows evidence URLs"

# Re-auditing the same crawl with the same rules gives byte-identical JSON
# (apart from the audit run id).
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet
pa report school 79-Q01-MN-0002 --format json -o "$WORK/s2b.json"
python3 - "$WORK/s2.json" "$WORK/s2b.json" <<'PY'
import json, sys
a, b = (json.load(open(p, encoding="utf-8")) for p in sys.argv[1:])
for d in (a, b):
    d.pop("audit_run", None)
assert a == b, "re-audit differs"
PY
ok "re-audit is identical"

# --fail-under: exit 1 when a school scores under the threshold, 0 otherwise.
rc=0; pa audit --period 2017-2018 --as-of 2018-05-15 --quiet --fail-under 95 2>"$WORK/fu.err" || rc=$?
assert_eq 1 "$rc" "audit --fail-under 95 exits 1 (some schools score lower)"
assert_contains "$WORK/fu.err" "under --fail-under 95" "and says how many"
rc=0; pa audit --period 2017-2018 --as-of 2018-05-15 --quiet --fail-under 0 || rc=$?
assert_eq 0 "$rc" "audit --fail-under 0 exits 0"
rc=0; pa audit --fail-under abc 2>/dev/null || rc=$?
assert_eq 2 "$rc" "a bad --fail-under value is a usage error"

# Every fetched HTML page carries a content hash (16 hex digits, FNV-1a 64).
nohash=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE status = 200 AND content_type = 'text/html'
          AND (content_hash IS NULL OR length(content_hash) != 16)")
assert_eq 0 "$nohash" "every HTML page has a content hash"
