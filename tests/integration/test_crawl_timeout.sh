#!/usr/bin/env bash
# A slow server past the timeout: with --timeout 1, a page answered after
# 5 s errors with a timeout reason within a few seconds (retried at most
# once), the other pages are fine and the crawl ends.  A start page that
# times out makes its site unreachable with the reason "timeout".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www
d=$www/slowpage.hcm.edu.vn
mkdir -p "$d"
printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
printf '<html><head><title>Trang chủ</title></head><body><a href="/slow.html">Chậm</a> <a href="/ok.html">Tốt</a></body></html>\n' >"$d/index.html"
printf '<html><head><title>Chậm</title></head><body>slow</body></html>\n' >"$d/slow.html"
printf 'X-Test-Delay-Ms: 5000\n' >"$d/slow.html.hdr"
printf '<html><head><title>Tốt</title></head><body>ok</body></html>\n' >"$d/ok.html"
d2=$www/slowsite.hcm.edu.vn
mkdir -p "$d2"
printf 'User-agent: *\nAllow: /\n' >"$d2/robots.txt"
printf '<html><head><title>Trang chủ</title></head><body>slow</body></html>\n' >"$d2/index.html"
printf 'X-Test-Delay-Ms: 5000\n' >"$d2/index.html.hdr"

ts_start "$www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nTO-1,Slow page,Quận 1,th,cong_lap,http://slowpage.hcm.edu.vn:%s/\nTO-2,Slow site,Quận 1,th,cong_lap,http://slowsite.hcm.edu.vn:%s/\n' \
  "$TS_PORT" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
timeout 25 "$PORTAL_AUDIT" --db "$db" crawl --resolve "slowpage.hcm.edu.vn:$TS_PORT:127.0.0.1" \
  --resolve "slowsite.hcm.edu.vn:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --timeout 1 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed or hung (rc $?)"
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
# One timeout, a retry after ~1 s, a second timeout: ~3 s.  5 s per attempt
# would mean the timeout was not applied.
[ "$elapsed_ms" -lt 9000 ] || fail "crawl took $elapsed_ms ms with --timeout 1"
ok "crawl finished in $elapsed_ms ms"
# The server logs a request when it answers, after its 5 s delay: wait for
# the answers the crawler gave up on.
sleep 5.5

sql() { sqlite3 "$db" "$1"; }
reqs() { awk -F'\t' -v h="$1.hcm.edu.vn:$TS_PORT" -v t="$2" 'NF >= 11 && $4 == "GET" && $6 == h && $5 == t' "$TS_LOG" | wc -l; }

n=$(reqs slowpage /slow.html)
[ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "/slow.html requested $n times (a timeout is retried at most once)"
ok "/slow.html requested $n times"
row=$(sql "SELECT status || '|' || COALESCE(error, '') FROM pages WHERE requested_url GLOB '*/slow.html'")
case $row in 0\|timeout*) ok "/slow.html recorded: $row" ;; *) fail "/slow.html recorded as '$row', expected status 0 and a timeout error" ;; esac
ms=$(sql "SELECT fetch_ms FROM pages WHERE requested_url GLOB '*/slow.html'")
[ "$ms" -lt 3000 ] || fail "/slow.html fetch took $ms ms with --timeout 1"
ok "/slow.html gave up after $ms ms"
row=$(sql "SELECT status FROM pages WHERE requested_url GLOB '*slowpage*/ok.html'")
assert_eq "$row" 200 "other page fine"
row=$(sql "SELECT reachable || '|' || pages || '|' || errors FROM sites WHERE school_id='TO-1'")
assert_eq "$row" "1|3|1" "site with a slow page: reachable, 3 pages, 1 error"

row=$(sql "SELECT reachable || '|' || COALESCE(reason, '') FROM sites WHERE school_id='TO-2'")
case $row in 0\|timeout*) ok "slow start page: site unreachable ($row)" ;; *) fail "slow start page recorded as '$row'" ;; esac
n=$(reqs slowsite /)
[ "$n" -ge 1 ] && [ "$n" -le 2 ] || fail "slow start page requested $n times"
ok "slow start page requested $n times"
