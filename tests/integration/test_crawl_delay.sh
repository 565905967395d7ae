#!/usr/bin/env bash
# Crawl-delay: `Crawl-delay: 1` in robots.txt spaces the requests to that
# host at least ~1 s apart even with --delay 0 and --per-host 2, while a
# host without a Crawl-delay in the same run is not slowed down.
# Spacing is read from the server's request log (time of arrival).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www
for h in slow fast; do
  d=$www/$h.hcm.edu.vn
  mkdir -p "$d"
  links=
  for i in 1 2 3 4; do
    links+="<a href=\"/p$i.html\">Trang $i</a> "
    printf '<html><head><title>Trang %s</title></head><body>Trang %s</body></html>\n' $i $i >"$d/p$i.html"
  done
  printf '<html><head><title>Trang chủ</title></head><body>%s</body></html>\n' "$links" >"$d/index.html"
done
printf 'User-agent: *\nCrawl-delay: 1\nAllow: /\n' >"$www/slow.hcm.edu.vn/robots.txt"
printf 'User-agent: *\nAllow: /\n' >"$www/fast.hcm.edu.vn/robots.txt"

ts_start "$www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nCD-S,Slow,Quận 1,th,cong_lap,http://slow.hcm.edu.vn:%s/\nCD-F,Fast,Quận 1,th,cong_lap,http://fast.hcm.edu.vn:%s/\n' \
  "$TS_PORT" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
"$PORTAL_AUDIT" --db "$db" crawl --resolve "slow.hcm.edu.vn:$TS_PORT:127.0.0.1" \
  --resolve "fast.hcm.edu.vn:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --per-host 2 --quiet --period 2017-2018 >"$WORK/crawl.out"
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$elapsed_ms" -lt 25000 ] || fail "crawl took $elapsed_ms ms"
ok "crawl finished in $elapsed_ms ms"

# Arrival times (ms) of the GETs to HOST after its robots.txt.
times_of() {
  awk -F'\t' -v h="$1.hcm.edu.vn:$TS_PORT" \
    'NF >= 11 && $4 == "GET" && $6 == h && $5 != "/robots.txt" {print $1}' "$TS_LOG" | sort -n
}
n=$(times_of slow | wc -l)
[ "$n" -ge 5 ] || fail "slow host: only $n requests besides robots.txt"
min_gap=$(times_of slow | awk 'NR > 1 {g = $1 - prev; if (min == "" || g < min) min = g} {prev = $1} END {print min}')
# 1000 ms asked; 900 allows for timer granularity, never for a missing delay.
[ "$min_gap" -ge 900 ] || { ts__show "$TS_LOG"; fail "slow host: requests only $min_gap ms apart (Crawl-delay: 1)"; }
ok "slow host: $n requests, at least $min_gap ms apart"
# The first page after robots.txt waits the Crawl-delay robots.txt just
# set (the host's next start was computed before it was read).
robots_at=$(awk -F'\t' -v h="slow.hcm.edu.vn:$TS_PORT" \
  'NF >= 11 && $4 == "GET" && $6 == h && $5 == "/robots.txt" {print $1}' "$TS_LOG" | sort -n | head -1)
first_at=$(times_of slow | head -1)
[ -n "$robots_at" ] || fail "slow host: no robots.txt request"
gap=$((first_at - robots_at))
[ "$gap" -ge 900 ] || { ts__show "$TS_LOG"; fail "slow host: first page only $gap ms after robots.txt (Crawl-delay: 1)"; }
ok "slow host: first page $gap ms after robots.txt"
span=$(times_of slow | awk 'NR == 1 {f = $1} {l = $1} END {print l - f}')
[ "$span" -ge $(((n - 1) * 900)) ] || fail "slow host: $n requests within $span ms"
ok "slow host: $n requests span $span ms"

span=$(times_of fast | awk 'NR == 1 {f = $1} {l = $1} END {print l - f}')
n=$(times_of fast | wc -l)
[ "$n" -ge 5 ] || fail "fast host: only $n requests besides robots.txt"
[ "$span" -lt 900 ] || fail "fast host (no Crawl-delay) slowed down too: $n requests over $span ms"
ok "fast host: $n requests within $span ms"

pages=$(sqlite3 "$db" "SELECT group_concat(school_id || ':' || pages, ' ') FROM (SELECT * FROM sites ORDER BY school_id)")
assert_eq "$pages" "CD-F:5 CD-S:5" "both sites crawled completely"
