#!/usr/bin/env bash
# How the answer to robots.txt decides a site (RFC 9309 §2.3.1):
#   503 -> "unreachable": disallow everything; nothing but robots.txt is
#          requested and the site is recorded with a robots reason;
#   500 -> the same;
#   404 -> no robots.txt: everything is allowed;
#   301 -> followed; the rules at the target apply.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www
page() { # DIR PATH TITLE LINKS...
  local d=$1 p=$2 t=$3
  shift 3
  mkdir -p "$d$(dirname "$p")"
  printf '<html><head><title>%s</title></head><body><h1>%s</h1>%s</body></html>\n' "$t" "$t" "$*" \
    >"$d$p"
}
for h in r503 r500 r404 r301; do
  d=$www/$h.hcm.edu.vn
  page "$d" /index.html "Trang chủ $h" '<a href="/a.html">A</a> <a href="/secret.html">S</a>'
  page "$d" /a.html "Trang A" '<a href="/b.html">B</a>'
  page "$d" /b.html "Trang B"
  page "$d" /secret.html "Bí mật"
done
printf 'Status: 503 Service Unavailable\nContent-Type: text/plain\n' >"$www/r503.hcm.edu.vn/robots.txt.hdr"
printf 'User-agent: *\nAllow: /\n' >"$www/r503.hcm.edu.vn/robots.txt" # the body must not count
printf 'Status: 500 Internal Server Error\nContent-Type: text/plain\n' >"$www/r500.hcm.edu.vn/robots.txt.hdr"
printf 'oops\n' >"$www/r500.hcm.edu.vn/robots.txt"
# r404: no robots.txt file at all.
printf 'Status: 301 Moved Permanently\nLocation: /config/robots-real.txt\n' >"$www/r301.hcm.edu.vn/robots.txt.hdr"
mkdir -p "$www/r301.hcm.edu.vn/config"
printf 'User-agent: *\nDisallow: /secret.html\n' >"$www/r301.hcm.edu.vn/config/robots-real.txt"

ts_start "$www" 127.0.0.1
{
  echo 'school_id,name,unit,level,ownership,portal_url'
  for h in r503 r500 r404 r301; do echo "RS-$h,Trường $h,Quận 1,th,cong_lap,http://$h.hcm.edu.vn:$TS_PORT/"; done
} >"$WORK/schools.csv"
opts=(--allow-addr 127.0.0.1/32 --delay 0 --quiet --period 2017-2018)
for h in r503 r500 r404 r301; do opts+=(--resolve "$h.hcm.edu.vn:$TS_PORT:127.0.0.1"); done
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
"$PORTAL_AUDIT" --db "$db" crawl "${opts[@]}" >"$WORK/crawl.out"
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$elapsed_ms" -lt 25000 ] || fail "crawl took $elapsed_ms ms"
ok "crawl finished in $elapsed_ms ms"

# Requests per host: the Host header (field 6) is HOST:PORT.
reqs_of() { awk -F'\t' -v h="$1.hcm.edu.vn:$TS_PORT" 'NF >= 11 && $4 == "GET" && $6 == h {print $5}' "$TS_LOG"; }
sql() { sqlite3 "$db" "$1"; }

for h in r503 r500; do
  other=$(reqs_of $h | awk '$0 != "/robots.txt"' | wc -l)
  assert_eq "$other" 0 "$h: nothing but robots.txt requested"
  n=$(reqs_of $h | awk '$0 == "/robots.txt"' | wc -l)
  [ "$n" -ge 1 ] && [ "$n" -le 4 ] || fail "$h: robots.txt requested $n times (want 1..4: retries are bounded)"
  ok "$h: robots.txt requested $n time(s)"
  row=$(sql "SELECT reachable || '|' || reason FROM sites WHERE school_id='RS-$h'")
  code=${h#r}
  case $row in
    "0|robots"*"$code"*) ok "$h: site recorded unreachable with a robots reason ($row)" ;;
    *) fail "$h: site row is '$row', expected reachable 0 and a robots reason naming $code" ;;
  esac
  n=$(sql "SELECT COUNT(*) FROM pages WHERE school_id='RS-$h' AND status=200")
  assert_eq "$n" 0 "$h: no page stored"
done

# (/khong-ton-tai-…: the one probe for what "not found" looks like.)
paths=$(reqs_of r404 | awk '$0 != "/sitemap.xml" && $0 !~ /^\/khong-ton-tai-/' | sort -u | tr '\n' ' ')
assert_eq "$paths" "/ /a.html /b.html /robots.txt /secret.html " "r404: everything fetched"
row=$(sql "SELECT reachable || '|' || pages FROM sites WHERE school_id='RS-r404'")
assert_eq "$row" "1|4" "r404: reachable with 4 pages"

reqs_of r301 >"$WORK/r301.txt"
assert_contains "$WORK/r301.txt" /config/robots-real.txt "r301: the redirect of robots.txt followed"
assert_not_contains "$WORK/r301.txt" /secret.html "r301: the target's Disallow obeyed"
assert_contains "$WORK/r301.txt" /b.html "r301: allowed pages fetched"
row=$(sql "SELECT reachable FROM sites WHERE school_id='RS-r301'")
assert_eq "$row" 1 "r301: reachable"
