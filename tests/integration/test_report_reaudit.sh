#!/usr/bin/env bash
# Auditing the same stored crawl again with the same rules gives
# byte-identical JSON reports (one school, a unit, the city, the ranking
# and adoption), although the second audit is a new audit run.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
samples_start
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }

pa schools import "$WORK/schools.csv" >/dev/null
pa crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 --delay 0 --quiet >/dev/null

reports() { # DIR: the JSON reports of the latest audit run
    mkdir -p "$1"
    pa report school 79-Q01-MN-0002 --format json -o "$1/school.json" 2>/dev/null
    pa report school 79-Q06-TH-0005 --format json -o "$1/dead.json" 2>/dev/null
    pa report unit 'Quận 1' --format json -o "$1/unit.json" 2>/dev/null
    pa report city --format json -o "$1/city.json" 2>/dev/null
    pa report ranking --format json -o "$1/ranking.json" 2>/dev/null
    pa report adoption --format json -o "$1/adoption.json" 2>/dev/null
}

pa audit --period 2017-2018 --as-of 2018-05-15 --quiet
reports "$WORK/a"
pa audit --period 2017-2018 --as-of 2018-05-15 --quiet
reports "$WORK/b"

runs=$(sqlite3 "$db" "SELECT count(*) FROM runs WHERE kind = 'audit' AND state = 'done'")
assert_eq "$runs" 2 "two audit runs of the same crawl"
for f in school dead unit city ranking adoption; do
    [ -s "$WORK/a/$f.json" ] || fail "$f.json is empty"
    cmp "$WORK/a/$f.json" "$WORK/b/$f.json" || fail "$f.json differs between the two audits"
    ok "$f.json is byte-identical after a re-audit"
done
assert_not_contains "$WORK/a/school.json" '"audit_run"' "school JSON does not name the audit run"
assert_not_contains "$WORK/a/city.json" '"audit_run"' "city JSON does not name the audit run"
# A report still states what it was computed from.
for k in '"crawl_run": 1' '"period": "2017-2018"' '"as_of": "2018-05-15"' '"ruleset": "tt09-2009"' \
    '"ruleset_version": ' '"ruleset_hash": "'; do
    assert_contains "$WORK/a/school.json" "$k" "school JSON states $k"
    assert_contains "$WORK/a/city.json" "$k" "city JSON states $k"
done

# The earlier audit run stays reportable by --run, identical too.
pa report city --format json --run 2 -o "$WORK/run2.json" 2>/dev/null
pa report city --format json --run 3 -o "$WORK/run3.json" 2>/dev/null
cmp "$WORK/run2.json" "$WORK/run3.json" || fail "--run 2 and --run 3 differ"
ok "--run N of either audit gives the same bytes"

# A different as-of date is a different input: the JSON must say so.
pa audit --period 2017-2018 --as-of 2018-06-30 --quiet
pa report city --format json -o "$WORK/c.json" 2>/dev/null
if cmp -s "$WORK/a/city.json" "$WORK/c.json"; then
    fail "an audit with another as-of date gave identical JSON"
fi
assert_contains "$WORK/c.json" '"as_of": "2018-06-30"' "the new as-of date is stated"
