#!/usr/bin/env bash
# `portal-audit schools import|list` through the real binary: a good
# import, a bad one (exit 2, every error as file:line on stderr, the
# database byte-for-byte unchanged), an update, and the csv/json/table
# listings, including a CSV round trip and formula neutralisation.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
if [ -r "$here/lib.sh" ]; then
    # shellcheck source=tests/integration/lib.sh
    . "$here/lib.sh"
    ts_mkwork
else
    fail() { echo "FAIL: $*" >&2; exit 1; }
    ok() { echo "ok - $*"; }
    assert_eq() { [ "$1" = "$2" ] || fail "$3: got '$1', expected '$2'"; ok "$3"; }
    assert_contains() { grep -qF -- "$2" "$1" || fail "$3: '$2' not in $1"; ok "$3"; }
    WORK=$(mktemp -d "${TMPDIR:-/tmp}/portal-audit-it.XXXXXX")
    trap 'rm -rf -- "$WORK"' EXIT
fi

[ -n "${PORTAL_AUDIT:-}" ] && [ -x "$PORTAL_AUDIT" ] || fail "PORTAL_AUDIT is not an executable"
command -v sqlite3 >/dev/null || fail "sqlite3 CLI not installed"
FIX=${PA_FIXTURES:-$here/../fixtures}/registry
DB=$WORK/t.db

pa() { "$PORTAL_AUDIT" --db "$DB" "$@"; }

# Runs pa with stdout/stderr in $WORK/out and $WORK/err; sets RC.
run() {
    RC=0
    pa "$@" >"$WORK/out" 2>"$WORK/err" || RC=$?
}

# --- a good import -------------------------------------------------------
run schools import "$FIX/good.csv"
assert_eq "$RC" 0 "good import exits 0"
assert_eq "$(cat "$WORK/out")" \
    "imported $FIX/good.csv: 6 schools (6 added, 0 updated, 0 unchanged)" "good import summary"
assert_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM schools')" 6 "six schools stored"
assert_eq "$(sqlite3 "$DB" "SELECT level || ' ' || ownership FROM schools WHERE id = '79-Q07-LC-0004'")" \
    "th+thcs ngoai_cong_lap" "multi-level normalised"
assert_eq "$(sqlite3 "$DB" "SELECT count(*) FROM schools WHERE portal_url IS NULL")" 1 \
    "empty portal_url stored as NULL"

# --- a bad import: rejected whole, nothing written -------------------------
sqlite3 "$DB" .dump >"$WORK/before.sql"
run schools import "$FIX/bad.csv"
assert_eq "$RC" 2 "bad import exits 2"
assert_eq "$(wc -c <"$WORK/out" | tr -d ' ')" 0 "bad import prints nothing on stdout"
assert_contains "$WORK/err" "$FIX/bad.csv:3: empty school_id" "error names file:line (3)"
assert_contains "$WORK/err" "$FIX/bad.csv:9: duplicate school_id '79-A-0001' (first on line 2)" \
    "duplicate names both lines"
assert_contains "$WORK/err" "$FIX/bad.csv:14: expected 6 fields as in the header, found 5" \
    "line numbers count the multi-line name"
assert_contains "$WORK/err" "$FIX/bad.csv:19: empty ownership" "last error reported"
nerr=$(awk -v p="$FIX/bad.csv:" 'index($0, p) == 1 && $0 ~ /:[0-9]+: /' "$WORK/err" | wc -l)
assert_eq "$((nerr))" 17 "every error reported as file:line"
assert_contains "$WORK/err" "$FIX/bad.csv: 17 errors, nothing imported" "summary of the rejection"
sqlite3 "$DB" .dump >"$WORK/after.sql"
cmp -s "$WORK/before.sql" "$WORK/after.sql" || fail "database changed by a rejected import"
ok "database unchanged after the rejected import"

run schools import "$WORK/no-such.csv"
assert_eq "$RC" 2 "missing file exits 2"
assert_contains "$WORK/err" "$WORK/no-such.csv: cannot open" "missing file named"

# --- usage errors ------------------------------------------------------------
run schools import
assert_eq "$RC" 2 "import without a file exits 2"
assert_contains "$WORK/err" "schools import: which file? (see portal-audit schools import --help)" "import usage"
run schools list --format xml
assert_eq "$RC" 2 "unknown format exits 2"
assert_contains "$WORK/err" "schools list: --format: want table, csv or json, not 'xml'" "list usage"
run schools list --level daihoc
assert_eq "$RC" 2 "unknown level exits 2"
assert_contains "$WORK/err" "unknown level 'daihoc'" "unknown level named"

