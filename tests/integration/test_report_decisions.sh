#!/usr/bin/env bash
# A person's decision shows in every report (issue 13, point 3): audit the
# sample city on loopback, decide one "Cần xem xét" item, and the school's
# report (HTML, JSON, CSV, text) shows the final and the machine verdict
# with who, when and why, escaped; the score is re-computed by hand and the
# ranking ranks by it; the unit table and the notice letter name the
# decision; a school nobody decided on renders byte for byte as before.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
db=$WORK/t.db
samples_audited "$db"
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
lvs=79-Q03-TH-0003 # Trường Tiểu học Lê Văn Sĩ: 91.6667 (110 of 120), tied first
out=$WORK/out
mkdir -p "$out/before"
pa report school 79-Q01-THCS-0001 --format json -o "$out/before/nd.json" 2>/dev/null
pa report school 79-Q01-THCS-0001 --format html -o "$out/before/nd.html" 2>/dev/null
pa report ranking --format json -o "$out/before/ranking.json" 2>/dev/null
assert_contains "$out/before/ranking.json" '"score": 91.6667' "the machine score before any decision"
assert_not_contains "$out/before/ranking.json" '"decisions"' "no decision keys before any decision"

# posting_activity (weight 5 of 120) is "review": a person decides it
# passes.  Who and why carry markup, a formula and a bidi control.
by='=Nguyễn Văn A <b>Phòng GD</b>'
reason=$'Trang tin tức có 45 bài <script>alert(1)</script> | đủ \xe2\x80\xae'
pa review decide "$lvs" posting_activity --verdict pass --by "$by" --reason "$reason" \
    --evidence "http://thlevansi.hcm.edu.vn:$TS_PORT/tin-tuc/?a=1&b=2" >/dev/null
for f in html json csv text md; do
    pa report school "$lvs" --format $f -o "$out/lvs.$f" 2>/dev/null
done
# By hand: (110 + 5) / 120 = 95.8333 after, 91.6667 before.
h=$out/lvs.html
assert_contains "$h" '<div class="big">95,8<small>' "HTML: the final score"
assert_contains "$h" 'Điểm trước khi xem xét: 91,7 / 100, xếp loại A (1 mục đã được người xem xét)' \
    "HTML: the score before review"
assert_contains "$h" '<span class="v v-pass">Đạt</span><div class="looked">Máy đánh giá: <span class="v v-review">Cần xem xét</span></div>' \
    "HTML: the final verdict with the machine's beside it"
assert_contains "$h" '<b>Người xem xét:</b> =Nguyễn Văn A &lt;b&gt;Phòng GD&lt;/b&gt;' "HTML: who, escaped"
assert_contains "$h" '<b>Lý do:</b> Trang tin tức có 45 bài &lt;script&gt;alert(1)&lt;/script&gt; | đủ �' \
    "HTML: why, escaped, the bidi control neutralised"
assert_contains "$h" "href=\"http://thlevansi.hcm.edu.vn:$TS_PORT/tin-tuc/?a=1&amp;b=2\"" \
    "HTML: the reviewer's evidence as a link"
grep -qE '<b>Thời điểm xem xét:</b> 20[0-9]{2}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}' "$h" ||
    fail "HTML: when the decision was made"
