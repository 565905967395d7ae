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
    "unit": ["Trường", "Trường × Mục", "Mục", "Mục theo cấp", "Xếp loại", "Không đánh giá được", "Thông tin"],
    "city": ["Trường", "Trường × Mục", "Đơn vị", "Mục", "Mục theo cấp", "Xếp loại", "Không đánh giá được", "Thông tin"],
    "ranking": ["Trường", "Trường × Mục", "Mục", "Xếp loại", "Không đánh giá được", "Thông tin"],
    "adoption": ["Phụ lục 3630", "Chưa có cổng", "Thông tin"],
}
# (sheet, column header) that must hold numbers, and those that must be percentages.
numeric = {"school": [("Kết quả", "Trọng số")], "unit": [("Trường", "Điểm")],
           "city": [("Trường", "Điểm"), ("Đơn vị", "Số trường"), ("Mục", "Đạt"), ("Trường × Mục", "Điểm")],
           "ranking": [("Trường", "Hạng"), ("Trường", "Điểm")]}
percent = {"unit": [("Mục", "Tỷ lệ đạt")], "city": [("Mục", "Tỷ lệ đạt"), ("Đơn vị", "Tỷ lệ mục đạt"), ("Mục theo cấp", "Tiểu học")],
           "ranking": [("Mục", "Tỷ lệ đạt")]}

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
        if sname == "Phụ lục 3630":
            continue  # two header rows: checked below
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

# Excel without reshaping: the school × item sheet, hyperlinks, date cells,
# Vietnamese headers, totals outside the autofilter, the 3630 appendix.
python3 - "$WORK" <<'PY'
import html, re, sys
w = sys.argv[1]
errs = []

def book(name):
    d = f"{w}/x-{name}"
    wb = open(f"{d}/xl/workbook.xml", encoding="utf-8").read()
    rels = open(f"{d}/xl/_rels/workbook.xml.rels", encoding="utf-8").read()
    target = dict(re.findall(r'<Relationship Id="([^"]+)"[^>]*Target="([^"]+)"', rels))
    sst = open(f"{d}/xl/sharedStrings.xml", encoding="utf-8").read()
    shared = [html.unescape(re.sub(r"<[^>]+>", "", x)) for x in re.findall(r"<si>(.*?)</si>", sst, re.S)]
    st = open(f"{d}/xl/styles.xml", encoding="utf-8").read()
    codes = {int(i): c for i, c in re.findall(r'<numFmt numFmtId="(\d+)" formatCode="([^"]*)"', st)}
    xfs = re.search(r"<cellXfs[^>]*>(.*?)</cellXfs>", st, re.S).group(1)
    fmts = []
    for xf in re.findall(r"<xf [^>]*?/?>", xfs):
        m = re.search(r'numFmtId="(\d+)"', xf)
        fmts.append(codes.get(int(m.group(1)) if m else 0, "General"))
    out = {}
    for name_, rid in re.findall(r'<sheet name="([^"]+)" sheetId="\d+" r:id="([^"]+)"', wb):
        path = target[rid]
        xml = open(f"{d}/xl/{path}", encoding="utf-8").read()
        cells = {}
        for ref, attrs, v in re.findall(r'<c r="([A-Z]+\d+)"([^>]*?)(?:/>|>(?:<f>[^<]*</f>)?<v>([^<]*)</v></c>)', xml):
            t = re.search(r' t="(\w+)"', attrs)
            s_ = re.search(r' s="(\d+)"', attrs)
            fmt = fmts[int(s_.group(1))] if s_ else "General"
            if v == "":
                continue
            cells[ref] = (shared[int(v)] if t and t.group(1) == "s" else float(v), fmt)
        rels_path = f"{d}/xl/worksheets/_rels/{path.split('/')[-1]}.rels"
        try:
            srels = open(rels_path, encoding="utf-8").read()
        except FileNotFoundError:
            srels = ""
        out[name_.replace("&amp;", "&")] = (xml, cells, srels)
    return out

def col_of(cells, header, row=1):
    for ref, (v, _) in cells.items():
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        if int(m.group(2)) == row and v == header:
            return m.group(1)
    return None

def row_of(cells, col, value):
    for ref, (v, _) in cells.items():
        m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
        if m.group(1) == col and v == value:
            return int(m.group(2))
    return None

# Vietnamese headers on every sheet (no snake_case column names).
for name in ("school", "unit", "city", "ranking", "adoption"):
    for sname, (xml, cells, _) in book(name).items():
        for ref, (v, _) in cells.items():
            if re.fullmatch(r"[A-Z]+1", ref) and isinstance(v, str) and re.fullmatch(r"[a-z]+(_[a-z]+)+", v):
                errs.append(f"{name}/{sname} {ref}: English header {v!r}")

