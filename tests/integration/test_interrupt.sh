#!/usr/bin/env bash
# Ctrl-C: a SIGINT during `audit` or during `report ... -o FILE` on a large
# store stops the command promptly (within a second; asserted generously
# below 3 s on a loaded machine), with exit status 130 or 3, no report file
# (complete or partial) and no temporary file left, and the audit run
# marked interrupted so no report uses it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
samples_start
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }

pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet

# A large store in a few seconds: copies of every school with its crawled
# site and pages and its audit result, made in SQL.
copies=${INTERRUPT_COPIES:-2000}
cols() { # TABLE: its columns, school_id as the copy's id and id left to SQLite
    sqlite3 "$db" "SELECT group_concat(CASE name WHEN 'school_id' THEN 'school_id || ''-'' || k.n'
                   WHEN 'id' THEN 'NULL' ELSE name END, ', ') FROM pragma_table_info('$1')"
}
# The column lists are read before the script is piped in: a sqlite3 run
# inside the pipe would open the store while the reader does, and one of
# the two can find it locked (the CLI has no busy timeout by default).
school_cols=$(sqlite3 "$db" "SELECT group_concat(CASE name WHEN 'id'
    THEN 'id || ''-'' || k.n' ELSE name END, ', ') FROM pragma_table_info('schools')")
declare -A tcols
for t in sites pages findings scores; do tcols[$t]=$(cols $t); done
{
    echo ".timeout 10000"
    echo "CREATE TEMP TABLE k AS WITH RECURSIVE c(n) AS (SELECT 1 UNION ALL"
    echo "  SELECT n + 1 FROM c WHERE n < $copies) SELECT n FROM c;"
    echo "BEGIN;"
    echo "INSERT INTO schools SELECT $school_cols FROM schools, k;"
    for t in sites pages findings scores; do
        echo "INSERT INTO $t SELECT ${tcols[$t]} FROM $t, k;"
    done
    echo "COMMIT;"
} | sqlite3 -bail "$db"
n=$(sqlite3 "$db" "SELECT count(*) FROM schools")
[ "$n" -gt 10000 ] || fail "the large store has only $n schools"
ok "a store of $n schools"

now_ms() { date +%s%3N; }

# interrupt BUSY CMD...: runs CMD in the background, sends SIGINT once the
# command BUSY succeeds and 0.1 s more have passed, and sets RC and MS
# (milliseconds from the signal to the exit).
interrupt() {
    local busy=$1 pid t0 i
    shift
    "$@" >"$WORK/out" 2>"$WORK/err" &
    pid=$!
    for ((i = 0; i < 400; i++)); do
        $busy && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.05
    done
    sleep 0.1
    kill -0 "$pid" 2>/dev/null || fail "$* finished before the signal: make the store larger"
    t0=$(now_ms)
    kill -INT "$pid"
    RC=0
    wait "$pid" || RC=$?
    MS=$(($(now_ms) - t0))
}

# The audit is busy once its run record is there.
auditing() { [ "$(sqlite3 "$db" "SELECT count(*) FROM runs WHERE state = 'running'")" != 0 ]; }
interrupt auditing "$PORTAL_AUDIT" --db "$db" audit --period 2017-2018 --as-of 2018-05-15 --quiet
case $RC in 130 | 3) ok "audit exits with $RC on SIGINT" ;; *) ts__show "$WORK/err"; fail "audit exit status $RC" ;; esac
[ "$MS" -lt 3000 ] || fail "audit took $MS ms to stop"
ok "audit stopped $MS ms after the signal"
state=$(sqlite3 "$db" "SELECT state FROM runs WHERE kind = 'audit' ORDER BY id DESC LIMIT 1")
assert_eq "$state" interrupted "the audit run is marked interrupted"
assert_contains "$WORK/err" "interrupted: no report uses it" "audit says it was interrupted"
latest=$(sqlite3 "$db" "SELECT max(id) FROM runs WHERE kind = 'audit' AND state = 'done'")
pa report ranking --format csv -o "$WORK/ranking.csv" 2>/dev/null
assert_eq "$(grep -c . "$WORK/ranking.csv")" "$((n + 1))" "reports still use finished run $latest"

# A report is busy once the temporary file beside its output is there.
writing() { compgen -G "$WORK/city.$fmt.portal-audit-*.tmp" >/dev/null; }
for fmt in html xlsx; do
    rm -f "$WORK"/city.*
    interrupt writing "$PORTAL_AUDIT" --db "$db" report city --format "$fmt" -o "$WORK/city.$fmt"
    case $RC in 130 | 3) ok "report $fmt exits with $RC on SIGINT" ;; *) ts__show "$WORK/err"; fail "report $fmt exit status $RC" ;; esac
    [ "$MS" -lt 3000 ] || fail "report $fmt took $MS ms to stop"
    ok "report $fmt stopped $MS ms after the signal"
    [ ! -e "$WORK/city.$fmt" ] || fail "report $fmt left $WORK/city.$fmt"
    compgen -G "$WORK/city.$fmt.portal-audit-*.tmp" >/dev/null && fail "report $fmt left a temporary file"
    ok "report $fmt left no file"
    assert_contains "$WORK/err" "report interrupted" "report $fmt says it was interrupted"
done