assert_not_contains "$h" '<script>' "HTML: no raw script"
j=$out/lvs.json
python3 - "$j" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
assert d['score'] == 95.8333, d['score']
assert d['machine_score'] == 91.6667, d['machine_score']
assert d['decisions'] == {'applied': 1, 'outdated': 0}, d['decisions']
f = [x for x in d['findings'] if x['item'] == 'posting_activity'][0]
assert f['verdict'] == 'pass' and f['machine_verdict'] == 'review', f
assert f['decision_state'] == 'applied', f
dd = f['decision']
assert dd['verdict'] == 'pass' and dd['by'] == '=Nguyễn Văn A <b>Phòng GD</b>', dd
assert dd['reason'].startswith('Trang tin tức có 45 bài <script>'), dd
assert dd['evidence_url'].endswith('/tin-tuc/?a=1&b=2') and dd['at'], dd
others = [x for x in d['findings'] if x['item'] != 'posting_activity']
assert all('decision' not in x and 'machine_verdict' not in x for x in others), others
PY
ok "JSON: final and machine verdict, the decision and both scores"
assert_contains "$j" '\u202e' "JSON escapes the bidi control"
c=$out/lvs.csv
assert_contains "$c" ",review,applied,1,pass,'=Nguyễn Văn A <b>Phòng GD</b>," \
    "CSV: machine verdict, state, decision, and who with the formula defused"
assert_contains "$c" ',Cần xem xét,Đã xem xét' "CSV: the Vietnamese of the machine verdict and state"
assert_contains "$out/lvs.text" "      Máy đánh giá: Cần xem xét" "text: the machine verdict"
assert_contains "$out/lvs.md" "| Đạt (máy đánh giá: Cần xem xét) |" "Markdown: the machine verdict beside"
for f in html csv text md; do
    if grep -qF -- $'\xe2\x80\xae' "$out/lvs.$f"; then fail "$f: U+202E passes raw"; fi
done
ok "the bidi control never passes raw"

# The ranking uses the final score: Lê Văn Sĩ alone first, Nguyễn Du second.
pa report ranking --format json -o "$out/ranking.json" 2>/dev/null
pa report ranking --format csv -o "$out/ranking.csv" 2>/dev/null
python3 - "$out/ranking.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding='utf-8'))
s = {x['school']['id']: x for x in d['schools']}
lvs, nd = s['79-Q03-TH-0003'], s['79-Q01-THCS-0001']
assert (lvs['score'], lvs['rank'], lvs['machine_score']) == (95.8333, 1, 91.6667), lvs
assert (nd['score'], nd['rank']) == (91.6667, 2) and 'machine_score' not in nd, nd
assert d['schools'][0]['school']['id'] == '79-Q03-TH-0003'
PY
ok "ranking JSON: the final score ranks Lê Văn Sĩ first"
assert_contains "$out/ranking.csv" "$lvs,Trường Tiểu học Lê Văn Sĩ,Quận 3,th,95.8333,A,true,,1,1,Tiểu học,,1,0,91.6667" \
    "ranking CSV: final score, rank, decided count and machine score"
pa report unit 'Quận 3' --format text -o "$out/unit.text" 2>/dev/null
assert_contains "$out/unit.text" "Đã xem xét" "the unit table has a reviewed column"
assert_contains "$out/unit.text" "1 mục (điểm trước khi xem xét: 91,7)" "the unit table shows the decision"

# A decision confirming a missing item: the notice letter names it.
mn=79-Q01-MN-0002
pa review decide "$mn" learning_materials --verdict missing --by "Trần Thị B" \
    --reason "Không có học liệu nào được đăng" >/dev/null
pa report notice --school "$mn" -o "$out/letters" 2>/dev/null
assert_contains "$out/letters/cong-van-$mn.html" "Kết quả đã được xem xét bởi Trần Thị B ngày " \
    "the letter says who decided"
assert_contains "$out/letters/cong-van-$mn.html" "(máy đánh giá: Thiếu). Lý do: Không có học liệu nào được đăng." \
    "the letter gives the machine verdict and the reason"

# A school nobody decided on: the same bytes as before any decision.
pa report school 79-Q01-THCS-0001 --format json -o "$out/nd.json" 2>/dev/null
pa report school 79-Q01-THCS-0001 --format html -o "$out/nd.html" 2>/dev/null
cmp "$out/before/nd.json" "$out/nd.json" || fail "an undecided school's JSON changed"
cmp "$out/before/nd.html" "$out/nd.html" || fail "an undecided school's HTML changed"
ok "an undecided school renders byte for byte as before"
