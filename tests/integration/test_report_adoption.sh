#!/usr/bin/env bash
# `report adoption` (dispatch 3630's appendix) over a registry that mixes
# schools without a portal URL, schools whose URL is dead (a loopback port
# nothing listens on), schools whose portal works, multi-level schools and a
# school registered after the audit: exact counts per unit and level in
# every format.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
ts_start "$PA_SOURCE/samples/www" 127.0.0.1
port=$TS_PORT
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }

cat >"$WORK/schools.csv" <<EOF
school_id,name,unit,level,ownership,portal_url
P2-MN-1,Trường Mầm non Một,Phường 2,mn,cong_lap,http://mnhoasen5.q1.hcm.edu.vn:$port/
P2-TH-2,Trường Tiểu học Hai,Phường 2,th,cong_lap,
P2-THCS-3,Trường THCS Ba,Phường 2,thcs,cong_lap,http://thcsba.hcm.edu.vn:$dead/
P2-MULTI-4,Trường Liên cấp Bốn,Phường 2,th+thcs,ngoai_cong_lap,http://thlevansi.hcm.edu.vn:$port/
P10-THPT-5,Trường THPT Năm,Phường 10,thpt,cong_lap,http://thpt-anlac.edu.vn:$port/
P10-GDTX-6,Trung tâm GDTX Sáu,Phường 10,gdtx,cong_lap,http://gdtxsau.hcm.edu.vn:$dead/
P10-MULTI-7,Trường Liên cấp Bảy,Phường 10,thcs+thpt,ngoai_cong_lap,
EOF
cat >"$WORK/hosts" <<EOF
mnhoasen5.q1.hcm.edu.vn 127.0.0.1
thcsba.hcm.edu.vn 127.0.0.1
thlevansi.hcm.edu.vn 127.0.0.1
thpt-anlac.edu.vn 127.0.0.1
gdtxsau.hcm.edu.vn 127.0.0.1
EOF
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --timeout 5 --quiet >/dev/null
# Registered before the audit but left out of it: in the registry the run
# keeps, absent from its results.  (A school registered after an audit is
# not in that run's registry at all: a finished run never changes.)
printf 'school_id,name,unit,level,ownership,portal_url\nP10-MN-8,Trường Mầm non Tám,Phường 10,mn,cong_lap,http://thcsnguyendu.hcm.edu.vn:%s/\n' \
    "$port" >"$WORK/late.csv"
pa schools import "$WORK/late.csv" >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet \
    --school P2-MN-1 P2-TH-2 P2-THCS-3 P2-MULTI-4 P10-THPT-5 P10-GDTX-6 P10-MULTI-7

for f in json csv text md html xlsx; do
    pa report adoption --format "$f" -o "$WORK/adoption.$f" 2>/dev/null
    [ -s "$WORK/adoption.$f" ] || fail "adoption.$f is empty"
done
ok "adoption report written in every format"

python3 - "$WORK/adoption.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
def c(wp, n):
    return {"with_portal": wp, "schools": n, "rate": (None if n == 0 else wp / n)}
want = {
    "Phường 2": {"all": c(2, 4), "mn": c(1, 1), "th": c(1, 2), "thcs": c(1, 2), "thpt": c(0, 0), "gdtx": c(0, 0)},
    "Phường 10": {"all": c(1, 4), "mn": c(0, 1), "th": c(0, 0), "thcs": c(0, 1), "thpt": c(1, 2), "gdtx": c(0, 1)},
}
total = {"all": c(3, 8), "mn": c(1, 2), "th": c(1, 2), "thcs": c(1, 3), "thpt": c(1, 2), "gdtx": c(0, 1)}
errs = []
units = [u["unit"] for u in d["units"]]
if units != ["Phường 2", "Phường 10"]:
    errs.append(f"unit order {units} (want natural order: Phường 2 before Phường 10)")
def close(a, b):
    if a is None or b is None:
        return a is b
    return abs(a - b) < 1e-5
def check(where, got, exp):
    for lv, e in exp.items():
        g = got.get(lv)
        if g is None or g["with_portal"] != e["with_portal"] or g["schools"] != e["schools"] or not close(g["rate"], e["rate"]):
            errs.append(f"{where} {lv}: got {g}, want {e}")
for u in d["units"]:
    check(u["unit"], u, want.get(u["unit"], {}))
check("total", d["total"], total)
for u in d["units"] + [d["total"]]:
    for lv in ("all", "mn", "th", "thcs", "thpt", "gdtx"):
        r = u[lv]["rate"]
        if r is not None and not 0 <= r <= 1:
            errs.append(f"rate out of range: {u}")
notes = " ".join(d["notes"])
if "P10-MN-8" not in notes or len(d["notes"]) != 1:
    errs.append(f"notes must flag exactly the school absent from the run: {d['notes']}")
for k in ("crawl_run", "period", "as_of", "ruleset", "ruleset_hash", "scoring"):
    if k not in d["meta"]:
        errs.append(f"meta lacks {k}")
if not d["meta"]["scoring"]["bands"] or not d["meta"]["scoring"]["weights"]:
    errs.append("meta must state bands and weights")
