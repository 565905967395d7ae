#!/usr/bin/env bash
# Redirects: a loop (/a.html -> /b.html -> /a.html ...) is bounded: the
# crawl ends quickly, the page is stored with a redirect error and other
# pages are fine.  A chain of 6 redirects is refused after the 5th (the
# 7th hop and the final page are never requested); a chain of exactly 5
# is followed and the page stored under its final URL.  A start page that
# loops makes its site unreachable with the reason "redirects".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=loop.hcm.edu.vn
d=$WORK/www/$host
mkdir -p "$d"
printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
printf '<html><head><title>Trang chủ</title></head><body><a href="/a.html">Vòng</a> <a href="/r1.html">Dài</a> <a href="/s1.html">Năm</a> <a href="/ok.html">Tốt</a></body></html>\n' >"$d/index.html"
printf 'Status: 302 Found\nLocation: /b.html\n' >"$d/a.html.hdr"
printf 'Status: 301 Moved Permanently\nLocation: /a.html\n' >"$d/b.html.hdr"
for i in 1 2 3 4 5 6; do # r1 -> ... -> r7: six redirects
  printf 'Status: 302 Found\nLocation: /r%s.html\n' $((i + 1)) >"$d/r$i.html.hdr"
done
printf '<html><head><title>Quá xa</title></head><body>r7</body></html>\n' >"$d/r7.html"
for i in 1 2 3 4 5; do # s1 -> ... -> s6: five redirects
  printf 'Status: 302 Found\nLocation: /s%s.html\n' $((i + 1)) >"$d/s$i.html.hdr"
done
printf '<html><head><title>Đích năm bước</title></head><body>s6</body></html>\n' >"$d/s6.html"
printf '<html><head><title>Tốt</title></head><body>ok</body></html>\n' >"$d/ok.html"
d2=$WORK/www/startloop.hcm.edu.vn
mkdir -p "$d2"
printf 'User-agent: *\nAllow: /\n' >"$d2/robots.txt"
printf 'Status: 302 Found\nLocation: /home.html\n' >"$d2/index.html.hdr"
printf 'Status: 302 Found\nLocation: /\n' >"$d2/home.html.hdr"

ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nRL-1,Loop,Quận 1,th,cong_lap,http://%s:%s/\nRL-2,Start loop,Quận 1,th,cong_lap,http://startloop.hcm.edu.vn:%s/\n' \
  "$host" "$TS_PORT" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
timeout 25 "$PORTAL_AUDIT" --db "$db" crawl --resolve "$host:$TS_PORT:127.0.0.1" \
  --resolve "startloop.hcm.edu.vn:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed or hung (rc $?)"
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$elapsed_ms" -lt 10000 ] || fail "crawl took $elapsed_ms ms"
ok "crawl finished in $elapsed_ms ms"

sql() { sqlite3 "$db" "$1"; }
count() { awk -F'\t' -v t="$1" -v h="$host:$TS_PORT" 'NF >= 11 && $4 == "GET" && $5 == t && $6 == h' "$TS_LOG" | wc -l; }

# The loop.
na=$(count /a.html) nb=$(count /b.html)
[ "$na" -ge 1 ] && [ $((na + nb)) -le 12 ] || fail "loop: /a.html $na times, /b.html $nb times"
ok "loop bounded: /a.html $na, /b.html $nb requests"
row=$(sql "SELECT COALESCE(error, '') FROM pages WHERE requested_url GLOB '*/a.html'")
case $row in *redirect*) ok "loop recorded on the page: $row" ;; *) fail "/a.html error is '$row', expected a redirect error" ;; esac
n=$(sql "SELECT COUNT(*) FROM pages WHERE requested_url GLOB '*/a.html' AND status BETWEEN 200 AND 299")
assert_eq "$n" 0 "loop page not stored as a success"

# Six redirects: refused after the fifth.
for i in 1 2 3 4 5 6; do
  [ "$(count /r$i.html)" -ge 1 ] || fail "chain: /r$i.html not requested"
done
ok "chain: the first five redirects followed"
assert_eq "$(count /r7.html)" 0 "chain: the sixth redirect not followed"
row=$(sql "SELECT COALESCE(error, '') FROM pages WHERE requested_url GLOB '*/r1.html'")
case $row in *redirect*) ok "chain recorded on the page: $row" ;; *) fail "/r1.html error is '$row', expected a redirect error" ;; esac

# Five redirects: followed.
row=$(sql "SELECT status || '|' || final_url || '|' || title FROM pages WHERE requested_url GLOB '*/s1.html'")
assert_eq "$row" "200|http://$host:$TS_PORT/s6.html|Đích năm bước" "five redirects followed to the final page"

st=$(sql "SELECT status FROM pages WHERE requested_url GLOB '*/ok.html'")
assert_eq "$st" 200 "other page fine"
row=$(sql "SELECT reachable FROM sites WHERE school_id='RL-1'")
assert_eq "$row" 1 "site reachable"

row=$(sql "SELECT reachable || '|' || COALESCE(reason, '') FROM sites WHERE school_id='RL-2'")
case $row in 0\|redirects*) ok "looping start page: site unreachable ($row)" ;; *) fail "looping start page recorded as '$row'" ;; esac
n=$(awk -F'\t' -v h="startloop.hcm.edu.vn:$TS_PORT" 'NF >= 11 && $6 == h && $5 != "/robots.txt"' "$TS_LOG" | wc -l)
[ "$n" -le 12 ] || fail "looping start page requested $n times"
ok "looping start page requested $n times"
