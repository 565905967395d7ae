#!/usr/bin/env bash
# Logs of a crawl whose stdout is not a terminal (cron, systemd): a
# progress line on stderr every interval (PA_PROGRESS_INTERVAL_MS stands in
# for the 10 s), even while no page finishes; --verbose names each
# unreachable school with its reason as it finishes; the last line on
# stdout is the key=value summary; --quiet leaves only the summary.
# The server answers slowly so the crawl outlasts several intervals; no
# assertion depends on how fast the machine is.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
www=$WORK/www
for h in a b; do
    d=$www/$h.hcm.edu.vn
    mkdir -p "$d"
    printf '<html><head><title>Trang chủ</title></head><body><a href="/p1.html">Trang 1</a> <a href="/p2.html">Trang 2</a></body></html>\n' >"$d/index.html"
    printf 'X-Test-Delay-Ms: 700\n' >"$d/index.html.hdr"
    for i in 1 2; do
        printf '<html><head><title>Trang %s</title></head><body>Trang %s</body></html>\n' $i $i >"$d/p$i.html"
    done
    printf 'User-agent: *\nAllow: /\n' >"$d/robots.txt"
done
ts_start "$www" 127.0.0.1
dead=$(free_port)
{
    echo 'school_id,name,unit,level,ownership,portal_url'
    echo "P-A,Trường A,Quận 1,th,cong_lap,http://a.hcm.edu.vn:$TS_PORT/"
    echo "P-B,Trường B,Quận 1,th,cong_lap,http://b.hcm.edu.vn:$TS_PORT/"
    echo "P-DEAD,Trường C,Quận 1,th,cong_lap,http://dead.hcm.edu.vn:$dead/"
} >"$WORK/schools.csv"
opts=(--resolve "a.hcm.edu.vn:$TS_PORT:127.0.0.1" --resolve "b.hcm.edu.vn:$TS_PORT:127.0.0.1"
      --resolve "dead.hcm.edu.vn:$dead:127.0.0.1" --allow-addr 127.0.0.1/32
      --delay 0 --period 2017-2018)
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null

# stdout and stderr are files here, not terminals.
PA_PROGRESS_INTERVAL_MS=150 "$PORTAL_AUDIT" --verbose --db "$db" crawl "${opts[@]}" \
    >"$WORK/out" 2>"$WORK/err"
grep -E '^crawl: progress ' "$WORK/err" >"$WORK/progress" || true
n=$(wc -l <"$WORK/progress")
[ "$n" -ge 2 ] || { cat "$WORK/err" >&2; fail "only $n progress lines in a crawl of several intervals"; }
ok "$n progress lines on stderr"
re='^crawl: progress schools=[0-3]/3 pages=[0-9]+ errors=[0-9]+ unreachable=[0-9]+ elapsed_s=[0-9]+ eta_s=([0-9]+|\?)$'
bad=$(grep -vE "$re" "$WORK/progress" | head -n 1 || true)
[ -z "$bad" ] || fail "malformed progress line: $bad"
ok "every progress line has schools, pages, errors, unreachable, elapsed_s, eta_s"
# The start pages take 700 ms, so lines come before any page finished:
# the ticker does not wait for crawl events.
grep -qE '^crawl: progress schools=[01]/3 pages=0 ' "$WORK/progress" ||
    fail "no progress line before the first page finished"
ok "progress lines come while nothing finishes"
assert_contains "$WORK/err" "crawl: school P-DEAD unreachable: " "--verbose names the unreachable school"
assert_not_contains "$WORK/err" "school P-A unreachable" "and not the reachable ones"
last=$(tail -n 1 "$WORK/out")
[[ $last =~ ^crawl:\ done\ run=1\ schools=3/3\ reachable=2\ unreachable=1\ pages=([0-9]+)\ errors=[0-9]+\ unchanged=0\ elapsed_s=[0-9]+\ pages_per_s=[0-9]+$ ]] ||
    fail "last line is not the summary: $last"
pages=${BASH_REMATCH[1]}
stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE run_id = 1")
assert_eq "$pages" "$stored" "summary pages= counts the stored pages"

# --quiet: no progress, only the summary; without --verbose no school lines.
PA_PROGRESS_INTERVAL_MS=150 "$PORTAL_AUDIT" --db "$db" crawl --quiet "${opts[@]}" \
    >"$WORK/out2" 2>"$WORK/err2"
assert_not_contains "$WORK/err2" "crawl: progress" "--quiet prints no progress"
assert_not_contains "$WORK/err2" "unreachable:" "no school lines without --verbose"
[[ $(tail -n 1 "$WORK/out2") == "crawl: done run=2 schools=3/3 "* ]] || fail "--quiet still ends with the summary"
ok "--quiet still ends with the summary"
