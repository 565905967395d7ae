#!/usr/bin/env bash
# Decisions across audits (docs/REVIEW.md): a re-audit of the same crawl
# with the same decisions gives byte-identical reports; a re-crawl with
# unchanged pages keeps every decision; once the evidence page changes the
# decision is "cần xem xét lại" and the machine verdict applies.  Appeals:
# one accepted (a decision is recorded), one rejected (nothing changes).
# A decision on portal_reachable changes the adoption table.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
# The sample portals, copied so that a page can change between crawls.
cp -r "$PA_SOURCE/samples/www" "$WORK/www"
ts_start "$WORK/www" 127.0.0.1
dead=$(free_port)
sed -e "s/{port}/$TS_PORT/g" -e "s/{deadport}/$dead/g" "$PA_SOURCE/samples/schools.csv" >"$WORK/schools.csv"
grep -oE 'https?://[^:/]+' "$WORK/schools.csv" | sed 's|https\?://||' | sort -u |
    awk '{print $1, "127.0.0.1"}' >"$WORK/hosts"
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
crawl() { pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null; }
audit() { pa audit --period 2017-2018 --as-of 2018-05-15 --quiet; }
S=79-Q06-THPT-0004
DEAD=79-Q06-TH-0005
portal=$(awk -F, -v s="$S" '$1 == s { print $NF }' "$WORK/schools.csv")
news=${portal}tin-tuc/
page=$WORK/www/thpt-anlac.edu.vn/cong-khai/cam-ket-chat-luong/index.html

pa schools import "$WORK/schools.csv" >/dev/null
crawl
audit
pa report school "$S" --format json -o "$WORK/machine.json" 2>/dev/null
pa review decide "$S" posting_activity --verdict pass --reason "Đủ bài trên trang tin tức" \
    --by "Nguyễn Văn A" --evidence "$news" >/dev/null
pa review decide "$S" quality_commitment --verdict pass --reason "Có số liệu năm học 2017-2018" \
    --by "Nguyễn Văn A" >/dev/null
pa review decide "$DEAD" portal_reachable --verdict pass --reason "Cổng hoạt động khi kiểm tra tay" \
    --by "Trần C" >/dev/null

reports() { # DIR: the JSON reports of the newest audit run
    mkdir -p "$1"
    pa report school "$S" --format json -o "$1/school.json" 2>/dev/null
    pa report unit 'Quận 6' --format json -o "$1/unit.json" 2>/dev/null
    pa report city --format json -o "$1/city.json" 2>/dev/null
    pa report ranking --format json -o "$1/ranking.json" 2>/dev/null
    pa report adoption --format json -o "$1/adoption.json" 2>/dev/null
    pa report review --format json -o "$1/review.json" 2>/dev/null
    pa report review --format csv -o "$1/review.csv" 2>/dev/null
    pa review list --verdict all --format json >"$1/queue.json"
}
score_of() { python3 -c 'import json,sys; print(round(json.load(open(sys.argv[1]))["score"], 4))' "$1"; }
final_of() { # FILE ITEM: the final verdict of ITEM in a school report
    python3 -c 'import json,sys; print([f["verdict"] for f in json.load(open(sys.argv[1]))["findings"] if f["item"] == sys.argv[2]][0])' "$1" "$2"
}
reports "$WORK/a"
# --- (d) a re-audit of the same crawl with the same decisions ---------------
audit
reports "$WORK/b"
for f in school unit city ranking adoption review; do
    cmp "$WORK/a/$f.json" "$WORK/b/$f.json" || fail "$f.json differs between two audits of the same crawl"
done
cmp "$WORK/a/review.csv" "$WORK/b/review.csv" || fail "review.csv differs"
ok "with decisions, a re-audit of the same crawl gives byte-identical reports"

machine=$(score_of "$WORK/machine.json")
decided=$(score_of "$WORK/a/school.json")
python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); assert abs(b - a - 100 * (5 + 20 * 0.5) / 120) < 1e-3, (a, b)" \
    "$machine" "$decided" || fail "two decisions should add 12.5 points to $machine, got $decided"
ok "the decisions count: $machine -> $decided"
python3 - "$WORK/a/adoption.json" <<'PY' || fail "adoption does not use the decided portal_reachable"
import json, sys
d = json.load(open(sys.argv[1]))
assert d["total"]["all"]["with_portal"] == 5, d["total"]
PY
ok "adoption counts the portal a person decided works (5 of 6, the machine said 4)"

# --- (b) a re-crawl with unchanged pages keeps the decisions ----------------
crawl
audit
reports "$WORK/c"
assert_eq "$(score_of "$WORK/c/school.json")" "$decided" "a re-crawl with the same pages keeps the decided score"
assert_eq "$(final_of "$WORK/c/school.json" quality_commitment)" pass "and the decided verdict"
python3 - "$WORK/a/review.json" "$WORK/c/review.json" <<'PY' || fail "the decisions' states changed with unchanged pages"
import json, sys
a, c = (json.load(open(p))["decisions"] for p in sys.argv[1:])
assert a == c and all(x["state"] == "Đang áp dụng" for x in c), (a, c)
PY
ok "decisions carry over a re-crawl of unchanged pages"

