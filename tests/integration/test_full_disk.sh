#!/usr/bin/env bash
# A full disk (simulated with a file-size limit, SIGXFSZ ignored so writes
# fail with EFBIG as on a full file system): a report fails with a clear
# error and leaves no partial file; a crawl fails with a clear error, the
# database stays consistent, and `crawl --resume` finishes afterwards.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
samples_start
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
opts=(--hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet --period 2017-2018)
# 400 more schools without a portal make the city report large (~100 KB and
# more) without crawling more: larger than the 64 KB limit below, while the
# database's 32 KB shared-memory file still fits under it.
for i in $(seq 1 400); do
  printf '79-Q09-MN-%04d,Trường Mầm non số %d,Quận 9,mn,ngoai_cong_lap,\n' "$i" "$i"
done >>"$WORK/schools.csv"
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl "${opts[@]}" >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet

pa report city --format html -o "$WORK/full-city.html" 2>/dev/null
[ "$(stat -c %s "$WORK/full-city.html")" -gt 70000 ] || fail "the city report is too small to test the limit"
[ "$(stat -c %a "$WORK/full-city.html")" != 600 ] || fail "a report file is private (mode 600)"
mkdir -p "$WORK/out"
rc=0
( trap '' XFSZ; ulimit -f 64; exec "$PORTAL_AUDIT" --db "$db" report city --format html -o "$WORK/out/city.html" ) \
  2>"$WORK/report.err" || rc=$?
assert_eq 3 "$rc" "a report that cannot be written exits 3"
assert_contains "$WORK/report.err" "$WORK/out/city.html" "the error names the output file"
[ -z "$(ls -A "$WORK/out")" ] || fail "a partial report was left: $(ls "$WORK/out")"
ok "no partial report file left behind"

# 40 KB: room for the 32 KB shared-memory index, none for the write-ahead
# log of a crawl, nor for checkpoints into the (larger) database file.
rc=0
( trap '' XFSZ; ulimit -f 40; exec "$PORTAL_AUDIT" --db "$db" crawl "${opts[@]}" --focus off ) \
  >/dev/null 2>"$WORK/crawl.err" || rc=$?
[ "$rc" -eq 3 ] || { cat "$WORK/crawl.err" >&2; fail "a crawl on a full disk exited $rc, not 3"; }
grep -qiE "full|disk|I/O|too large|write" "$WORK/crawl.err" || { cat "$WORK/crawl.err" >&2; fail "the crawl error does not say what is wrong"; }
ok "a crawl on a full disk fails with: $(head -c 160 "$WORK/crawl.err")"
assert_eq ok "$(sqlite3 "$db" 'PRAGMA integrity_check')" "the database is consistent after the failure"
pa crawl --resume "${opts[@]}" --focus off >/dev/null
state=$(sqlite3 "$db" "SELECT state FROM runs WHERE kind='crawl' ORDER BY id DESC LIMIT 1")
assert_eq done "$state" "crawl --resume finishes once there is room again"