# --- list --format csv ---------------------------------------------------------
run schools list --format csv
assert_eq "$RC" 0 "list csv exits 0"
{
    printf '%s\r\n' \
        'school_id,name,unit,level,ownership,portal_url' \
        '79-CC-GDTX-0006,Trung tâm GDTX Củ Chi,Huyện Củ Chi,gdtx,cong_lap,https://gdtxcuchi.example.hcm.edu.vn' \
        '79-Q01-TH-0001,Trường Tiểu học Lê Lợi,Quận 1,th,cong_lap,https://thleloi.example.hcm.edu.vn' \
        '79-Q01-THCS-0002,"Trường THCS Nguyễn Du, Quận 1",Quận 1,thcs,cong_lap,http://thcsnguyendu.example.hcm.edu.vn/' \
        '79-Q07-LC-0004,Trường Quốc tế Mùa Thu,Quận 7,th+thcs,ngoai_cong_lap,https://muathu.example.hcm.edu.vn:8443/trang-chu?x=1' \
        '79-Q07-MN-0005,Mầm non Hoa Sen,Quận 7,mn,cong_lap,https://mnhoasen.example.hcm.edu.vn' \
        '79-SO-THPT-0003,"Trường THPT ""Chuyên"" Lê Quý Đôn",Sở,thpt,cong_lap,'
} >"$WORK/want.csv"
cmp -s "$WORK/out" "$WORK/want.csv" || { diff "$WORK/want.csv" "$WORK/out" >&2 || true; fail "list csv"; }
ok "list csv is RFC 4180 with CRLF and the import header"

# The CSV listing imports again, unchanged, into a fresh database.
cp "$WORK/out" "$WORK/roundtrip.csv"
"$PORTAL_AUDIT" --db "$WORK/second.db" schools import "$WORK/roundtrip.csv" >/dev/null ||
    fail "re-importing the csv listing failed"
"$PORTAL_AUDIT" --db "$WORK/second.db" schools list --format csv >"$WORK/second.csv"
cmp -s "$WORK/second.csv" "$WORK/want.csv" || fail "csv round trip differs"
ok "csv listing round-trips through import"

run schools list --format csv --unit "Quận 7" --level th
assert_eq "$(tail -n +2 "$WORK/out" | cut -d, -f1)" "79-Q07-LC-0004" "csv list filtered by unit and level"

# --- list --format json --------------------------------------------------------
run schools list --format json --level thpt
assert_eq "$RC" 0 "list json exits 0"
want_json='[
  {"id": "79-SO-THPT-0003", "name": "Trường THPT \"Chuyên\" Lê Quý Đôn", "unit": "Sở", "level": "thpt", "ownership": "cong_lap", "portal_url": null}
]'
assert_eq "$(cat "$WORK/out")" "$want_json" "json escapes quotes, portal_url null"
run schools list --format json --level gdtx --unit "Quận 1"
assert_eq "$(cat "$WORK/out")" "[]" "json of no schools is an empty array"
run schools list --format json
if command -v jq >/dev/null; then
    assert_eq "$(jq -r 'length' "$WORK/out")" 6 "json parses: six schools"
    assert_eq "$(jq -r '[.[0] | keys_unsorted[]] | join(",")' "$WORK/out")" \
        "id,name,unit,level,ownership,portal_url" "json keys"
    assert_eq "$(jq -r '.[3].level' "$WORK/out")" "th+thcs" "json level value"
fi

# --- list (table) -----------------------------------------------------------------
run schools list --unit "Quận 7"
assert_eq "$RC" 0 "list table exits 0"
want_table='ID              NAME                    UNIT    LEVEL    OWNERSHIP       PORTAL
79-Q07-LC-0004  Trường Quốc tế Mùa Thu  Quận 7  th+thcs  ngoai_cong_lap  https://muathu.example.hcm.edu.vn:8443/trang-chu?x=1
79-Q07-MN-0005  Mầm non Hoa Sen         Quận 7  mn       cong_lap        https://mnhoasen.example.hcm.edu.vn'
assert_eq "$(cat "$WORK/out")" "$want_table" "table aligned by display width"

# --- an update is reported and applied ---------------------------------------
run schools import "$FIX/changed.csv"
assert_eq "$RC" 0 "changed import exits 0"
assert_contains "$WORK/out" "updated 79-Q01-TH-0001: name 'Trường Tiểu học Lê Lợi' -> 'Trường Tiểu học Lê Lợi (cơ sở 2)'" \
    "changed name reported"
assert_contains "$WORK/out" "imported $FIX/changed.csv: 6 schools (1 added, 3 updated, 2 unchanged)" \
    "changed import summary"
assert_eq "$(sqlite3 "$DB" 'SELECT count(*) FROM schools')" 7 "schools absent from the file are kept"

# --- cells a spreadsheet would run are neutralised ----------------------------------
printf '%s\n' 'school_id,name,unit,level,ownership,portal_url' \
    'F-1,=HYPERLINK("http://x"),@SUM,th,cong_lap,' '-F-2,+1,Quận 1,th,cong_lap,' >"$WORK/formula.csv"
"$PORTAL_AUDIT" --db "$WORK/formula.db" schools import "$WORK/formula.csv" >/dev/null ||
    fail "formula registry did not import"
"$PORTAL_AUDIT" --db "$WORK/formula.db" schools list --format csv >"$WORK/out"
assert_contains "$WORK/out" "\"'-F-2\",\"'+1\",Quận 1" "leading - and + neutralised"
assert_contains "$WORK/out" "F-1,\"'=HYPERLINK(\"\"http://x\"\")\",\"'@SUM\"" "leading = and @ neutralised"

echo "all schools import/list checks passed"
