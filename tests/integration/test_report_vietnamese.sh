#!/usr/bin/env bash
# Everything a person reads is Vietnamese: a store holding every verdict,
# every failure reason of the crawler and every English note of the audit
# (the strings as crawler/, rules/ and app/audit_one.c write them) renders
# every report kind (school, unit, city, ranking, adoption, compare) in
# every human format (text, md, html) with none of the program's English
# messages, raw date sources, level codes, report kinds or database ids;
# CSV and JSON carry the Vietnamese beside the stored codes (*_vi). Every
# finding that is not a pass says where the program looked, and a missing
# or stale one how to fix it.  Bidi controls from the registry never reach
# any format raw.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
ts_start "$PA_SOURCE/samples/www" 127.0.0.1
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s/{port}/$TS_PORT/g" -e "s/{deadport}/$dead/g" "$PA_SOURCE/samples/schools.csv" >"$WORK/schools.csv"
# One school per failure reason (crawled on the dead port, its reason set
# below), and one with a U+202E in its name.
reasons=(
    "dns" "connect" "timeout" "tls" "redirects" "protocol" "network" "parked" "unreachable"
    "site not reachable" "not included in the crawl" "crawl of this site did not finish"
    "site time budget exceeded" "robots" "robots (robots.txt: http 503)"
    "robots: Crawl-delay 120 s above the cap of 60 s" "http 404" "http 500"
    "not html (application/pdf)" "not html (no type)" "invalid start URL: htp://x"
    "address guard: 10.0.0.5 not allowed" "address guard: non-IP address not allowed"
    "body exceeds 10485760 bytes"
)
for i in "${!reasons[@]}"; do
    printf '79-X-TH-%03d,Trường Tiểu học Lỗi %d,Quận 9,th,cong_lap,http://loi%d.hcm.edu.vn:%s/\n' \
        "$i" "$i" "$i" "$dead" >>"$WORK/schools.csv"
done
printf '79-X-TH-BIDI,Trường \xe2\x80\xaeFDP.exe,Quận 9,th,cong_lap,\n' >>"$WORK/schools.csv"
grep -ohE 'https?://[^:/]+' "$WORK/schools.csv" | sed 's|https\?://||' | sort -u |
    awk '{print $1, "127.0.0.1"}' >"$WORK/hosts"
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet >/dev/null # run 2
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet >/dev/null # run 3

