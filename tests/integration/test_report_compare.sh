#!/usr/bin/env bash
# `report KIND --compare RUN`: two audits around a change of the fixture
# sites (one school publishes its staff page, another loses its finance
# page, a new school is registered, one school is left out of the second
# audit) show improved, worsened, unchanged, new and gone per school and
# per unit, in every kind and format.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www
cp -r "$PA_SOURCE/samples/www" "$www"
ts_start "$www" 127.0.0.1
port=$TS_PORT
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
sed -e "s/{port}/$port/g" -e "s/{deadport}/$dead/g" "$PA_SOURCE/samples/schools.csv" >"$WORK/schools.csv"
hosts() {
    grep -ohE 'https?://[^:/]+' "$WORK"/*.csv | sed 's|https\?://||' | sort -u |
        awk '{print $1, "127.0.0.1"}' >"$WORK/hosts"
}
hosts
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }

pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet # audit run 2

# The sites change: Hoa Sen 5 publishes its staff page, Nguyễn Du loses its
# finance page; a new school of a new unit is registered.
mkdir -p "$www/mnhoasen5.q1.hcm.edu.vn/cong-khai/doi-ngu"
sed 's/Trường Tiểu học Lê Văn Sĩ/Trường Mầm non Hoa Sen 5/g' \
    "$www/thlevansi.hcm.edu.vn/cong-khai/doi-ngu/index.html" \
    >"$www/mnhoasen5.q1.hcm.edu.vn/cong-khai/doi-ngu/index.html"
sed -i 's|vật chất năm học 2017-2018</a></li></ul></div>|&<p><a href="/cong-khai/doi-ngu/">Đội ngũ nhà giáo, cán bộ quản lý và nhân viên năm học 2017-2018</a></p>|' \
    "$www/mnhoasen5.q1.hcm.edu.vn/cong-khai/index.html"
grep -q '/cong-khai/doi-ngu/' "$www/mnhoasen5.q1.hcm.edu.vn/cong-khai/index.html" ||
    fail "fixture edit did not apply"
rm -r "$www/thcsnguyendu.hcm.edu.vn/cong-khai/thu-chi-tai-chinh"
cp -r "$www/thlevansi.hcm.edu.vn" "$www/thmoi.hcm.edu.vn"
printf 'school_id,name,unit,level,ownership,portal_url\n79-Q07-TH-0009,Trường Tiểu học Mới,Quận 7,th,cong_lap,http://thmoi.hcm.edu.vn:%s/\n' \
    "$port" >"$WORK/new.csv"
hosts
pa schools import "$WORK/new.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
# The second audit leaves out Sơn Ca (79-Q03-MN-0006): it is "gone".
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet \
    --school 79-Q01-THCS-0001 79-Q01-MN-0002 79-Q03-TH-0003 79-Q06-THPT-0004 79-Q06-TH-0005 79-Q07-TH-0009
latest=$(sqlite3 "$db" "SELECT max(id) FROM runs WHERE kind = 'audit'")
assert_eq "$latest" 4 "second audit is run 4"

for name in city ranking adoption unit school; do
    case $name in
        unit) args=(unit 'Quận 1') ;;
        school) args=(school 79-Q01-MN-0002) ;;
        *) args=("$name") ;;
    esac
    for f in json csv text md html xlsx; do
        pa report "${args[@]}" --compare 2 --format "$f" -o "$WORK/$name.$f" 2>"$WORK/err" ||
            { cat "$WORK/err" >&2; fail "report ${args[*]} --compare 2 --format $f failed"; }
        [ -s "$WORK/$name.$f" ] || fail "$name.$f is empty"
    done
done
ok "compare reports written for every kind and format"

python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
def load(n):
    return json.load(open(f"{w}/{n}.json", encoding="utf-8"))
errs = []
city = load("city")
if city["meta"]["compare_to"]["crawl_run"] != 1 or city["meta"]["crawl_run"] != 3:
    errs.append(f"runs stated: {city['meta']}")
s = {r["id"]: r for r in city["schools"]}
want = {"79-Q01-MN-0002": "improved", "79-Q01-THCS-0001": "worsened", "79-Q03-TH-0003": "unchanged",
        "79-Q06-TH-0005": "unchanged", "79-Q06-THPT-0004": "unchanged", "79-Q07-TH-0009": "new",
        "79-Q03-MN-0006": "gone"}
for k, v in want.items():
    if k not in s or s[k]["status"] != v:
        errs.append(f"{k}: {s.get(k)} (want {v})")
mn = s.get("79-Q01-MN-0002", {})
if not (mn.get("delta") or 0) > 0 or abs(mn["score"] - mn["previous_score"] - mn["delta"]) > 1e-3:
    errs.append(f"improved school delta {mn}")
if not (s["79-Q01-THCS-0001"]["delta"] or 0) < 0:
    errs.append("worsened school must have a negative delta")
if s["79-Q03-TH-0003"]["delta"] != 0:
    errs.append("unchanged school must have delta 0")
new = s["79-Q07-TH-0009"]
if new["previous_score"] is not None or new["delta"] is not None or new["score"] is None:
    errs.append(f"new school {new}")
if s["79-Q06-TH-0005"]["score"] is not None or s["79-Q06-TH-0005"]["delta"] is not None:
    errs.append("an unassessed school has no score and no delta")
u = {r["unit"]: r for r in city["units"]}
if u["Quận 7"]["status"] != "new" or u["Quận 7"]["new"] != 1:
    errs.append(f"Quận 7 {u['Quận 7']}")
if u["Quận 3"]["gone"] != 1 or u["Quận 1"]["improved"] != 1 or u["Quận 1"]["worsened"] != 1:
    errs.append(f"unit counts {u}")
if [r["unit"] for r in city["units"]] != ["Quận 1", "Quận 3", "Quận 6", "Quận 7", "Toàn bộ"]:
    errs.append(f"unit order {list(u)}")
rk = {r["id"]: r for r in load("ranking")["schools"]}
if "rank" not in rk["79-Q01-MN-0002"] or rk["79-Q07-TH-0009"]["previous_rank"] is not None:
    errs.append("ranking compare must give rank and previous_rank")
sc = load("school")
items = {r["item"]: r for r in sc["items"]}
st = items["staff"]
if (st["verdict"], st["previous_verdict"], st["status"]) != ("pass", "missing", "improved"):
    errs.append(f"staff item {st}")
if "doi-ngu" not in (st["url"] or ""):
    errs.append(f"staff evidence url {st['url']}")
if items["quality_commitment"]["status"] != "unchanged":
    errs.append("unchanged item")
if len(sc["schools"]) != 1 or sc["schools"][0]["status"] != "improved":
    errs.append(f"school summary {sc['schools']}")
unit = load("unit")
if {r["id"] for r in unit["schools"]} != {"79-Q01-MN-0002", "79-Q01-THCS-0001"}:
    errs.append(f"unit compare schools {unit['schools']}")
ad = load("adoption")
au = {r["unit"]: r for r in ad["units"]}
if au["Quận 7"]["status"] != "new" or au["Quận 3"]["schools"] != 2 or au["Quận 3"]["with_portal"] != 1:
    errs.append(f"adoption compare units {au}")
ads = {r["id"]: r for r in ad["schools"]}
if ads.get("79-Q07-TH-0009", {}).get("status") != "new" or ads.get("79-Q03-MN-0006", {}).get("status") != "gone":
    errs.append(f"adoption compare schools {ads}")
if "79-Q01-MN-0002" in ads:
    errs.append("a school whose portal state did not change is not listed")
if errs:
    print("\n".join(errs)); sys.exit(1)
PY
ok "compare JSON: statuses and deltas per school, unit and item"

assert_contains "$WORK/city.csv" $'79-Q01-MN-0002,Trường Mầm non Hoa Sen 5,Quận 1,mn,' "CSV has one row per school"
assert_contains "$WORK/city.csv" ',improved' "CSV status column"
assert_contains "$WORK/school.csv" $'staff,' "school compare CSV lists items"
for f in text md html; do
    assert_contains "$WORK/city.$f" "Tiến bộ" "$f: improved label"
    assert_contains "$WORK/city.$f" "Không còn" "$f: gone label"
    assert_contains "$WORK/city.$f" "So sánh" "$f: names the comparison"
done
assert_contains "$WORK/city.html" 'class="st st-worsened"' "HTML marks worsened rows"
mkdir -p "$WORK/x" && (cd "$WORK/x" && unzip -q ../city.xlsx)
assert_contains "$WORK/x/xl/workbook.xml" 'name="Đơn vị"' "XLSX has a units sheet"

if pa report city --compare 99 >/dev/null 2>"$WORK/err"; then
    fail "--compare of a missing run succeeded"
fi
assert_contains "$WORK/err" "no run 99" "--compare of a missing run is refused"
