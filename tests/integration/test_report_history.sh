#!/usr/bin/env bash
# Audits of two periods side by side in one database (two rule sets):
# `report school ID --history` gives each period's score, rating and item
# verdicts (the newest audit of each period), and `--compare` across
# periods compares the scores and the items both rule sets have, and names
# the items it could not compare.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
ts_start "$PA_SOURCE/samples/www" 127.0.0.1
port=$TS_PORT
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }

cat >"$WORK/schools.csv" <<EOF
school_id,name,unit,level,ownership,portal_url
79-Q01-THCS-0001,Trường THCS Nguyễn Du,Quận 1,thcs,cong_lap,http://thcsnguyendu.hcm.edu.vn:$port/
79-Q03-TH-0003,Trường Tiểu học Lê Văn Sĩ,Quận 3,th,cong_lap,http://thlevansi.hcm.edu.vn:$port/
EOF
printf 'thcsnguyendu.hcm.edu.vn 127.0.0.1\nthlevansi.hcm.edu.vn 127.0.0.1\n' >"$WORK/hosts"
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null # run 1
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet                                      # run 2
pa audit --period 2024-2025 --as-of 2025-05-15 --quiet                                      # run 3
pa audit --period 2017-2018 --as-of 2018-05-20 --quiet                                      # run 4
assert_eq "$(sqlite3 "$db" "SELECT group_concat(period || ':' || ruleset) FROM runs WHERE kind = 'audit'")" \
    "2017-2018:tt09-2009,2024-2025:tt09-2024,2017-2018:tt09-2009" "three audits of two periods and two rule sets"

id=79-Q01-THCS-0001
for r in 3 4; do
    pa report school "$id" --run "$r" --format json -o "$WORK/run$r.json" 2>/dev/null
done
for f in json csv text md html xlsx; do
    pa report school "$id" --history --format "$f" -o "$WORK/history.$f" 2>/dev/null
    [ -s "$WORK/history.$f" ] || fail "history.$f is empty"
done
ok "--history written in every format"
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
h = json.load(open(f"{w}/history.json", encoding="utf-8"))
runs = {r: json.load(open(f"{w}/run{r}.json", encoding="utf-8")) for r in (3, 4)}
errs = []
periods = [(p["period"], p["audit_run"], p["ruleset"]) for p in h["periods"]]
if periods != [("2017-2018", 4, "tt09-2009"), ("2024-2025", 3, "tt09-2024")]:
    errs.append(f"periods: {periods}")
def score(d):
    return d["score"], d["rating"]
for p in h["periods"]:
    d = runs[p["audit_run"]]
    if (p["score"], p["rating"]) != score(d):
        errs.append(f"period {p['period']}: {p['score']} {p['rating']} != run {p['audit_run']} {score(d)}")
if h["periods"][1]["delta"] is None or abs(h["periods"][1]["delta"] - (h["periods"][1]["score"] - h["periods"][0]["score"])) > 1e-9:
    errs.append(f"delta: {h['periods'][1]}")
items = {i["item"]: i for i in h["items"]}
for r, period in ((4, "2017-2018"), (3, "2024-2025")):
    for f in runs[r]["findings"]:
        got = items.get(f["item"], {}).get(period)
        if got != f["verdict"]:
            errs.append(f"{f['item']} in {period}: {got} != {f['verdict']}")
only_new = [k for k, v in items.items() if v["2017-2018"] is None]
if not only_new:
    errs.append("no item is only in the 2024 rule set")
if errs:
    print("\n".join(errs), file=sys.stderr)
    sys.exit(1)
PY
ok "--history: per period the newest audit's score, rating and item verdicts"
assert_contains "$WORK/history.text" "2024-2025" "the text history names the periods"

# Across periods: run 3 (2024-2025, tt09-2024) against run 4 (2017-2018, tt09-2009).
pa report school "$id" --run 3 --compare 4 --format json -o "$WORK/cmp.json" 2>/dev/null
pa report city --run 3 --compare 4 --format json -o "$WORK/cmp-city.json" 2>/dev/null
pa report school "$id" --run 3 --compare 4 --format text -o "$WORK/cmp.text" 2>/dev/null
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
c = json.load(open(f"{w}/cmp.json", encoding="utf-8"))
r3 = json.load(open(f"{w}/run3.json", encoding="utf-8"))
r4 = json.load(open(f"{w}/run4.json", encoding="utf-8"))
errs = []
row = c["schools"][0]
if (row["score"], row["previous_score"]) != (r3["score"], r4["score"]):
    errs.append(f"scores {row}")
old = {f["item"]: f["verdict"] for f in r4["findings"]}
new = {f["item"]: f["verdict"] for f in r3["findings"]}
shared = set(old) & set(new)
unshared = set(old) ^ set(new)
for i in c["items"]:
    if i["item"] in shared:
        if i["status"] == "not_compared" or (i["verdict"], i["previous_verdict"]) != (new[i["item"]], old[i["item"]]):
            errs.append(f"shared item {i}")
    elif i["status"] != "not_compared":
        errs.append(f"item of one rule set only must be not_compared: {i}")
if {i["item"] for i in c["items"]} != set(old) | set(new):
    errs.append("items missing")
notes = " ".join(c["notes"])
if "Không so sánh được %d mục" % len(unshared) not in notes or "tt09-2009" not in notes:
    errs.append(f"notes: {c['notes']}")
city = json.load(open(f"{w}/cmp-city.json", encoding="utf-8"))
if not any("Không so sánh được" in n for n in city["notes"]):
    errs.append(f"city notes: {city['notes']}")
if errs:
    print("\n".join(errs), file=sys.stderr)
    sys.exit(1)
PY
ok "cross-period --compare: scores and shared items compared, the others named as not compared"
assert_contains "$WORK/cmp.text" "Không so sánh được" "the text compare says which items it could not compare"

# Same rule set: nothing is "not compared" and there is no such note.
pa report school "$id" --run 4 --compare 2 --format json -o "$WORK/same.json" 2>/dev/null
assert_not_contains "$WORK/same.json" "not_compared" "one rule set: every item compared"

rc=0
pa report school 79-NONE --history >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "--history of an unknown school: exit 2"
assert_contains "$WORK/err" "no result in any finished audit run" "the error says why"
rc=0
pa report city --history >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "--history with report city: exit 2"
