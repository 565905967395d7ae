#!/usr/bin/env bash
# 429 with Retry-After: 2.
#  - /busy.html answers 429 the first time only (the test removes its .hdr
#    as soon as the first request is logged): the retry comes no sooner
#    than ~2 s later and the page is stored with status 200;
#  - /always429.html answers 429 every time: its retries are spaced by
#    Retry-After, their number is bounded, the last answer is stored;
#  - the other pages of the site are still fetched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=busy.hcm.edu.vn
d=$WORK/www/$host
mkdir -p "$d"
printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
printf '<html><head><title>Trang chủ</title></head><body><a href="/busy.html">Bận</a> <a href="/always429.html">Luôn bận</a> <a href="/ok1.html">Một</a> <a href="/ok2.html">Hai</a></body></html>\n' >"$d/index.html"
printf '<html><head><title>Đã xong</title></head><body>Nội dung sau khi chờ</body></html>\n' >"$d/busy.html"
printf 'Status: 429 Too Many Requests\nRetry-After: 2\n' >"$d/busy.html.hdr"
printf '<html><head><title>Luôn bận</title></head><body>429</body></html>\n' >"$d/always429.html"
printf 'Status: 429 Too Many Requests\nRetry-After: 2\n' >"$d/always429.html.hdr"
for i in 1 2; do printf '<html><head><title>Trang %s</title></head><body>ok</body></html>\n' $i >"$d/ok$i.html"; done

ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nRA-1,Busy,Quận 1,th,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
"$PORTAL_AUDIT" --db "$db" crawl --resolve "$host:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" &
crawl_pid=$!
ts_user_cleanup() { kill "$crawl_pid" 2>/dev/null || true; }
# Turn /busy.html into a normal page once its first request is logged (the
# server has read the .hdr by then); the crawler waits 2 s before retrying.
ts_wait_request /busy.html "$crawl_pid"
rm -f "$d/busy.html.hdr"
[ -n "$(ts_requests /busy.html)" ] || fail "/busy.html was never requested"
rc=0
wait "$crawl_pid" || rc=$?
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
assert_eq "$rc" 0 "crawl exit status"
[ "$elapsed_ms" -lt 25000 ] || fail "crawl took $elapsed_ms ms"
ok "crawl finished in $elapsed_ms ms"

# busy: 429 then 200, at least ~2 s apart.
codes=$(ts_requests /busy.html | cut -f11 | tr '\n' ' ')
assert_eq "$codes" "429 200 " "/busy.html: 429, then one retry answered 200"
gap=$(ts_requests /busy.html | awk -F'\t' 'NR == 1 {f = $1} NR == 2 {print $1 - f}')
[ "$gap" -ge 1900 ] || fail "/busy.html retried after $gap ms, Retry-After asked 2000"
ok "/busy.html retried after $gap ms (Retry-After: 2)"
row=$(sqlite3 "$db" "SELECT status || '|' || COALESCE(error, '') || '|' || title FROM pages WHERE requested_url GLOB '*/busy.html'")
assert_eq "$row" "200||Đã xong" "/busy.html stored from the successful retry"

# always429: bounded retries, each spaced by Retry-After.
n=$(ts_requests /always429.html | wc -l)
[ "$n" -ge 2 ] && [ "$n" -le 4 ] || fail "/always429.html requested $n times (want 2..4)"
ok "/always429.html requested $n times (retries capped)"
min_gap=$(ts_requests /always429.html | awk -F'\t' 'NR > 1 {g = $1 - p; if (m == "" || g < m) m = g} {p = $1} END {print m}')
[ "$min_gap" -ge 1900 ] || fail "/always429.html retries only $min_gap ms apart"
ok "/always429.html retries at least $min_gap ms apart"
st=$(sqlite3 "$db" "SELECT status FROM pages WHERE requested_url GLOB '*/always429.html'")
assert_eq "$st" 429 "/always429.html stored with its last answer"

# The rest of the site.
for p in /ok1.html /ok2.html; do
  st=$(sqlite3 "$db" "SELECT status FROM pages WHERE requested_url GLOB '*$p'")
  assert_eq "$st" 200 "$p fetched and stored"
done
row=$(sqlite3 "$db" "SELECT reachable || '|' || pages FROM sites WHERE school_id='RA-1'")
assert_eq "$row" "1|5" "site reachable with 5 pages"
