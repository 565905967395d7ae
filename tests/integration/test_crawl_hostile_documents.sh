#!/usr/bin/env bash
# Hostile documents cannot crash or hang the crawl: a post links a PDF
# bomb (a giant stream), a PDF with a page tree of two billion pages, a PDF
# whose references loop, a zip-bomb DOCX, a truncated PDF and DOCX, and a
# PDF over --max-doc-bytes, beside a good PDF.  The crawl finishes in
# bounded time and memory, every document is stored with its doc:status
# reason, and the good one is read.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
fx=${PA_FIXTURES:?}/docs
www=$WORK/www
d=$www/hostile.hcm.edu.vn
mkdir -p "$d/f"
python3 "${PA_SOURCE:?}/tests/support/mkhostile.py" "$d/f" "$fx"
cp "$fx/text.pdf" "$d/f/good.pdf"
# Over the 2 MB cap below: refused on its Content-Length.
{ printf '%%PDF-1.4\n'; head -c 3000000 /dev/zero; } >"$d/f/big.pdf"
printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
{
  echo '<html><head><title>Tài liệu</title></head><body><h1>Hồ sơ công khai</h1>'
  for f in bomb-stream.pdf bomb-pages.pdf loop.pdf bomb.docx truncated.pdf truncated.docx big.pdf good.pdf; do
    echo "<p><a href=\"/f/$f\">Tải file $f</a></p>"
  done
  echo '</body></html>'
} >"$d/index.html"

ts_start "$www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nH-1,Hostile,Quận 1,th,cong_lap,http://hostile.hcm.edu.vn:%s/\n' \
  "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
t0=$(date +%s%N)
timeout 120 /usr/bin/time -v -o "$WORK/time.txt" "$PORTAL_AUDIT" --db "$db" crawl \
  --resolve "hostile.hcm.edu.vn:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 --delay 0 --quiet \
  --focus off --threads 2 --doc-timeout 3 --max-doc-bytes 2000000 >"$WORK/crawl.out" ||
  fail "crawl failed or hung (rc $?)"
ms=$((($(date +%s%N) - t0) / 1000000))
# Each document at most --doc-timeout 3 s, two at a time: far below this.
[ "$ms" -lt 60000 ] || fail "crawl took $ms ms"
ok "crawl finished in $ms ms"
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
[ -n "$rss_kb" ] || fail "no RSS in /usr/bin/time output"
# The extractor limits its own address space to 256 MiB, except in a
# sanitizer build, where ASan reserves terabytes of shadow and the limit
# is skipped (crawler/docspawn.c): there the bound is what ASan's shadow and
# quarantine allow, and the 256 MB bound is checked by the normal build.
limit_kb=262144
if sanitized_build; then limit_kb=1048576; fi
[ "$rss_kb" -lt "$limit_kb" ] || fail "peak RSS $rss_kb KiB (>= $((limit_kb / 1024)) MB)"
ok "peak RSS $((rss_kb / 1024)) MB (crawl and extractor children; bound $((limit_kb / 1024)) MB)"

sql() { sqlite3 "$db" "$1"; }
row_of() { # row_of FILE: status|error|text bytes
  sql "SELECT status || '|' || COALESCE(error, '') || '|' || COALESCE(length(CAST(main_text AS BLOB)), 0)
       FROM pages WHERE requested_url GLOB '*/f/$1'"
}
status_of() { # status_of FILE: its doc:status
  sql "SELECT metas FROM pages WHERE requested_url GLOB '*/f/$1'" | awk -F'\t' '$1 == "doc:status" {print $2}'
}
expect() { # expect FILE ALLOWED-STATUSES...
  local f=$1 got row
  shift
  row=$(row_of "$f")
  got=$(status_of "$f")
  case $row in 200\|\|*) ;; *) fail "$f: stored as '$row', expected 200 with no fetch error" ;; esac
  for s in "$@"; do
    if [ "$got" = "$s" ]; then ok "$f: doc:status $got"; return; fi
  done
  fail "$f: doc:status '$got', expected one of: $*"
}
# A giant stream grinds until the wall clock (or CPU) limit stops it.
expect bomb-stream.pdf timeout limit
expect bomb-pages.pdf corrupt timeout limit
expect loop.pdf corrupt no_text
expect bomb.docx limit
expect truncated.pdf corrupt
expect truncated.docx corrupt
expect big.pdf too_large
assert_eq "$(sql "SELECT (bytes <= 2000000) || '|' || quote(main_text) FROM pages WHERE requested_url GLOB '*/f/big.pdf'")" "1|''" \
  "big.pdf: nothing over the cap read, no text"
expect good.pdf ok
assert_eq "$(sql "SELECT COUNT(*) FROM pages WHERE requested_url GLOB '*/f/*' AND main_text <> ''")" 1 \
  "only the good PDF has text"
assert_contains <(sql "SELECT main_text FROM pages WHERE requested_url GLOB '*/f/good.pdf'") \
  "cơ sở vật chất" "good PDF read beside the hostile ones"
assert_eq "$(sql "SELECT reachable || '|' || pages FROM sites")" "1|9" "site finished: home and 8 documents"
# Our children only: this test's CPU limit (3 s) is in their command line.
leftover=$(pgrep -f "portal-audit-extract [0-9]* 3 " || true)
assert_eq "$leftover" "" "no extractor process left behind"