if errs:
    print("\n".join(errs)); sys.exit(1)
PY
ok "adoption JSON: exact counts per unit and level, natural unit order, the absent school flagged"

# CSV: the same numbers, one column each, with a BOM.
head -c 3 "$WORK/adoption.csv" | od -An -tx1 | grep -q 'ef bb bf' || fail "CSV has no BOM"
assert_contains "$WORK/adoption.csv" $'Phường 2,2,4,0.5,1,1,1,1,2,0.5,1,2,0.5,0,0,,0,0,,0\r' "CSV row of Phường 2"
assert_contains "$WORK/adoption.csv" $'Phường 10,1,4,0.25,0,1,0,0,0,,0,1,0,1,2,0.5,0,1,0,0\r' "CSV row of Phường 10"
assert_contains "$WORK/adoption.csv" $'Toàn thành phố,3,8,0.375,1,2,0.5,1,2,0.5,1,3,0.333333,1,2,0.5,0,1,0,0\r' "CSV city total row"

# Human formats: "with portal/schools (rate)" cells and the note.
for f in text md html; do
    assert_contains "$WORK/adoption.$f" "2/4 (50,0%)" "$f: Phường 2 overall"
    assert_contains "$WORK/adoption.$f" "3/8 (37,5%)" "$f: city total"
    assert_contains "$WORK/adoption.$f" "1/3 (33,3%)" "$f: THCS total counts the multi-level school"
    assert_contains "$WORK/adoption.$f" "P10-MN-8" "$f: the absent school is flagged"
    case $f in
        html) assert_contains "$WORK/adoption.$f" '<td>A</td><td class="num">90,0</td>' "$f: states the bands" ;;
        *) assert_contains "$WORK/adoption.$f" "A ≥ 90,0" "$f: states the bands" ;;
    esac
    case $f in
        html) assert_contains "$WORK/adoption.$f" "<td>Cơ sở vật chất</td>" "$f: states the weights" ;;
        *) assert_contains "$WORK/adoption.$f" "Cơ sở vật chất 20" "$f: states the weights (by item name)" ;;
    esac
done
assert_contains "$WORK/adoption.html" "<svg" "HTML has an inline SVG chart"
assert_contains "$WORK/adoption.html" ">25,0%</text>" "HTML chart bar of Phường 10 (25 %)"
assert_not_contains "$WORK/adoption.html" "<script" "HTML has no script"

# XLSX: numbers as numbers, the rate column with a percent format.
mkdir -p "$WORK/x" && (cd "$WORK/x" && unzip -q ../adoption.xlsx)
sheet=$WORK/x/xl/worksheets/sheet1.xml
assert_contains "$sheet" 'ySplit="4"' "XLSX header rows frozen"
assert_contains "$sheet" '<autoFilter' "XLSX autofilter"
python3 - "$WORK/x" <<'PY'
import re, sys
w = sys.argv[1]
sheet = open(f"{w}/xl/worksheets/sheet1.xml", encoding="utf-8").read()
styles = open(f"{w}/xl/styles.xml", encoding="utf-8").read()
# The 3630 layout: two header rows (3-4), then three rows per unit
# (Công lập, Ngoài công lập, Cộng): Phường 2 on rows 5-7, Phường 10 on 8-10.
# D = Tất cả: có cổng, E = số trường, F = tỷ lệ.
def cell(ref):
    m = re.search(r'<c r="%s"([^>]*)>(.*?)</c>' % ref, sheet)
    assert m, f"no cell {ref}"
    return m.group(1), m.group(2)
for ref, want in (("D8", 1), ("E8", 3), ("D9", 0), ("E9", 1), ("D10", 1), ("E10", 4)):
    attrs, body = cell(ref)
    assert 't="s"' not in attrs and f"<v>{want}</v>" in body, f"{ref} must be the number {want}: {attrs} {body}"
attrs, body = cell("F10")
assert "<v>0.25</v>" in body, f"F10 must be 0.25: {body}"
s = int(re.search(r's="(\d+)"', attrs).group(1))
xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", styles, re.S).group(1)
xf = re.findall(r"<xf [^>]*?/?>", xfs)[s]
fmt = int(re.search(r'numFmtId="(\d+)"', xf).group(1))
code = re.search(r'<numFmt numFmtId="%d" formatCode="([^"]*)"' % fmt, styles)
assert code and "%" in code.group(1), f"rate style {xf} is not a percent format"
PY
ok "XLSX stores counts as numbers and rates with a percent format"

# A school without a portal URL and a dead URL both count as "no working portal".
pa report adoption --format json --run 2 -o "$WORK/run2.json" 2>/dev/null
cmp "$WORK/adoption.json" "$WORK/run2.json" || fail "--run 2 differs from the latest run"
ok "--run selects the audit run"
if pa report adoption --run 1 >/dev/null 2>"$WORK/err"; then
    fail "a crawl run was accepted as an audit run"
fi
assert_contains "$WORK/err" "not an audit run" "--run of a crawl run is refused"
