#!/usr/bin/env bash
# Bodies above the 5 MiB cap, plain and as a gzip bomb:
#   /big.html      10 MiB with Content-Length (refused on the length);
#   /stream.html   10 MiB without Content-Length, read until close (the
#                  write callback must stop at the cap);
#   /bomb.html     48 KiB of gzip (Content-Encoding: gzip) inflating to
#                  50 MB (the cap applies after decompression);
#   a second site whose start page is the gzip bomb.
# Each stops at the cap with an error on the page (or the site's reason),
# nothing above the cap is stored, the other pages are fine, and the
# crawler's peak RSS stays well below 200 MB.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www
cap=$((5 * 1024 * 1024))
d=$www/big.hcm.edu.vn
d2=$www/bomb.hcm.edu.vn
mkdir -p "$d" "$d2"
for x in "$d" "$d2"; do printf 'User-agent: *\nAllow: /\n' >"$x/robots.txt"; done
printf '<html><head><title>Trang chủ</title></head><body><a href="/big.html">Lớn</a> <a href="/stream.html">Dòng</a> <a href="/bomb.html">Bom</a> <a href="/ok.html">Tốt</a></body></html>\n' >"$d/index.html"
printf '<html><head><title>Tốt</title></head><body>ok</body></html>\n' >"$d/ok.html"
python3 - "$d" "$d2" <<'PY'
import gzip, sys
d, d2 = sys.argv[1], sys.argv[2]
chunk = ("<p>" + "Công khai " * 100 + "</p>\n").encode()        # ~1 KiB
with open(f"{d}/big.html", "wb") as f:                        # served 10,240 times
    f.write(chunk[:1024].ljust(1024, b" "))
body = b"<html><head><title>Stream</title></head><body>" + chunk * 10300
with open(f"{d}/stream.html.raw", "wb") as f:
    f.write(b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
            b"Connection: close\r\n\r\n" + body)
bomb = gzip.compress(b"<html><head><title>Bom</title></head><body>" + b" " * 50_000_000, 9)
raw = (b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\n"
       b"Content-Encoding: gzip\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(bomb)) + bomb
for path in (f"{d}/bomb.html.raw", f"{d2}/index.html.raw"):
    with open(path, "wb") as f:
        f.write(raw)
PY
printf 'X-Test-Body-Repeat: 10240\n' >"$d/big.html.hdr"
sz=$(stat -c %s "$d/bomb.html.raw")
[ "$sz" -lt 200000 ] || fail "gzip bomb fixture is $sz bytes, expected a small file"

ts_start "$www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nBC-1,Big,Quận 1,th,cong_lap,http://big.hcm.edu.vn:%s/\nBC-2,Bomb,Quận 1,th,cong_lap,http://bomb.hcm.edu.vn:%s/\n' \
  "$TS_PORT" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
timeout 25 /usr/bin/time -v -o "$WORK/time.txt" "$PORTAL_AUDIT" --db "$db" crawl \
  --resolve "big.hcm.edu.vn:$TS_PORT:127.0.0.1" --resolve "bomb.hcm.edu.vn:$TS_PORT:127.0.0.1" \
  --allow-addr 127.0.0.1/32 --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" ||
  fail "crawl failed or hung (rc $?)"
elapsed_ms=$((($(date +%s%N) - t0) / 1000000))
[ "$elapsed_ms" -lt 20000 ] || fail "crawl took $elapsed_ms ms"
ok "crawl finished in $elapsed_ms ms"
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
[ -n "$rss_kb" ] || fail "no RSS in /usr/bin/time output"
[ "$rss_kb" -lt 204800 ] || fail "peak RSS $rss_kb KiB (>= 200 MB)"
ok "peak RSS $((rss_kb / 1024)) MB"

sql() { sqlite3 "$db" "$1"; }
for p in /big.html /stream.html /bomb.html; do
  row=$(sql "SELECT COALESCE(error, '') FROM pages WHERE requested_url GLOB '*big.hcm.edu.vn*$p'")
  case $row in *exceeds*) ok "$p: error recorded ($row)" ;; *) fail "$p: error is '$row', expected 'body exceeds ...'" ;; esac
  row=$(sql "SELECT bytes <= $cap AND COALESCE(length(CAST(text AS BLOB)), 0) <= $cap
             AND COALESCE(length(CAST(main_text AS BLOB)), 0) <= $cap
             FROM pages WHERE requested_url GLOB '*big.hcm.edu.vn*$p'")
  assert_eq "$row" 1 "$p: nothing above the cap stored"
done
n=$(sql "SELECT COUNT(*) FROM pages WHERE status BETWEEN 200 AND 299 AND error IS NULL
         AND (requested_url GLOB '*/big.html' OR requested_url GLOB '*/stream.html' OR requested_url GLOB '*/bomb.html')")
assert_eq "$n" 0 "no capped page stored as a success"
total=$(sql "SELECT COALESCE(SUM(length(CAST(text AS BLOB))), 0) + COALESCE(SUM(length(CAST(main_text AS BLOB))), 0) FROM pages")
[ "$total" -le "$cap" ] || fail "pages hold $total bytes of text"
ok "stored text: $total bytes"
row=$(sql "SELECT status FROM pages WHERE requested_url GLOB '*big.hcm.edu.vn*/ok.html'")
assert_eq "$row" 200 "other page fine"
row=$(sql "SELECT reachable || '|' || pages FROM sites WHERE school_id='BC-1'")
assert_eq "$row" "1|5" "site with big pages: reachable, 5 pages"

row=$(sql "SELECT reachable || '|' || COALESCE(reason, '') FROM sites WHERE school_id='BC-2'")
case $row in 0\|*exceeds*) ok "gzip bomb start page: site unreachable ($row)" ;; *) fail "gzip bomb start page recorded as '$row'" ;; esac
db_kb=$(($(stat -c %s "$db") / 1024))
[ "$db_kb" -lt 5120 ] || fail "database grew to $db_kb KiB"
ok "database $db_kb KiB"
