#!/usr/bin/env bash
# A crawl's memory does not grow with the number of schools (issue 15,
# "Scale"): the crawl takes its sites from the store a batch at a time and
# keeps nothing of a finished site.  Two registries that differ only in
# the number of one-page sites (500 and 5,000, each school with a 4 KB
# name, named by --hosts-file) are crawled; the larger crawl's peak RSS
# may exceed the smaller one's by at most 6 MB: what grows with a crawl
# this fast is bounded caches (SQLite's page cache, 2 MB; libcurl's DNS
# cache, the hosts of the last 10 s: every host of this crawl), about
# 3.5 MB (measured: +1.2 to +1.6 MB).  The crawl of before December 2026,
# which held a registry row per school for the whole run, peaked 26 MB
# higher at 5,000 schools.  Also checks that both crawls account for
# every site.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork

# Sanitizer builds measure nothing useful here (lib.sh, assert_rss_flat):
# they crawl fewer sites, for the accounting only.
small=500 large=5000
if sanitized_build; then small=100 large=1000; fi

one_page_sites "$WORK/www" "$large" m%05d.hcm.edu.vn
ts_start "$WORK/www" 127.0.0.1

# N schools: long text per row, so rows held in memory are visible.
make_registry() { # N
    python3 - "$1" "$WORK/s$1.csv" "$WORK/h$1" "$TS_PORT" <<'PY'
import sys
n, out, hosts, port = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
pad = "Trường Tiểu học Nguyễn Văn Trỗi " * 120
with open(out, "w", encoding="utf-8") as f, open(hosts, "w") as h:
    f.write("school_id,name,unit,level,ownership,portal_url\n")
    for i in range(n):
        f.write(f"79-MEM-{i:06d},{pad}{i},Phường Bến Thành,th,cong_lap,"
                f"http://m{i:05d}.hcm.edu.vn:{port}/\n")
        h.write(f"m{i:05d}.hcm.edu.vn 127.0.0.1\n")
PY
    "$PORTAL_AUDIT" --db "$WORK/s$1.db" schools import "$WORK/s$1.csv" >/dev/null
}

# Peak RSS (KiB) of one crawl of N schools; its summary line into OUT.
crawl_rss() { # N OUT
    /usr/bin/time -f '%M' -o "$WORK/time.txt" "$PORTAL_AUDIT" --db "$WORK/s$1.db" crawl \
        --hosts-file "$WORK/h$1" --allow-addr 127.0.0.1/32 --delay 0 --quiet \
        --period 2017-2018 >"$2" 2>"$WORK/crawl.err" ||
        { ts__show "$WORK/crawl.err"; fail "crawl of $1 schools failed"; }
    tail -n 1 "$WORK/time.txt"
}

for n in $small $large; do make_registry "$n"; done
rs=$(crawl_rss $small "$WORK/c$small.out")
rl=$(crawl_rss $large "$WORK/c$large.out")
for n in $small $large; do
    assert_contains "$WORK/c$n.out" "schools=$n/$n reachable=$n" "the $n-school crawl reaches every site"
done
n=$(sqlite3 "$WORK/s$large.db" "SELECT count(*) FROM sites WHERE state = 'done'")
assert_eq "$n" "$large" "a finished site row per school"

assert_rss_flat "$rs" "$rl" 6144 "crawl of $small, then $large schools"
