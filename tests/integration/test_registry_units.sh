#!/usr/bin/env bash
# The unit hierarchy and frozen runs: a registry with former_unit and
# former_province; adoption grouped by unit, former district and former
# province matches counts made by hand; a re-import that renames units,
# moves and renames schools leaves every report of the finished run
# byte-identical; the registry keeps each school's history; bad input
# (--group-by value, former_unit on some rows only) is a clear error;
# `report school --unit U -o DIR` writes one file per school of the unit.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
ts_start "$PA_SOURCE/samples/www" 127.0.0.1
port=$TS_PORT
dead=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }

hcm="Thành phố Hồ Chí Minh"
cat >"$WORK/v1.csv" <<EOF
school_id,name,unit,level,ownership,portal_url,former_unit,former_province
79-Q01-THCS-0001,Trường THCS Nguyễn Du,Phường Sài Gòn,thcs,cong_lap,http://thcsnguyendu.hcm.edu.vn:$port/,Quận 1,$hcm
79-Q01-MN-0002,Trường Mầm non Hoa Sen 5,Phường Bến Thành,mn,cong_lap,http://mnhoasen5.q1.hcm.edu.vn:$port/,Quận 1,$hcm
79-Q03-TH-0003,Trường Tiểu học Lê Văn Sĩ,Phường Bến Thành,th,cong_lap,http://thlevansi.hcm.edu.vn:$port/,Quận 3,$hcm
79-Q06-THPT-0004,Trường THPT An Lạc,Phường Bình Tiên,thpt,ngoai_cong_lap,http://thpt-anlac.edu.vn:$port/,Quận 6,$hcm
74-TDM-TH-0005,Trường Tiểu học Phú Cường,Phường Thủ Dầu Một,th,cong_lap,http://thphucuong.edu.vn:$dead/,Thành phố Thủ Dầu Một,Tỉnh Bình Dương
74-TDM-MN-0006,Trường Mầm non Sơn Ca,Phường Thủ Dầu Một,mn,ngoai_cong_lap,,Thành phố Thủ Dầu Một,Tỉnh Bình Dương
79-Q01-MN-0007,Trường Mầm non Bến Nghé,Phường Sài Gòn,mn,cong_lap,,Quận 1,$hcm
EOF
cat >"$WORK/hosts" <<EOF
thcsnguyendu.hcm.edu.vn 127.0.0.1
mnhoasen5.q1.hcm.edu.vn 127.0.0.1
thlevansi.hcm.edu.vn 127.0.0.1
thpt-anlac.edu.vn 127.0.0.1
thphucuong.edu.vn 127.0.0.1
EOF

# Bad input first: former_unit filled on some rows only names file:line.
{
    echo "school_id,name,unit,level,ownership,portal_url,former_unit"
    echo "A-1,Trường A,Phường Một,th,cong_lap,,Quận 1"
    echo "A-2,Trường B,Phường Một,th,cong_lap,,"
} >"$WORK/partial.csv"
rc=0
pa schools import "$WORK/partial.csv" >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "former_unit on some rows only: exit 2"
assert_contains "$WORK/err" "$WORK/partial.csv:3: empty former_unit" "the error names file:line"

pa schools import "$WORK/v1.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --timeout 5 --quiet >/dev/null
pa audit --period 2024-2025 --as-of 2025-05-15 --quiet
run=$(sqlite3 "$db" "SELECT max(id) FROM runs WHERE kind = 'audit'")

kinds=$(sqlite3 "$db" "SELECT name || '=' || kind || '<' || coalesce(parent, '') FROM units ORDER BY name" | tr '\n' ';')
for want in "Phường Sài Gòn=phuong<;" "Quận 1=quan<$hcm;" "$hcm=thanh_pho_tw<;" \
    "Thành phố Thủ Dầu Một=thanh_pho<Tỉnh Bình Dương;" "Tỉnh Bình Dương=tinh<;"; do
    case ";$kinds" in *";$want"*) ;; *) fail "units: '$want' not in '$kinds'" ;; esac
done
ok "units have a kind and a parent"

for by in unit former_unit former_province; do
    pa report adoption --group-by "$by" --format json -o "$WORK/adoption-$by.json" 2>/dev/null
done
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
# By hand: 0001, 0002, 0003, 0004 have working portals; 0005 is dead,
# 0006 and 0007 have none.
want = {
    "unit": {"Phường Sài Gòn": (1, 2), "Phường Bến Thành": (2, 2), "Phường Bình Tiên": (1, 1),
             "Phường Thủ Dầu Một": (0, 2)},
    "former_unit": {"Quận 1": (2, 3), "Quận 3": (1, 1), "Quận 6": (1, 1),
                    "Thành phố Thủ Dầu Một": (0, 2)},
    "former_province": {"Thành phố Hồ Chí Minh": (4, 5), "Tỉnh Bình Dương": (0, 2)},
}
errs = []
for by, units in want.items():
    d = json.load(open(f"{w}/adoption-{by}.json", encoding="utf-8"))
    got = {u["unit"]: (u["all"]["with_portal"], u["all"]["schools"]) for u in d["units"]}
    if got != units:
        errs.append(f"{by}: got {got}, want {units}")
    t = d["total"]["all"]
    if (t["with_portal"], t["schools"]) != (4, 7):
        errs.append(f"{by}: total {t}")
if errs:
    print("\n".join(errs), file=sys.stderr)
    sys.exit(1)
PY
ok "adoption grouped by unit, former_unit and former_province matches the counts by hand"