city = book("city")
xml, cells, srels = city["Trường × Mục"]
heads = [cells[r][0] for r in sorted((r for r in cells if re.fullmatch(r"[A-Z]+1", r)), key=lambda r: (len(r), r))]
want = ["Mã trường", "Tên trường", "Đơn vị", "Cấp học", "Loại hình", "Cổng thông tin", "Điểm", "Xếp loại"]
if heads[:8] != want:
    errs.append(f"Trường × Mục: headers {heads[:8]}, want {want}")
if "Thu chi tài chính" not in heads:
    errs.append("Trường × Mục: no column for the item Thu chi tài chính")
ids = [cells[r][0] for r in cells if re.fullmatch(r"A\d+", r) and r != "A1"]
if sorted(ids) != sorted(set(ids)) or len(ids) != 6:
    errs.append(f"Trường × Mục: want one row per school (6), got {ids}")
r = row_of(cells, "A", "79-Q06-THPT-0004")
c = col_of(cells, "Thu chi tài chính")
if not r or not c or cells.get(f"{c}{r}", ("",))[0] != "Cũ (chưa cập nhật)":
    errs.append(f"Trường × Mục: THPT An Lạc / Thu chi tài chính is {cells.get(f'{c}{r}')}, want Cũ (chưa cập nhật)")
r5 = row_of(cells, "A", "79-Q06-TH-0005")
if not r5 or cells.get(f"{c}{r5}", ("",))[0] != "Không truy cập được":
    errs.append("Trường × Mục: the unreachable school's verdicts are not Không truy cập được")
if cells.get(f"E{r}", ("",))[0] != "Ngoài công lập" or cells.get(f"D{r5}", ("",))[0] != "Tiểu học + THCS":
    errs.append("Trường × Mục: ownership or level not in Vietnamese")
m = re.search(r'<autoFilter ref="A1:([A-Z]+)(\d+)"', xml)
if not m or int(m.group(2)) != 7:
    errs.append(f"Trường × Mục: autofilter {m and m.group(0)}, want rows 1..7")
# Portals are hyperlinks: a relationship per link and a <hyperlink> on the cell.
links = re.findall(r'<hyperlink ref="F(\d+)" r:id="(rId\d+)"', xml)
targets = dict(re.findall(r'Id="(rId\d+)" Type="[^"]*/hyperlink" Target="([^"]+)" TargetMode="External"', srels))
if len(links) < 4 or not all(targets.get(rid, "").startswith("http://") for _, rid in links):
    errs.append(f"Trường × Mục: portal hyperlinks {links} / {targets}")

# Totals stay outside the autofilter range.
xml, cells, _ = city["Đơn vị"]
m = re.search(r'<autoFilter ref="A1:[A-Z]+(\d+)"', xml)
tot = row_of(cells, "A", "Toàn thành phố")
if not m or not tot or int(m.group(1)) >= tot:
    errs.append(f"Đơn vị: autofilter to row {m and m.group(1)}, total at row {tot}")

# Dates are date cells.
xml, cells, srels = book("school")["Kết quả"]
c = col_of(cells, "Ngày")
dates = [(ref, v, f) for ref, (v, f) in cells.items() if c and re.fullmatch(c + r"\d+", ref) and ref != c + "1"]
if not dates or any(not isinstance(v, float) or "yy" not in f for _, v, f in dates):
    errs.append(f"Kết quả: date cells {dates}")
import datetime
if dates and (datetime.date(1899, 12, 30) + datetime.timedelta(days=int(dates[0][1]))).year < 2000:
    errs.append(f"Kết quả: date {dates[0]} is not a real date")
if "/hyperlink" not in srels:
    errs.append("Kết quả: evidence URLs are not hyperlinks")

# The 3630 appendix: unit rows split public / private / both, level columns
# of "Có cổng, Số trường, Tỷ lệ", totals below the filter.
ad = book("adoption")
xml, cells, _ = ad["Phụ lục 3630"]
for ref, want_v in (("A3", "STT"), ("B3", "Đơn vị"), ("C3", "Loại hình"), ("D3", "Tất cả"), ("G3", "Mầm non"),
                    ("J3", "Tiểu học"), ("M3", "THCS"), ("P3", "THPT"), ("S3", "GDTX"),
                    ("D4", "Có cổng"), ("E4", "Số trường"), ("F4", "Tỷ lệ")):
    if cells.get(ref, ("",))[0] != want_v:
        errs.append(f"Phụ lục 3630 {ref}: {cells.get(ref)}, want {want_v}")
