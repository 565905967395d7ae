#!/usr/bin/env bash
# A 10 MB robots.txt (issue 15, defect 4): RFC 9309 §2.5 says to parse at
# least the first 500 KiB and ignore the rest.  It used to make the school
# unreachable ("body exceeds 524288 bytes").  Its first lines disallow
# /private: the school is crawled, /private is not fetched (recorded as a
# robots page), and the rest of the file is not even downloaded.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=bigrobots.hcm.edu.vn
d=$WORK/www/$host
mkdir -p "$d/private"
{
  printf 'User-agent: *\nDisallow: /private\n'
  # A line cut at the 512 KiB mark must not become a rule either.
  head -c 10000000 < <(yes '# dòng chú thích rất dài của một robots.txt khổng lồ, không có quy tắc nào')
  printf '\nUser-agent: *\nDisallow: /\n'
} >"$d/robots.txt"
printf '<html><head><title>Trang chủ</title></head><body><a href="/private/secret.html">Riêng</a> <a href="/ok.html">Được</a></body></html>\n' >"$d/index.html"
printf '<html><head><title>Riêng</title></head><body>bí mật</body></html>\n' >"$d/private/secret.html"
printf '<html><head><title>Được</title></head><body>ok</body></html>\n' >"$d/ok.html"

ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nBR-1,Big robots,Quận 1,th,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
"$PORTAL_AUDIT" --db "$db" -v crawl --resolve "$host:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" 2>"$WORK/crawl.err" ||
  { ts__show "$WORK/crawl.err"; fail "crawl failed"; }

row=$(sqlite3 "$db" "SELECT reachable || '|' || COALESCE(reason, '') FROM sites WHERE school_id='BR-1'")
assert_eq "$row" "1|" "school with a 10 MB robots.txt is reachable"
[ -z "$(ts_requests /private/)" ] || fail "/private/secret.html was fetched despite Disallow: /private"
ok "/private not fetched"
st=$(sqlite3 "$db" "SELECT COALESCE(error, '') FROM pages WHERE requested_url GLOB '*/private/secret.html'")
assert_eq "$st" robots "/private/secret.html recorded as kept out by robots.txt"
st=$(sqlite3 "$db" "SELECT status FROM pages WHERE requested_url GLOB '*/ok.html'")
assert_eq "$st" 200 "/ok.html fetched (the Disallow: / at the end is ignored)"
assert_contains "$WORK/crawl.err" "robots.txt longer than 524288 bytes" "the cut is logged"