pa report city --group-by former_province --format json -o "$WORK/city-prov.json" 2>/dev/null
python3 - "$WORK/city-prov.json" <<'PY'
import json, sys
d = json.load(open(sys.argv[1], encoding="utf-8"))
units = [u["unit"] for u in d["units"]]
assert units[:2] == ["Thành phố Hồ Chí Minh", "Tỉnh Bình Dương"] and len(units) == 3, units
assert d["units"][0]["schools"] == 5 and d["units"][1]["schools"] == 2, d["units"]
PY
pa report ranking --group-by former_unit --format csv -o "$WORK/ranking.csv" 2>/dev/null
assert_contains "$WORK/ranking.csv" "Quận 3" "ranking --group-by former_unit groups by the former district"
ok "city and ranking take --group-by"

rc=0
pa report city --group-by district >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "unknown --group-by value: exit 2"
assert_contains "$WORK/err" "--group-by: unknown value 'district'" "the error names the argument"
rc=0
pa report unit "Phường Sài Gòn" --group-by former_unit >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "--group-by with report unit: exit 2"

# Frozen runs: reports of the finished run before a re-import.
for k in city adoption; do
    pa report "$k" --run "$run" --format json -o "$WORK/before-$k.json" 2>/dev/null
done
pa report unit "Phường Sài Gòn" --run "$run" --format json -o "$WORK/before-unit.json" 2>/dev/null

# The new registry: a ward renamed, a school moved to another ward, a
# school renamed, a portal URL changed, a school added.
sed -e 's/Phường Sài Gòn/Phường Sài Gòn Mới/' \
    -e 's/^\(79-Q03-TH-0003,[^,]*\),Phường Bến Thành,/\1,Phường Xuân Hòa,/' \
    -e 's/Trường THPT An Lạc/Trường THPT An Lạc Mới/' \
    -e "s|http://thlevansi.hcm.edu.vn:$port/|http://thlevansi-moi.hcm.edu.vn:$port/|" "$WORK/v1.csv" >"$WORK/v2.csv"
echo "79-Q07-TH-0009,Trường Tiểu học Mới,Phường Tân Thuận,th,cong_lap,,Quận 7,$hcm" >>"$WORK/v2.csv"
grep -q "Phường Xuân Hòa" "$WORK/v2.csv" || fail "fixture edit did not apply"
pa schools import "$WORK/v2.csv" >"$WORK/changes"
assert_contains "$WORK/changes" "unit 'Phường Bến Thành' -> 'Phường Xuân Hòa'" "the move is reported"

for k in city adoption; do
    pa report "$k" --run "$run" --format json -o "$WORK/after-$k.json" 2>/dev/null
    cmp "$WORK/before-$k.json" "$WORK/after-$k.json" || fail "report $k --run $run changed after a re-import"
done
ok "report city and adoption --run OLD are byte-identical after the re-import"
pa report unit "Phường Sài Gòn" --run "$run" --format json -o "$WORK/after-unit.json" 2>"$WORK/err" ||
    { cat "$WORK/err" >&2; fail "report unit 'OLD NAME' --run OLD failed after the re-import"; }
cmp "$WORK/before-unit.json" "$WORK/after-unit.json" || fail "report unit OLD NAME changed"
ok "report unit 'OLD NAME' --run OLD still works"

hist=$(sqlite3 "$db" "SELECT count(*), count(valid_to) FROM school_history WHERE school_id = '79-Q03-TH-0003'")
assert_eq "$hist" "2|1" "the registry keeps a moved school's history (valid from / to)"
hist=$(sqlite3 "$db" "SELECT unit FROM school_history WHERE school_id = '79-Q03-TH-0003' AND valid_to IS NULL")
assert_eq "$hist" "Phường Xuân Hòa" "the open history entry is the current one"

# A new audit sees the new registry.
pa audit --period 2024-2025 --as-of 2025-05-15 --quiet
pa report city --format json -o "$WORK/new-city.json" 2>/dev/null
assert_contains "$WORK/new-city.json" "Phường Sài Gòn Mới" "a new audit uses the new unit names"

# A run made before runs kept their registry reads the current one.
sqlite3 "$db" "DELETE FROM run_schools WHERE run_id = $run"
pa report city --run "$run" --format json -o "$WORK/old-db.json" 2>/dev/null
assert_contains "$WORK/old-db.json" "Phường Sài Gòn Mới" "a run without a frozen registry falls back to the registry"

# Batch: one file per school of a unit, named by school id.
pa report school --unit "Phường Sài Gòn Mới" --format html -o "$WORK/batch" 2>/dev/null
files=$(cd "$WORK/batch" && ls | tr '\n' ' ')
assert_eq "$files" "79-Q01-MN-0007.html 79-Q01-THCS-0001.html " "report school --unit U -o DIR: one file per school"
assert_contains "$WORK/batch/79-Q01-THCS-0001.html" "Nguyễn Du" "each file is that school's report"
pa report school --all --format json -o "$WORK/all" 2>/dev/null
assert_eq "$(ls "$WORK/all" | wc -l)" 8 "report school --all -o DIR: every school of the run"
python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert "79-Q07-TH-0009" in json.dumps(d)' \
    "$WORK/all/79-Q07-TH-0009.json" || fail "the JSON file is not the school's report"
rc=0
pa report school --unit "Không có" -o "$WORK/none" >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "a unit without schools: exit 2"
assert_contains "$WORK/err" "no school of unit 'Không có'" "the error names the unit"
rc=0
pa report school --all >/dev/null 2>"$WORK/err" || rc=$?
assert_eq "$rc" 2 "--all without -o DIR: exit 2"
