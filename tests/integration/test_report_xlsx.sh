#!/usr/bin/env bash
# Every report kind in every format from a real crawl and audit; the XLSX
# workbooks read back by unzipping them: a sheet per table, each with a
# frozen header row and an autofilter, numbers stored as numbers, rates with
# a percent format.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
samples_start
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet

for name in school unit city ranking adoption; do
    case $name in
        unit) args=(unit 'Quận 1') ;;
        school) args=(school 79-Q01-MN-0002) ;;
        *) args=("$name") ;;
    esac
    for f in text json csv md html xlsx; do
        pa report "${args[@]}" --format "$f" -o "$WORK/$name.$f" 2>"$WORK/err" ||
            { cat "$WORK/err" >&2; fail "report ${args[*]} --format $f failed"; }
        [ -s "$WORK/$name.$f" ] || fail "$name.$f is empty"
    done
    python3 -m json.tool "$WORK/$name.json" >/dev/null || fail "$name.json is not JSON"
    assert_contains "$WORK/$name.html" "</html>" "$name.html is complete"
    mkdir -p "$WORK/x-$name" && (cd "$WORK/x-$name" && unzip -q "../$name.xlsx") ||
        fail "$name.xlsx does not unzip"
done
ok "every kind written in every format"

# The first sheet, as the issue asks, then every sheet of every workbook.
sheet1=$WORK/x-city/xl/worksheets/sheet1.xml
assert_contains "$sheet1" 'state="frozen"' "city sheet1: frozen header row"
assert_contains "$sheet1" '<autoFilter' "city sheet1: autofilter"

python3 - "$WORK" <<'PY'
import glob, os, re, sys
w = sys.argv[1]
errs = []

def sheets(book):
    """name -> sheet XML, through workbook.xml and its relationships."""
    wb = open(f"{book}/xl/workbook.xml", encoding="utf-8").read()
    rels = open(f"{book}/xl/_rels/workbook.xml.rels", encoding="utf-8").read()
    target = dict(re.findall(r'<Relationship Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    out = {}
    for name, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="([^"]+)"', wb):
        out[name] = open(f"{book}/xl/{target[rid]}", encoding="utf-8").read()
    return out

def styles(book):
    """style index -> number format code."""
    st = open(f"{book}/xl/styles.xml", encoding="utf-8").read()
    codes = {int(i): c for i, c in re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', st)}
    codes.update({0: "General", 9: "0%", 10: "0.00%"})
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", st, re.S).group(1)
    out = []
    for xf in re.findall(r"<xf [^>]*?/?>", xfs):
        m = re.search(r'numFmtId="(\d+)"', xf)
        out.append(codes.get(int(m.group(1)) if m else 0, "?"))
    return out

def cells(xml):
    """[(ref, attrs, value)] of every cell with a value."""
    return re.findall(r'<c r="([A-Z]+\d+)"([^>]*)>(?:<f>[^<]*</f>)?<v>([^<]*)</v></c>', xml)

def col_cells(xml, header, shared):
    """Cells under the header cell whose text is `header` (row 1)."""
    for ref, attrs, v in cells(xml):
        if ref.endswith("1") and not ref[:-1].endswith(tuple("0123456789")) and 't="s"' in attrs \
                and shared[int(v)] == header and re.fullmatch(r"[A-Z]+1", ref):
            col = ref[:-1]
            return [(r, a, x) for r, a, x in cells(xml) if re.fullmatch(col + r"\d+", r) and r != ref]
    return None

want_sheets = {
    "school": ["Kết quả", "Thông tin"],
    "unit": ["Trường", "Mục", "Mục theo cấp", "Xếp loại", "Không đánh giá được", "Thông tin"],
    "city": ["Trường", "Đơn vị", "Mục", "Mục theo cấp", "Xếp loại", "Không đánh giá được", "Thông tin"],
    "ranking": ["Trường", "Mục", "Xếp loại", "Không đánh giá được", "Thông tin"],
    "adoption": ["Đơn vị", "Thông tin"],
}
# (sheet, column header) that must hold numbers, and those that must be percentages.
numeric = {"school": [("Kết quả", "weight")], "unit": [("Trường", "score")],
           "city": [("Trường", "score"), ("Đơn vị", "Số trường"), ("Mục", "pass")],
           "ranking": [("Trường", "rank"), ("Trường", "score")],
           "adoption": [("Đơn vị", "Tất cả: có cổng"), ("Đơn vị", "Tất cả: số trường")]}
percent = {"unit": [("Mục", "rate")], "city": [("Mục", "rate"), ("Đơn vị", "Tỷ lệ mục đạt"), ("Mục theo cấp", "Tiểu học")],
           "ranking": [("Mục", "rate")], "adoption": [("Đơn vị", "Tất cả: tỷ lệ")]}

for name, want in want_sheets.items():
    book = f"{w}/x-{name}"
    sh = sheets(book)
    if list(sh) != want:
        errs.append(f"{name}: sheets {list(sh)}, want {want}")
        continue
    sst = open(f"{book}/xl/sharedStrings.xml", encoding="utf-8").read()
    shared = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<si>(.*?)</si>", sst, re.S)]
    fmts = styles(book)
    for sname, xml in sh.items():
        if not re.search(r'<pane [^>]*ySplit="1"[^>]*state="frozen"/>', xml):
            errs.append(f"{name}/{sname}: header row not frozen")
        if "<autoFilter" not in xml:
            errs.append(f"{name}/{sname}: no autofilter")
    for sname, header in numeric.get(name, []):
        cs = col_cells(sh[sname], header, shared)
        if not cs:
            errs.append(f"{name}/{sname}/{header}: no numeric cells")
            continue
        for ref, attrs, v in cs:
            t = re.search(r't="(\w+)"', attrs)
            if t and t.group(1) != "n":
                errs.append(f"{name}/{sname} {ref}: type {t.group(1)}, want a number")
            float(v)
    for sname, header in percent.get(name, []):
        cs = col_cells(sh[sname], header, shared)
        if not cs:
            errs.append(f"{name}/{sname}/{header}: no cells")
            continue
        for ref, attrs, v in cs:
            s = re.search(r' s="(\d+)"', attrs)
            code = fmts[int(s.group(1))] if s else "General"
            if "%" not in code:
                errs.append(f"{name}/{sname} {ref}: format {code!r} is not a percentage")
            if not 0 <= float(v) <= 1:
                errs.append(f"{name}/{sname} {ref}: rate {v} outside 0..1")
if errs:
    print("\n".join(errs)); sys.exit(1)
PY
ok "XLSX: sheet per table, frozen headers, autofilters, numbers as numbers, percent formats"

# The facts every report states are in each workbook's Thông tin sheet.
for name in school unit city ranking adoption; do
    assert_contains "$WORK/x-$name/xl/sharedStrings.xml" "Cách tính điểm" "$name.xlsx states the formula"
    assert_contains "$WORK/x-$name/xl/sharedStrings.xml" "tt09-2009" "$name.xlsx states the rule set"
done