# Every reason, as the crawler stores it, on its school in the newest audit.
for i in "${!reasons[@]}"; do
    r=${reasons[$i]//\'/\'\'}
    id=$(printf '79-X-TH-%03d' "$i")
    sqlite3 "$db" "UPDATE scores SET reason = '$r' WHERE run_id = 3 AND school_id = '$id';
                   UPDATE findings SET note = '$r' WHERE run_id = 3 AND school_id = '$id';"
done
# Every English note of the audit and every date source on the findings of
# Nguyễn Du, with every verdict.
sqlite3 "$db" <<'SQL'
CREATE TEMP TABLE n (ord INTEGER, note TEXT, src TEXT, verdict TEXT);
INSERT INTO n VALUES
 (0, 'page dated 2017-09-15 (page)', 'label', 'pass'),
 (1, 'attachment http://x/a.pdf; page dated 2017-09-15 (meta)', 'body', 'pass'),
 (2, '4 posts dated 2017-08-01 to 2018-05-15 (want 40): 0 from 0 news list pages, 4 from article pages only; no news list with dated posts found', 'document', 'review'),
 (3, '12 posts dated 2017-08-01 to 2018-05-15 (want 40): 3 from 1 news list page, 9 from article pages only', 'title', 'stale'),
 (4, 'disclosure section has no part for the current school year; portal host (none) is not under hcm.edu.vn', 'page', 'stale'),
 (5, 'item found without a year label: a person should check it', 'meta', 'review'),
 (6, 'item found but undated: a person should check it', 'sitemap', 'review'),
 (7, 'no year label; dated 2015-03-01, before TT 36/2017/TT-BGDĐT took effect on 2018-02-13: an earlier regime''s disclosure', 'http', 'stale'),
 (8, 'posted 2024-10-30 (page), 25 working days after the document dated 2024-09-05: over the 10 allowed', 'page', 'review'),
 (9, 'portal host x.example.com is not under hcm.edu.vn; mục trong bài đăng chung', NULL, 'missing');
UPDATE findings SET
  note = (SELECT note FROM n WHERE n.ord = findings.ord),
  date_source = (SELECT src FROM n WHERE n.ord = findings.ord),
  date = CASE WHEN (SELECT src FROM n WHERE n.ord = findings.ord) IS NULL THEN NULL ELSE '2017-09-15' END,
  verdict = (SELECT verdict FROM n WHERE n.ord = findings.ord)
WHERE run_id = 3 AND school_id = '79-Q01-THCS-0001' AND ord IN (SELECT ord FROM n);
SQL
verdicts=$(sqlite3 "$db" "SELECT group_concat(DISTINCT verdict) FROM (SELECT verdict FROM findings WHERE run_id = 3 ORDER BY verdict)")
assert_eq "$verdicts" "missing,pass,review,stale,unreachable" "the store holds every verdict"

# A person's decision on one of them (issue 13): its words show too.
item=$(sqlite3 "$db" "SELECT item FROM findings WHERE run_id = 3 AND school_id = '79-Q01-THCS-0001'
                      AND verdict = 'review' ORDER BY ord LIMIT 1")
pa review decide 79-Q01-THCS-0001 "$item" --verdict pass --by "Nguyễn Văn A" \
    --reason "Đã kiểm tra trang, đủ nội dung" >/dev/null

out=$WORK/out
mkdir -p "$out"
for f in text md html csv json xlsx; do
    pa report school 79-Q01-THCS-0001 --format $f -o "$out/school-ok.$f" 2>/dev/null
    pa report school 79-X-TH-016 --format $f -o "$out/school-http.$f" 2>/dev/null
    pa report school 79-Q03-MN-0006 --format $f -o "$out/school-nourl.$f" 2>/dev/null
    pa report unit 'Quận 9' --format $f -o "$out/unit.$f" 2>/dev/null
    pa report city --format $f -o "$out/city.$f" 2>/dev/null
    pa report ranking --format $f -o "$out/ranking.$f" 2>/dev/null
    pa report adoption --format $f -o "$out/adoption.$f" 2>/dev/null
    pa report city --compare 2 --format $f -o "$out/compare-city.$f" 2>/dev/null
    pa report school 79-Q01-THCS-0001 --compare 2 --format $f -o "$out/compare-school.$f" 2>/dev/null
done
ok "every kind renders in every format"

# The program's own English, as it writes it (crawler/, rules/eval*.c,
# app/audit_one.c): none of it may reach what people read.
english=(
    "page dated" "posts dated" "(want " "news list" "article pages" "disclosure section"
    "year label" "a person should" "undated" "took effect" "earlier regime" "working days"
    "attachment http" "portal host" "hcm.edu.vn is" "not reachable" "no portal URL"
    "not included" "did not finish" "time budget" "Crawl-delay" "robots.txt: http" "not html"
    "invalid start URL" "address guard" "not allowed" "body exceeds" "HCMC rubric"
    "(label)" "(page)" "(body)" "(meta)" "(sitemap)" "(http)" "(title)" "(document)"
)
# Whole words the crawler stores as reasons, report kinds and level codes.
words='\b(dns|connect|timeout|tls|redirects|protocol|network|parked|unreachable|city|unit|ranking|adoption)\b'
levels='(Cấp học:? *(\*\*)? *(mn|th|thcs|thpt|gdtx)\b|<td>(mn|th|thcs|thpt|gdtx|th\+thcs)</td>|\| (mn|th|thcs|thpt|gdtx|th\+thcs) \|)'
# Text that is the program's, not a crawled page's: URLs and the school
# names of the registry are data.  Strip URLs and HTML tags/attributes.
visible() {
    sed -E -e 's#<style>.*</style>##' -e 's#https?://[^ <>"«»|]*##g' -e 's#<[^>]*>#\n#g' "$1"
}
for f in "$out"/*.text "$out"/*.md "$out"/*.html; do
    v=$WORK/visible
    visible "$f" >"$v"
    for e in "${english[@]}"; do
        if grep -qF -- "$e" "$v"; then
            grep -nF -- "$e" "$v" | head -3 >&2
            fail "$(basename "$f"): English '$e' shown to people"
        fi
    done
    if grep -qE -- "$words" "$v"; then
        grep -nE -- "$words" "$v" | head -3 >&2
        fail "$(basename "$f"): a stored English word is shown to people"
    fi
    if grep -qE -- "$levels" "$f"; then
        fail "$(basename "$f"): a level code is shown instead of its name"
    fi
    if grep -qE -- 'Lần (đánh giá|thu thập)[^ ]*:? *[0-9]|(đánh giá|thu thập)</dt><dd>[0-9]+<' "$f"; then
        fail "$(basename "$f"): a run is named by its database id"
    fi
done
ok "text, Markdown and HTML show none of the program's English"

# XLSX: the strings of every workbook (the shared string table).
for f in "$out"/*.xlsx; do
    unzip -p "$f" xl/sharedStrings.xml 2>/dev/null |
        python3 -c 'import html, re, sys; [print(html.unescape(t)) for t in re.findall(r"<t[^>]*>(.*?)</t>", sys.stdin.read(), re.S)]' |
        sed -E 's#https?://[^ ]*##g' >"$WORK/xstrings"
    [ -s "$WORK/xstrings" ] || fail "$(basename "$f"): no strings read from the workbook"
    for e in "${english[@]}"; do
        if grep -qF -- "$e" "$WORK/xstrings"; then
            grep -nF -- "$e" "$WORK/xstrings" | head -3 >&2
            fail "$(basename "$f"): English '$e' shown to people"
        fi
    done
done
unzip -p "$out/school-ok.xlsx" xl/sharedStrings.xml >"$WORK/xdecided"
for w in "Máy đánh giá" "Trạng thái xem xét" "Người xem xét" "Điểm trước khi xem xét" \
    "Số mục đã được người xem xét" "Đã kiểm tra trang, đủ nội dung"; do
    assert_contains "$WORK/xdecided" "$w" "XLSX of a decided school: $w"
done
unzip -p "$out/ranking.xlsx" xl/sharedStrings.xml >"$WORK/xdecided"
assert_contains "$WORK/xdecided" "Đã xem xét" "XLSX ranking: the reviewed column"
ok "XLSX shows none of the program's English"

# CSV and JSON keep the stored codes; the Vietnamese beside them is clean.
python3 - "$out" "${english[@]}" <<'PY'
import csv, glob, json, re, sys
out, english = sys.argv[1], sys.argv[2:]
words = re.compile(r'\b(dns|connect|timeout|tls|redirects|protocol|network|parked|unreachable)\b')
url = re.compile(r'https?://\S*')
bad = []
def check(where, text):
    if text is None:
        return
    t = url.sub('', str(text))
    for e in english:
        if e in t:
            bad.append(f"{where}: {e!r} in {text!r}")
    if words.search(t):
        bad.append(f"{where}: stored word in {text!r}")
def human(key):
    return key.endswith('_vi') or key == 'requirement'
seen = set()
for path in glob.glob(out + '/*.json'):
    def walk(v, where):
        if isinstance(v, dict):
            for k, x in v.items():
                if human(k):
                    seen.add(k)
                    check(f"{where}.{k}", x)
                walk(x, f"{where}.{k}")
        elif isinstance(v, list):
            for i, x in enumerate(v):
                walk(x, f"{where}[{i}]")
    walk(json.load(open(path, encoding='utf-8')), path.rsplit('/', 1)[1])
for path in glob.glob(out + '/*.csv'):
    rows = list(csv.DictReader(open(path, encoding='utf-8-sig', newline='')))
    for i, row in enumerate(rows):
        for k, x in row.items():
            if k and human(k):
                seen.add(k)
                check(f"{path.rsplit('/', 1)[1]}:{i + 2}.{k}", x)
want = {'verdict_vi', 'note_vi', 'requirement', 'looked_vi', 'remedy_vi', 'level_vi',
        'reason_vi', 'unreachable_reason_vi', 'date_source_vi', 'machine_verdict_vi',
        'decision_state_vi'}
if want - seen:
    bad.append(f"labels never written: {sorted(want - seen)}")
if bad:
    print("\n".join(bad[:20]), file=sys.stderr)
    sys.exit(1)
PY
ok "CSV and JSON carry clean Vietnamese labels beside the codes"

# Actionable: a missing item states the requirement with its article,
# where the program looked and the remedy for the audited year; the
# reasons read as Vietnamese.
t=$out/school-ok.text
assert_contains "$t" "Yêu cầu: Thông tư 09/2009/TT-BGDĐT" "a finding states its requirement"
assert_contains "$t" "Đã tìm: Chương trình đã đọc" "a missing finding says where the program looked"
assert_contains "$t" "tiêu đề ghi rõ năm học 2017-2018" "the remedy names the audited school year"
assert_contains "$t" "(theo nhãn năm học)" "date sources read as Vietnamese"
assert_contains "$out/school-http.text" "máy chủ trả mã lỗi HTTP 404" "http N reads as Vietnamese"
assert_contains "$out/city.html" "bị chặn vì 10.0.0.5 là địa chỉ mạng nội bộ" "the address guard reads as Vietnamese"
assert_contains "$out/school-nourl.md" "chưa đăng ký địa chỉ cổng thông tin" "no portal URL reads as Vietnamese"
# Provenance: crawl span, audit time and count, program version.
for f in "$out/school-ok.text" "$out/city.md" "$out/adoption.html"; do
    assert_contains "$f" "lần thu thập thứ 1" "$(basename "$f"): the crawl is counted"
    assert_contains "$f" "lần đánh giá thứ 2" "$(basename "$f"): the audit is counted (second audit)"
    assert_contains "$f" "portal-audit " "$(basename "$f"): names the program version"
done
assert_contains "$out/city.json" '"provenance": {"crawl_from": "' "JSON states the crawl span"

# Bidi controls from the registry: never raw, in reports and in schools list.
bidi=$'\xe2\x80\xae'
for f in "$out"/city.* "$out"/ranking.*; do
    case $f in *.xlsx) unzip -p "$f" >"$WORK/x" ;; *) cp "$f" "$WORK/x" ;; esac
    if grep -qF -- "$bidi" "$WORK/x"; then
        fail "$(basename "$f"): U+202E passes raw"
    fi
done
for fmt in table csv json; do
    pa schools list --format $fmt >"$WORK/list.$fmt"
    if grep -qF -- "$bidi" "$WORK/list.$fmt"; then
        fail "schools list --format $fmt: U+202E passes raw"
    fi
done
assert_contains "$WORK/list.json" '\u202e' "schools list json escapes U+202E"
ok "bidi controls are neutralised in every format"
