#!/usr/bin/env bash
# Incremental recrawl: the second crawl sends If-None-Match from the first,
# the server answers 304, and the stored page model is reused (the audit
# sees the same pages).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
ts_start "$PA_SOURCE/samples/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nC-1,Nguyễn Du,Quận 1,thcs,cong_lap,http://thcsnguyendu.hcm.edu.vn:%s/\n' \
  "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
opts=(--resolve "thcsnguyendu.hcm.edu.vn:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 --delay 0 --quiet --period 2017-2018)
pa schools import "$WORK/schools.csv" >/dev/null
pa crawl "${opts[@]}" >"$WORK/c1.out"
n1=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE run_id=1 AND status=200")
[ "$n1" -ge 5 ] || fail "first crawl stored only $n1 pages"
: >"$TS_LOG.mark"
lines_before=$(wc -l <"$TS_LOG")
pa crawl "${opts[@]}" >"$WORK/c2.out"
tail -n +"$((lines_before + 1))" "$TS_LOG" >"$WORK/second.log"
cond=$(awk -F'\t' '$4=="GET" && $8 != "" {n++} END {print n+0}' "$WORK/second.log")
n304=$(awk -F'\t' '$4=="GET" && $11 == "304" {n++} END {print n+0}' "$WORK/second.log")
[ "$cond" -ge 5 ] || fail "second crawl sent If-None-Match on only $cond requests"
[ "$n304" -ge 5 ] || fail "server answered 304 only $n304 times"
ok "second crawl revalidated $cond pages, $n304 answered 304"
assert_contains "$WORK/c2.out" " unchanged=$n304 " "summary counts the reused pages"
same=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages a JOIN pages b ON a.requested_url = b.requested_url
        WHERE a.run_id = 1 AND b.run_id = 2 AND a.status = 200 AND b.status = 200
          AND a.title IS b.title AND a.text IS b.text AND a.headings IS b.headings")
assert_eq "$n1" "$same" "every page model reused unchanged"
l1=$(sqlite3 "$db" "SELECT COUNT(*) FROM links l JOIN pages p ON p.id = l.page_id WHERE p.run_id = 1")
l2=$(sqlite3 "$db" "SELECT COUNT(*) FROM links l JOIN pages p ON p.id = l.page_id WHERE p.run_id = 2")
assert_eq "$l1" "$l2" "links reused"
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet
pass=$(sqlite3 "$db" "SELECT COUNT(*) FROM findings WHERE verdict='pass' AND item IN
        ('quality_commitment','quality_actual','facilities','staff','finance_revenue_expenditure')")
assert_eq 5 "$pass" "audit of the revalidated crawl finds every item"
