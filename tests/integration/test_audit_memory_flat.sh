#!/usr/bin/env bash
# An audit's memory does not grow with the registry (issue 15, "Scale"):
# the audit holds only the ids of the selected schools and each worker
# reads a school's registry row when it takes it.  Two stores that differ
# only in the number of schools (2,000 and 20,000, each with a long name,
# unit and portal URL, none crawled) are audited; the larger one's peak
# RSS may exceed the smaller one's by at most 4 MB.  Holding every row
# (what the audit did before) costs about 14 MB more at 20,000 schools.
# Also checks that both audits account for every school.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork

# N schools: long text per row, so rows held in memory are visible.
make_csv() { # N OUT
    python3 - "$1" "$2" <<'EOF'
import sys
n, out = int(sys.argv[1]), sys.argv[2]
pad = "Trường Tiểu học Nguyễn Văn Trỗi " * 12
with open(out, "w", encoding="utf-8") as f:
    f.write("school_id,name,unit,level,ownership,portal_url\n")
    for i in range(n):
        f.write(f"79-MEM-{i:06d},{pad}{i},Phường Bến Thành,th,cong_lap,"
                f"http://school-{i}.example.invalid/{'p' * 200}\n")
EOF
}

# Peak RSS (KiB) of one audit of DB; its summary line into OUT.
audit_rss() { # DB OUT
    /usr/bin/time -f '%M' -o "$WORK/time.txt" "$PORTAL_AUDIT" --db "$1" audit \
        --period 2017-2018 --as-of 2018-05-15 --threads 2 >"$2" 2>"$WORK/audit.err" ||
        { ts__show "$WORK/audit.err"; fail "audit of $1 failed"; }
    tail -n 1 "$WORK/time.txt"
}

for n in 2000 20000; do
    make_csv "$n" "$WORK/s$n.csv"
    "$PORTAL_AUDIT" --db "$WORK/s$n.db" schools import "$WORK/s$n.csv" >/dev/null
done
small=$(audit_rss "$WORK/s2000.db" "$WORK/a2000.out")
large=$(audit_rss "$WORK/s20000.db" "$WORK/a20000.out")
assert_contains "$WORK/a2000.out" "2000 schools, 0 assessed, 2000 not crawled" \
    "the 2,000-school audit covers every school"
assert_contains "$WORK/a20000.out" "20000 schools, 0 assessed, 20000 not crawled" \
    "the 20,000-school audit covers every school"
n=$(sqlite3 "$WORK/s20000.db" "SELECT count(*) FROM scores")
assert_eq "$n" 20000 "a score row per school"

assert_rss_flat "$small" "$large" 4096 "audit of 2,000, then 20,000 schools"