# --- (b) the evidence page changes: the decision needs a new review -----------
sleep 1.1 # a new Last-Modified second for the changed page
sed -i 's|</body>|<p>Cập nhật lại trang.</p></body>|' "$page"
grep -q 'Cập nhật lại trang' "$page" || fail "the sample page did not change"
crawl
audit
reports "$WORK/d"
machine_v=$(sqlite3 "$db" "SELECT verdict FROM findings WHERE school_id = '$S' AND item = 'quality_commitment' AND run_id = (SELECT max(id) FROM runs WHERE kind = 'audit')")
assert_eq "$(final_of "$WORK/d/school.json" quality_commitment)" "$machine_v" "the machine verdict applies again once the evidence page changed"
assert_eq "$(final_of "$WORK/d/school.json" posting_activity)" pass "the decision whose evidence page did not change still applies"
python3 - "$WORK/d" "$machine_v" <<'PY' || fail "the outdated decision is not marked for a new review"
import json, sys
d, mv = sys.argv[1], sys.argv[2]
q = json.load(open(f"{d}/queue.json"))["queue"]
rows = [r for r in q if r["item"] == "quality_commitment" and r["school_id"] == "79-Q06-THPT-0004"]
assert len(rows) == 1 and rows[0]["state"] == "Cần xem xét lại" and rows[0]["decision"] == 2, rows
assert rows[0]["machine_verdict"] == mv
assert not any(r["item"] == "posting_activity" and r["school_id"] == "79-Q06-THPT-0004" for r in q)
rv = json.load(open(f"{d}/review.json"))
states = {x["id"]: x["state"] for x in rv["decisions"]}
assert states == {1: "Đang áp dụng", 2: "Cần xem xét lại", 3: "Đang áp dụng"}, states
assert any(r["item"] == "quality_commitment" and r["state"] == "Cần xem xét lại" for r in rv["queue"])
PY
ok "the changed evidence page puts the decision back in the queue as 'Cần xem xét lại'"
python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); assert abs(b - a - 100 * 5 / 120) < 1e-3, (a, b)" \
    "$machine" "$(score_of "$WORK/d/school.json")" || fail "only the applying decision should count now"
ok "the score counts the applying decision only"
# Deciding again settles it.
pa review decide "$S" quality_commitment --verdict pass --reason "Đã xem lại trang mới" --by "Nguyễn Văn A" >/dev/null
pa report school "$S" --format json -o "$WORK/e.json" 2>/dev/null
assert_eq "$(final_of "$WORK/e.json" quality_commitment)" pass "a new decision on the changed page applies"

# --- (c) appeals ------------------------------------------------------------
before=$(score_of "$WORK/e.json")
pa appeal open "$S" learning_materials --by "Hiệu trưởng" --text "Trường có mục học liệu" \
    --evidence "$portal" >"$WORK/open1.out"
assert_contains "$WORK/open1.out" "appeal 1 opened" "appeal open names the new appeal"
pa report school 79-Q01-MN-0002 --format json -o "$WORK/mn-before.json" 2>/dev/null
pa appeal open 79-Q01-MN-0002 staff --by "Hiệu trưởng MN" --text "Danh sách giáo viên có trên trang" >/dev/null
pa appeal list --format json >"$WORK/appeals.json"
python3 - "$WORK/appeals.json" <<'PY' || fail "appeal list does not show the open appeals"
import json, sys
a = json.load(open(sys.argv[1]))["appeals"]
assert [(x["id"], x["school_id"], x["item"], x["state"]) for x in a] == [
    (1, "79-Q06-THPT-0004", "learning_materials", "Đang mở"),
    (2, "79-Q01-MN-0002", "staff", "Đang mở")], a
assert a[0]["verdict"] == "missing" and a[0]["text"] == "Trường có mục học liệu"
PY
ok "appeal list shows both open appeals with the contested verdict"
ndec=$(sqlite3 "$db" "SELECT count(*) FROM decisions")
pa appeal close 1 --accept --reason "Đã kiểm tra, có học liệu" --by "Phòng GD" >/dev/null
assert_eq "$(sqlite3 "$db" "SELECT count(*) FROM decisions WHERE appeal_id = 1")" 1 "accepting records a decision"
pa report school "$S" --format json -o "$WORK/f.json" 2>/dev/null
assert_eq "$(final_of "$WORK/f.json" learning_materials)" pass "the accepted appeal's verdict is final"
python3 -c "import sys; a, b = float(sys.argv[1]), float(sys.argv[2]); assert abs(b - a - 100 * 5 / 120) < 1e-3, (a, b)" \
    "$before" "$(score_of "$WORK/f.json")" || fail "the accepted appeal should add 5/120"
ok "the accepted appeal re-scores the school"
pa appeal close 2 --reject --reason "Không thấy danh sách" --by "Phòng GD" >/dev/null
assert_eq "$(sqlite3 "$db" "SELECT count(*) FROM decisions")" "$((ndec + 1))" "rejecting records no decision"
pa report school 79-Q01-MN-0002 --format json -o "$WORK/mn-after.json" 2>/dev/null
cmp "$WORK/mn-before.json" "$WORK/mn-after.json" || fail "a rejected appeal changed the school's report"
ok "a rejected appeal changes nothing"
pa appeal list --format json >"$WORK/open.json"
python3 -c 'import json,sys; assert json.load(open(sys.argv[1]))["appeals"] == []' "$WORK/open.json" ||
    fail "closed appeals are still listed as open"
pa appeal list --all --format csv >"$WORK/all.csv"
assert_contains "$WORK/all.csv" "1,Chấp nhận," "appeal list --all shows the accepted one"
assert_contains "$WORK/all.csv" "2,Bác bỏ," "and the rejected one"
rc=0
pa appeal close 2 --accept --reason r --by b 2>"$WORK/closed.err" || rc=$?
assert_eq "$rc" 2 "closing a closed appeal exits 2"
assert_contains "$WORK/closed.err" "appeal 2 is already closed (rejected)" "and says so"
assert_eq "$(sqlite3 "$db" "SELECT count(*) FROM decisions")" "$((ndec + 1))" "and writes nothing"