for rng in ("D3:F3", "P3:R3", "B3:B4"):
    if f'<mergeCell ref="{rng}"/>' not in xml:
        errs.append(f"Phụ lục 3630: {rng} not merged")
rows = {}
for ref, (v, _) in cells.items():
    m = re.fullmatch(r"([A-Z]+)(\d+)", ref)
    rows.setdefault(int(m.group(2)), {})[m.group(1)] = v
def line(unit, own):
    for n, r_ in rows.items():
        if r_.get("B") == unit and r_.get("C") == own:
            return n, r_
    errs.append(f"Phụ lục 3630: no row {unit} / {own}")
    return 0, {}
# Quận 6: TH-0005 public th+thcs, unreachable; THPT-0004 private thpt, working.
_, q6p = line("Quận 6", "Công lập")
_, q6n = line("Quận 6", "Ngoài công lập")
_, q6 = line("Quận 6", "Cộng")
checks = [(q6p, "D", 0), (q6p, "E", 1), (q6p, "J", 0), (q6p, "K", 1), (q6p, "M", 0), (q6p, "N", 1),
          (q6n, "D", 1), (q6n, "E", 1), (q6n, "P", 1), (q6n, "Q", 1), (q6n, "R", 1),
          (q6, "D", 1), (q6, "E", 2), (q6, "F", 0.5)]
# Quận 3: TH-0003 public th working; MN-0006 private mn without a URL.
_, q3n = line("Quận 3", "Ngoài công lập")
checks += [(q3n, "G", 0), (q3n, "H", 1), (q3n, "I", 0)]
for r_, col, want_v in checks:
    if r_.get(col) != want_v:
        errs.append(f"Phụ lục 3630 {r_.get('B')}/{r_.get('C')} {col}: {r_.get(col)}, want {want_v}")
m = re.search(r'<autoFilter ref="A4:U(\d+)"', xml)
tot, _ = line("Toàn thành phố", "Cộng")
if not m or not tot or int(m.group(1)) >= tot:
    errs.append(f"Phụ lục 3630: autofilter {m and m.group(0)}, city total at row {tot}")
if rows.get(tot, {}).get("E") != 6:
    errs.append(f"Phụ lục 3630: city total schools {rows.get(tot, {}).get('E')}, want 6")
xml, cells, _ = ad["Chưa có cổng"]
reasons = {cells[f"A{n}"][0]: cells.get(f"G{n}", ("",))[0] for n in range(2, 10) if f"A{n}" in cells}
if reasons.get("79-Q03-MN-0006") != "chưa đăng ký địa chỉ cổng thông tin" or \
        reasons.get("79-Q06-TH-0005") != "không kết nối được máy chủ" or len(reasons) != 2:
    errs.append(f"Chưa có cổng: {reasons}")
if errs:
    print("\n".join(errs)); sys.exit(1)
PY
ok "XLSX: Trường × Mục, hyperlinks, date cells, Vietnamese headers, totals outside autofilters, 3630 appendix"

# The snapshot: one CSV row per school, one column per item.
pa report snapshot -o "$WORK/snapshot.csv" 2>/dev/null
python3 - "$WORK/snapshot.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
assert len(rows) == 6 and len({r["school_id"] for r in rows}) == 6, [r["school_id"] for r in rows]
r = {x["school_id"]: x for x in rows}
assert r["79-Q06-THPT-0004"]["finance_revenue_expenditure"] == "stale", r["79-Q06-THPT-0004"]
assert r["79-Q06-THPT-0004"]["ownership"] == "ngoai_cong_lap" and r["79-Q06-THPT-0004"]["period"] == "2017-2018"
assert r["79-Q06-TH-0005"]["reachable"] == "false" and r["79-Q06-TH-0005"]["staff"] == "unreachable"
assert list(rows[0])[:13] == ["school_id", "name", "unit", "level", "ownership", "portal_url", "reachable",
                             "reason", "score", "rating", "period", "as_of", "ruleset"], list(rows[0])
PY
ok "snapshot: one CSV row per school, verdict per item column"
rc=0; pa report snapshot --format html 2>/dev/null || rc=$?
assert_eq "$rc" 2 "report snapshot is CSV only"

# The facts every report states are in each workbook's Thông tin sheet.
for name in school unit city ranking adoption; do
    assert_contains "$WORK/x-$name/xl/sharedStrings.xml" "Cách tính điểm" "$name.xlsx states the formula"
    assert_contains "$WORK/x-$name/xl/sharedStrings.xml" "tt09-2009" "$name.xlsx states the rule set"
done
