#!/usr/bin/env bash
# 429 with Retry-After as an HTTP-date (RFC 9110 §10.2.3 allows
# `Retry-After: <HTTP-date>` as well as seconds): /busy.html answers 429
# once with a date ~5 s ahead; the retry must not come before that date
# (1 s of slack for the date's whole-second resolution), and the page is
# then stored.  Without date support the crawler falls back to its 1 s
# back-off and retries ~4 s too early.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=busydate.hcm.edu.vn
d=$WORK/www/$host
mkdir -p "$d"
printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
printf '<html><head><title>Trang chủ</title></head><body><a href="/busy.html">Bận</a></body></html>\n' >"$d/index.html"
printf '<html><head><title>Đã xong</title></head><body>ok</body></html>\n' >"$d/busy.html"
until_s=$(($(date +%s) + 5))
printf 'Status: 429 Too Many Requests\nRetry-After: %s\n' "$(LC_ALL=C TZ=GMT date -d "@$until_s" '+%a, %d %b %Y %H:%M:%S GMT')" \
  >"$d/busy.html.hdr"

ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nRD-1,Busy,Quận 1,th,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
"$PORTAL_AUDIT" --db "$db" crawl --resolve "$host:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" &
crawl_pid=$!
ts_user_cleanup() { kill "$crawl_pid" 2>/dev/null || true; }
ts_wait_request /busy.html "$crawl_pid"
rm -f "$d/busy.html.hdr"
[ -n "$(ts_requests /busy.html)" ] || fail "/busy.html was never requested"
rc=0
wait "$crawl_pid" || rc=$?
assert_eq "$rc" 0 "crawl exit status"

codes=$(ts_requests /busy.html | cut -f11 | tr '\n' ' ')
case $codes in "429 "*200\ ) ok "/busy.html: 429, then retried to 200 ($codes)" ;; *) fail "/busy.html answers: '$codes'" ;; esac
second=$(ts_requests /busy.html | awk -F'\t' 'NR == 2 {print $1}')
early=$((until_s * 1000 - 1000 - second))
[ "$early" -le 0 ] || fail "retry came $early ms before the Retry-After date"
ok "retry waited for the Retry-After date"
row=$(sqlite3 "$db" "SELECT status || '|' || title FROM pages WHERE requested_url GLOB '*/busy.html'")
assert_eq "$row" "200|Đã xong" "/busy.html stored"
