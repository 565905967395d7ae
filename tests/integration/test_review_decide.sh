#!/usr/bin/env bash
# Human review (docs/REVIEW.md): after an audit, `review list` shows the
# items the machine left for review; `review decide` changes the school's
# final verdicts, its score (checked against the weights by hand), its rank
# and the unit report; the trail lists every decision in order, superseded
# ones too; bad input exits 2 and writes nothing.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
samples_start
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
S=79-Q06-THPT-0004

pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
# An audit of another period first (its rule set has items for some
# levels only), then the one reviewed, the newest.
pa audit --period 2024-2025 --as-of 2024-12-01 --quiet --label y2024
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet

# --- the queue -------------------------------------------------------------
pa review list --format json >"$WORK/queue.json"
python3 - "$WORK/queue.json" "$db" <<'PY' || fail "review list is not the machine's review findings"
import json, sqlite3, sys
q = json.load(open(sys.argv[1]))["queue"]
got = sorted((r["school_id"], r["item"]) for r in q)
db = sqlite3.connect(sys.argv[2])
want = sorted(db.execute("SELECT school_id, item FROM findings WHERE verdict = 'review'"
                         " AND run_id = (SELECT max(id) FROM runs WHERE kind = 'audit')"))
assert want, "the sample city has review findings"
assert got == [tuple(w) for w in want], (got, want)
assert all(r["machine_verdict"] == "review" and r["state"] == "Chưa quyết định" for r in q)
PY
ok "review list shows exactly the findings the audit left for review"
pa review list --verdict stale --format csv >"$WORK/stale.csv"
assert_contains "$WORK/stale.csv" "$S,\"Trường THPT An Lạc, cơ sở 2\",Quận 6,quality_commitment" "--verdict stale lists the stale items, with the evidence URL"
assert_contains "$WORK/stale.csv" "/cong-khai/cam-ket-chat-luong/" "the queue names the evidence page"
pa review list --school 79-Q01-MN-0002 >"$WORK/one.txt"
assert_contains "$WORK/one.txt" "79-Q01-MN-0002" "a selection keeps its school"
assert_not_contains "$WORK/one.txt" "$S" "and drops the others"

pa report school "$S" --format json -o "$WORK/before.json"
pa report ranking --format json -o "$WORK/rank-before.json"
pa report unit 'Quận 6' --format json -o "$WORK/unit-before.json"

# --- bad input: exit 2, clear message, nothing written -----------------------
count() { sqlite3 "$db" "SELECT (SELECT count(*) FROM decisions) || '/' || (SELECT count(*) FROM appeals)"; }
bad() { # EXPECTED-MESSAGE ARGS...: exits 2 naming the problem, writes nothing
    local want=$1 rc=0 before
    shift
    before=$(count)
    pa "$@" >"$WORK/bad.out" 2>"$WORK/bad.err" || rc=$?
    assert_eq "$rc" 2 "exit 2: $*"
    assert_contains "$WORK/bad.err" "$want" "message for: $*"
    assert_eq "$(count)" "$before" "nothing written by: $*"
}
bad "unknown school '79-NO-SUCH'" review decide 79-NO-SUCH posting_activity --verdict pass --reason r --by b
bad "unknown item 'no_such_item'" review decide "$S" no_such_item --verdict pass --reason r --by b
# mn_staff is an item for kindergartens only: not one of a high school's.
bad "item mn_staff does not apply to school $S in audit run" review decide "$S" mn_staff --run y2024 --verdict pass --reason r --by b
bad "want pass, stale or missing, not 'review'" review decide "$S" posting_activity --verdict review --reason r --by b
bad "want pass, stale or missing, not 'great'" review decide "$S" posting_activity --verdict great --reason r --by b
bad "needs a reason" review decide "$S" posting_activity --verdict pass --reason '' --by b
bad "needs a reason" review decide "$S" posting_activity --verdict pass --reason '   ' --by b
bad "needs the name" review decide "$S" posting_activity --verdict pass --reason r --by ''
bad "needs --verdict, --reason and --by" review decide "$S" posting_activity --verdict pass --by b
bad "no appeal 42" appeal close 42 --accept --reason r --by b
bad "unknown school" appeal open 79-NO-SUCH posting_activity --by b --text t
bad "an appeal needs a text" appeal open "$S" posting_activity --by b --text ''
bad "does not apply" appeal open "$S" mn_staff --run y2024 --by b --text t
bad "there is no run labelled 'nosuchlabel'" review decide "$S" posting_activity --run nosuchlabel --verdict pass --reason r --by b

