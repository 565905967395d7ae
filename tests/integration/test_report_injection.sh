#!/usr/bin/env bash
# CSV injection: crawled headings and link texts such as
# =HYPERLINK("http://x", ...) or +cmd|' /C calc'!A0 end up in findings'
# evidence, and a registry name can be a formula too.  In CSV and XLSX every
# such cell must be neutralised (a leading ') and stay a text cell, never a
# formula.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www
mkdir -p "$www"
cp -r "$PA_SOURCE/samples/www/thcsnguyendu.hcm.edu.vn" "$www/thcsinject.hcm.edu.vn"
python3 - "$www/thcsinject.hcm.edu.vn" <<'PY'
import glob, sys
rep = {
    "Cam kết chất lượng giáo dục năm học 2017-2018":
        '=HYPERLINK("http://x","Cam kết chất lượng giáo dục năm học 2017-2018")',
    "Công khai điều kiện cơ sở vật chất năm học 2017-2018":
        "+cmd|' /C calc'!A0 Công khai điều kiện cơ sở vật chất năm học 2017-2018",
    "Chất lượng giáo dục thực tế năm học 2017-2018":
        "-2+3+cmd|' /C calc'!A0 Chất lượng giáo dục thực tế năm học 2017-2018",
    "Đội ngũ nhà giáo, cán bộ quản lý và nhân viên năm học 2017-2018":
        "@SUM(1+1)*cmd|' /C calc'!A0 Đội ngũ nhà giáo, cán bộ quản lý và nhân viên năm học 2017-2018",
}
for f in glob.glob(sys.argv[1] + "/**/*.html", recursive=True):
    s = open(f, encoding="utf-8").read()
    for a, b in rep.items():
        s = s.replace(a, b)
    open(f, "w", encoding="utf-8").write(s)
PY
ts_start "$www" 127.0.0.1
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
cat >"$WORK/schools.csv" <<EOF
school_id,name,unit,level,ownership,portal_url
INJ-1,"=SUM(1,2)",Quận 1,thcs,cong_lap,http://thcsinject.hcm.edu.vn:$TS_PORT/
EOF
echo "thcsinject.hcm.edu.vn 127.0.0.1" >"$WORK/hosts"
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet

for f in csv xlsx json; do
    pa report school INJ-1 --format "$f" -o "$WORK/school.$f" 2>/dev/null
    pa report city --format "$f" -o "$WORK/city.$f" 2>/dev/null
    pa report ranking --format "$f" -o "$WORK/ranking.$f" 2>/dev/null
    pa report city --compare 2 --format "$f" -o "$WORK/compare.$f" 2>/dev/null
done
pa report snapshot -o "$WORK/snapshot.csv" 2>/dev/null
# The attack reached the findings (else this test would prove nothing).
assert_contains "$WORK/school.json" '"evidence": "=HYPERLINK(\"http://x\"' "=HYPERLINK evidence stored as crawled"
assert_contains "$WORK/school.json" "\"evidence\": \"+cmd|' /C calc'!A0" "+cmd evidence stored as crawled"

assert_contains "$WORK/school.csv" "\"'=HYPERLINK(\"\"http://x\"\",\"\"Cam kết" "CSV: =HYPERLINK neutralised and quoted"
assert_contains "$WORK/school.csv" ",'+cmd|' /C calc'!A0 Công khai" "CSV: +cmd neutralised"
assert_contains "$WORK/city.csv" "\"'=SUM(1,2)\"" "CSV: a formula school name is neutralised"
assert_contains "$WORK/snapshot.csv" "\"'=SUM(1,2)\"" "snapshot CSV: a formula school name is neutralised"

python3 - "$WORK" <<'PY'
import csv, io, re, sys, zipfile
w = sys.argv[1]
danger = ("=", "+", "-", "@", "\t", "\r")
errs = []
for name in ("school", "city", "ranking", "compare", "snapshot"):
    text = open(f"{w}/{name}.csv", encoding="utf-8-sig", newline="").read()
    for row in csv.reader(io.StringIO(text, newline="")):
        for cell in row:
            if cell.startswith(danger) and not re.fullmatch(r"-?\d+(\.\d+)?", cell):
                errs.append(f"{name}.csv: live formula cell {cell!r}")
    if name == "snapshot":
        continue
    z = zipfile.ZipFile(f"{w}/{name}.xlsx")
    shared = z.read("xl/sharedStrings.xml").decode("utf-8")
    strings = [re.sub(r"<[^>]+>", "", s) for s in re.findall(r"<si>(.*?)</si>", shared, re.S)]
    for s in strings:
        s = s.replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")
        if s.startswith(danger):
            errs.append(f"{name}.xlsx: text starts like a formula: {s!r}")
    for f in z.namelist():
        if f.startswith("xl/worksheets/sheet"):
            xml = z.read(f).decode("utf-8")
            if "<f>" in xml or "<f " in xml or 't="str"' in xml:
                errs.append(f"{name}.xlsx {f}: has a formula cell")
    if name == "school" and not any(s.startswith("'=HYPERLINK(") for s in
                                    (x.replace("&quot;", '"') for x in strings)):
        errs.append("school.xlsx: the neutralised =HYPERLINK text cell is missing")
    if name == "city" and "'=SUM(1,2)" not in strings:
        errs.append("city.xlsx: the neutralised school name is missing")
    if name == "city" and "Trường × Mục" not in z.read("xl/workbook.xml").decode("utf-8"):
        errs.append("city.xlsx: no Trường × Mục sheet to check")
if errs:
    print("\n".join(errs)); sys.exit(1)
PY
ok "CSV and XLSX: every crawled formula is a neutralised text cell"
