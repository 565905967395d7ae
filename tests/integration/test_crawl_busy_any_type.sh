#!/usr/bin/env bash
# 429 and 503 slow the host down whatever the type of their body
# (issue 15, defect 1: a text/plain 429 used to be dropped as a write error,
# never retried, and the next page started 100 ms later).
#  - slow.hcm.edu.vn: three pages answer 429 text/plain with Retry-After: 1
#    every time: each is tried 3 times, and no two requests to the host are
#    less than ~1 s apart (with --delay 100 they were 100 ms apart);
#  - start429.hcm.edu.vn: the start page answers 429 text/plain once (the
#    test removes its .hdr once the first request is logged): the site is
#    reachable;
#  - always429.hcm.edu.vn: the start page answers 429 text/plain every
#    time: three tries, then the site is unreachable with reason "http 429".
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www
busy_hdr='Status: 429 Too Many Requests\nContent-Type: text/plain\nRetry-After: 1\n'
for h in slow start429 always429; do
  d=$www/$h.hcm.edu.vn
  mkdir -p "$d"
  printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
  printf '<html><head><title>Trang chủ %s</title></head><body><a href="/p1.html">Một</a> <a href="/p2.html">Hai</a> <a href="/p3.html">Ba</a></body></html>\n' "$h" >"$d/index.html"
  for i in 1 2 3; do printf '<html><head><title>Trang %s</title></head><body>ok</body></html>\n' $i >"$d/p$i.html"; done
done
for i in 1 2 3; do
  printf 'quá nhiều yêu cầu\n' >"$www/slow.hcm.edu.vn/p$i.html"
  printf "$busy_hdr" >"$www/slow.hcm.edu.vn/p$i.html.hdr"
done
printf "$busy_hdr" >"$www/start429.hcm.edu.vn/index.html.hdr"
printf "$busy_hdr" >"$www/always429.hcm.edu.vn/index.html.hdr"

ts_start "$www" 127.0.0.1
{
  echo 'school_id,name,unit,level,ownership,portal_url'
  for h in slow start429 always429; do echo "BZ-$h,Trường $h,Quận 1,th,cong_lap,http://$h.hcm.edu.vn:$TS_PORT/"; done
} >"$WORK/schools.csv"
opts=(--allow-addr 127.0.0.1/32 --delay 100 --per-host 1 --quiet --period 2017-2018)
for h in slow start429 always429; do opts+=(--resolve "$h.hcm.edu.vn:$TS_PORT:127.0.0.1"); done
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
"$PORTAL_AUDIT" --db "$db" crawl "${opts[@]}" >"$WORK/crawl.out" &
crawl_pid=$!
ts_user_cleanup() { kill "$crawl_pid" 2>/dev/null || true; }
hostreq() { ts_requests / | awk -F'\t' -v h="$1.hcm.edu.vn:$TS_PORT" '$6 == h'; }
for ((i = 0; i < 400; i++)); do
  [ -n "$(hostreq start429 | awk -F'\t' '$5 == "/"')" ] && break
  kill -0 "$crawl_pid" 2>/dev/null || break
  sleep 0.05
done
rm -f "$www/start429.hcm.edu.vn/index.html.hdr"
rc=0
wait "$crawl_pid" || rc=$?
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
assert_eq "$rc" 0 "crawl exit status"
[ "$elapsed_ms" -lt 60000 ] || fail "crawl took $elapsed_ms ms"
ok "crawl finished in $elapsed_ms ms"

# slow: every page tried 3 times, stored with its 429, requests spaced.
for i in 1 2 3; do
  n=$(hostreq slow | awk -F'\t' -v p="/p$i.html" '$5 == p' | wc -l)
  assert_eq "$n" 3 "slow /p$i.html: 429 text/plain tried 3 times"
  st=$(sqlite3 "$db" "SELECT status || '|' || COALESCE(error, '') FROM pages WHERE requested_url GLOB '*slow*/p$i.html'")
  assert_eq "$st" "429|" "slow /p$i.html stored with its last answer"
done
gaps=$(hostreq slow | awk -F'\t' '$5 ~ /^\/p/' | sort -n | awk -F'\t' 'NR > 1 {print $1 - p} {p = $1}')
min_gap=$(printf '%s\n' "$gaps" | sort -n | head -1)
[ "$min_gap" -ge 800 ] || fail "slow: requests after a 429 only $min_gap ms apart (Retry-After: 1): $(echo $gaps)"
ok "slow: requests at least $min_gap ms apart after 429s (Retry-After: 1)"

# start429: one 429, then the start page; reachable.
codes=$(hostreq start429 | awk -F'\t' '$5 == "/" {print $11}' | tr '\n' ' ')
assert_eq "$codes" "429 200 " "start429: start page 429 then retried"
gap=$(hostreq start429 | awk -F'\t' '$5 == "/" {if (f == "") f = $1; else {print $1 - f; exit}}')
[ "$gap" -ge 900 ] || fail "start429: retried after $gap ms, Retry-After asked 1000"
row=$(sqlite3 "$db" "SELECT reachable || '|' || COALESCE(reason, '') FROM sites WHERE school_id='BZ-start429'")
assert_eq "$row" "1|" "start429: reachable"

# always429: three tries, then unreachable with its reason.
n=$(hostreq always429 | awk -F'\t' '$5 == "/"' | wc -l)
assert_eq "$n" 3 "always429: start page tried 3 times"
row=$(sqlite3 "$db" "SELECT reachable || '|' || COALESCE(reason, '') FROM sites WHERE school_id='BZ-always429'")
assert_eq "$row" "0|http 429" "always429: unreachable, reason http 429"