# --- decisions ---------------------------------------------------------------
# A first decision, superseded below: the trail keeps both.
pa review decide "$S" posting_activity --verdict missing --reason "Chưa đủ bài" --by "Lê Thị B" >/dev/null
pa review decide "$S" posting_activity --verdict pass --reason "Đủ 40 bài trên trang tin tức" \
    --by "Nguyễn Văn A" --evidence "$(sqlite3 "$db" "SELECT portal_url FROM schools WHERE id = '$S'")tin-tuc/" >"$WORK/decide.out"
assert_contains "$WORK/decide.out" "review: decision 2 recorded: $S posting_activity pass" "review decide says what it recorded"
for item in quality_commitment facilities; do
    pa review decide "$S" "$item" --verdict pass --reason "Trang có số liệu năm học 2017-2018" --by "Nguyễn Văn A" >/dev/null
done

pa report school "$S" --format json -o "$WORK/after.json"
pa report ranking --format json -o "$WORK/rank-after.json"
pa report unit 'Quận 6' --format json -o "$WORK/unit-after.json"
python3 - "$WORK" "$S" <<'PY' || fail "the decisions do not give the hand-computed score and rank"
import json, sys
w, sid = sys.argv[1], sys.argv[2]
before = json.load(open(f"{w}/before.json"))
after = json.load(open(f"{w}/after.json"))
decided = {"posting_activity": "pass", "quality_commitment": "pass", "facilities": "pass"}
credit = {"pass": 1.0, "stale": 0.5, "missing": 0.0, "review": 0.0}
def score(findings, override):
    got = total = 0.0
    for f in findings:
        v = override.get(f["item"], f["verdict"])
        if v == "unreachable":
            continue
        got += f["weight"] * credit[v]
        total += f["weight"]
    return 100 * got / total
assert abs(before["score"] - score(before["findings"], {})) < 1e-3, before["score"]
want = score(before["findings"], decided)
assert abs(after["score"] - want) < 1e-3, (after["score"], want)
assert after["score"] > before["score"] + 10, (before["score"], after["score"])
assert after["rating"] == "C" and before["rating"] == "E", (before["rating"], after["rating"])
finals = {f["item"]: f["verdict"] for f in after["findings"]}
for item, v in decided.items():
    assert finals[item] == v, (item, finals[item])
def rank(path):
    return {s["school"]["id"]: s.get("rank") for s in json.load(open(path))["schools"]}
rb, ra = rank(f"{w}/rank-before.json"), rank(f"{w}/rank-after.json")
assert ra[sid] < rb[sid], (rb, ra)
assert ra["79-Q01-MN-0002"] > rb["79-Q01-MN-0002"], (rb, ra)
def unit_score(path):
    return [s["score"] for s in json.load(open(path))["schools"] if s["school"]["id"] == sid][0]
assert abs(unit_score(f"{w}/unit-after.json") - want) < 1e-3
assert abs(unit_score(f"{w}/unit-before.json") - before["score"]) < 1e-3
print(f"score {before['score']:.4f} -> {after['score']:.4f}, rank {rb[sid]} -> {ra[sid]}")
PY
ok "score (by hand from the weights), rating, rank and the unit report follow the decisions"

