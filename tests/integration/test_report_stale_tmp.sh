#!/usr/bin/env bash
# A report written with -o goes through "PATH.portal-audit-PID-XXXXXX.tmp";
# one killed (kill -9) leaves it, and the next report to PATH removes the
# files whose PID is dead (and the older "PATH.tmp.XXXXXX" once an hour
# old), never those of a live writer nor other files.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
samples_audited "$db" --period 2017-2018
# Many schools without a portal make the city report large enough to
# catch a report in the middle of its writing.
for i in $(seq 1 1500); do
  printf '79-Q09-MN-%04d,Trường Mầm non số %d,Quận 9,mn,ngoai_cong_lap,\n' "$i" "$i"
done >"$WORK/more.csv"
sed -i '1i school_id,name,unit,level,ownership,portal_url' "$WORK/more.csv"
pa schools import "$WORK/more.csv" >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet
mkdir "$WORK/out"
out=$WORK/out/city.html

# kill -9 at random moments of a report: what it leaves is named as ours.
for _ in $(seq 1 8); do
  "$PORTAL_AUDIT" --db "$db" report city --format html -o "$out" 2>/dev/null &
  pid=$!
  sleep "0.$(( RANDOM % 4 ))$(( RANDOM % 10 ))"
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
done
shopt -s nullglob
for f in "$WORK/out"/*; do
  case ${f##*/} in
    city.html | city.html.portal-audit-[0-9]*-??????.tmp) ;;
    *) fail "a killed report left an unexpected file: $f" ;;
  esac
done
ok "killed reports left only named temporary files ($(find "$WORK/out" -name '*.tmp' | wc -l))"

# One of a dead process, one of a live one (this shell), an old legacy
# one, a fresh legacy one and an unrelated file.
sh -c 'exit 0' & dead=$!; wait $dead
echo partial >"$out.portal-audit-$dead-AbC123.tmp"
echo partial >"$out.portal-audit-$$-XyZ789.tmp"
echo partial >"$out.tmp.Old123"
touch -d '3 hours ago' "$out.tmp.Old123"
echo partial >"$out.tmp.New456"
echo mine >"$WORK/out/notes.portal-audit-$dead-AbC123.tmp"
pa report city --format html -o "$out" >/dev/null
[ -s "$out" ] || fail "the report was not written"
left=$(cd "$WORK/out" && ls -A | sort | tr '\n' ' ')
expected=$(printf '%s\n' city.html "city.html.portal-audit-$$-XyZ789.tmp" city.html.tmp.New456 \
  "notes.portal-audit-$dead-AbC123.tmp" | sort | tr '\n' ' ')
assert_eq "$left" "$expected" "the next report removed the dead ones and only them"
