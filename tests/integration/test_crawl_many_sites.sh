#!/usr/bin/env bash
# The crawl takes its sites from the store a batch at a time (256 pending
# rows, app/cmd_crawl.c): 600 one-page sites, named by --hosts-file, span
# three batches.  Every site is crawled once, under its own school id, and
# ends done; every start page is asked for once.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
N=600
one_page_sites "$WORK/www" "$N" s%03d.hcm.edu.vn
ts_start "$WORK/www" 127.0.0.1
{
  echo 'school_id,name,unit,level,ownership,portal_url'
  # Ids in the reverse order of the host names: a site given another
  # site's id would show.
  for ((i = 0; i < N; i++)); do
    printf 'M-%03d,Trường số %d,Quận 1,th,cong_lap,http://s%03d.hcm.edu.vn:%s/\n' \
      $((N - 1 - i)) "$i" "$i" "$TS_PORT"
  done
} >"$WORK/schools.csv"
for ((i = 0; i < N; i++)); do printf 's%03d.hcm.edu.vn 127.0.0.1\n' "$i"; done >"$WORK/hosts"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
"$PORTAL_AUDIT" --db "$db" crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out" || fail "crawl failed (rc $?)"
assert_contains "$WORK/crawl.out" "schools=$N/$N reachable=$N" "the crawl says every site was reachable"
sql() { sqlite3 "$db" "$1"; }
assert_eq "$(sql "SELECT COUNT(*) FROM sites WHERE state = 'done' AND reachable = 1")" "$N" \
  "every site done and reachable"
# Each school's start page is its own host's: M-(N-1-i) on s(i).
bad=$(sql "SELECT COUNT(*) FROM sites WHERE start_url NOT LIKE
             'http://s' || printf('%03d', $N - 1 - CAST(substr(school_id, 3) AS INTEGER)) || '.hcm.edu.vn:%'")
assert_eq "$bad" 0 "every site under its own school id"
assert_eq "$(sql "SELECT COUNT(*) FROM (SELECT school_id FROM pages WHERE title LIKE 'Trường số %'
                  GROUP BY school_id HAVING COUNT(*) = 1)")" "$N" "one start page stored per school"
asked=$(ts_requests / | awk -F '\t' '$5 == "/"' | wc -l)
assert_eq "$asked" "$N" "every start page asked for once"
ok "$N sites in three batches: each crawled once under its own id"