# The decision is shown: the review report lists it with who, when and why.
pa report review --school "$S" --format json -o "$WORK/review.json"
python3 - "$WORK/review.json" <<'PY' || fail "report review does not show the decisions"
import json, sys
d = json.load(open(sys.argv[1]))
dec = d["decisions"]
assert [x["id"] for x in dec] == [1, 2, 3, 4], dec
assert dec[0]["state"] == "Đã bị thay thế" and dec[0]["superseded_by"] == 2, dec[0]
assert dec[1]["state"] == "Đang áp dụng" and dec[1]["by"] == "Nguyễn Văn A", dec[1]
assert dec[1]["reason"] == "Đủ 40 bài trên trang tin tức" and dec[1]["at"], dec[1]
assert dec[1]["machine_verdict"] == "review" and dec[1]["verdict"] == "pass"
assert not any(r["item"] == "posting_activity" for r in d["queue"]), d["queue"]
PY
ok "report review shows each decision with who, when, why, and which one is superseded"
for fmt in text html md csv; do
    pa report review --format "$fmt" -o "$WORK/review.$fmt"
    [ -s "$WORK/review.$fmt" ] || fail "report review --format $fmt is empty"
done
assert_contains "$WORK/review.html" "Nguyễn Văn A" "the HTML review report names who decided"
ok "report review renders in text, html, md and csv"
pa review list --format json >"$WORK/queue2.json"
python3 - "$WORK/queue2.json" "$S" <<'PY' || fail "a decided item is still in the queue"
import json, sys
q = json.load(open(sys.argv[1]))["queue"]
assert q, "other schools' review items stay"
assert not any(r["school_id"] == sys.argv[2] and r["item"] == "posting_activity" for r in q), q
PY
ok "a decided item leaves the queue, the others stay"

# --- the trail ---------------------------------------------------------------
pa review trail --format json -o "$WORK/trail.json" 2>/dev/null
pa review trail --format csv >"$WORK/trail.csv"
python3 - "$WORK/trail.json" "$WORK/trail.csv" <<'PY' || fail "the trail is not every decision in order"
import csv, json, sys
t = json.load(open(sys.argv[1]))["decisions"]
assert [x["id"] for x in t] == [1, 2, 3, 4], t
assert [x["item"] for x in t] == ["posting_activity", "posting_activity", "quality_commitment", "facilities"]
assert t[0]["verdict"] == "missing" and t[0]["superseded_by"] == 2 and t[0]["by"] == "Lê Thị B"
assert t[1]["superseded_by"] is None and t[1]["evidence_url"].endswith("/tin-tuc/")
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig")))
assert [r["id"] for r in rows] == ["1", "2", "3", "4"], rows
assert rows[0]["superseded_by"] == "2"
PY
ok "review trail (json, csv) lists every decision in order, the superseded one marked"
if pa review trail --format xlsx -o "$WORK/trail.xlsx" 2>"$WORK/x.err"; then
    [ -s "$WORK/trail.xlsx" ] || fail "trail.xlsx is empty"
    ok "review trail --format xlsx writes a workbook"
else
    assert_contains "$WORK/x.err" "xlsx" "without libxlsxwriter the xlsx trail says so"
fi
pa review trail --school 79-Q01-MN-0002 --format csv >"$WORK/none.csv"
assert_eq "$(wc -l <"$WORK/none.csv")" 1 "a selection without decisions gives the header alone"

# Decisions are append-only, in the database too.
if sqlite3 "$db" "UPDATE decisions SET verdict = 'missing'" 2>/dev/null; then
    fail "a decision could be changed"
fi
if sqlite3 "$db" "DELETE FROM decisions" 2>/dev/null; then
    fail "a decision could be deleted"
fi
assert_eq "$(sqlite3 "$db" 'SELECT count(*) FROM decisions')" 4 "UPDATE and DELETE of decisions are refused"
