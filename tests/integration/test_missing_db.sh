#!/usr/bin/env bash
# No silent empty database: the commands that read (audit, report, schools
# list, check --school) on a --db that does not exist exit 2 with "no such
# database: PATH" and create no file; schools import and crawl create it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
cd "$WORK"
PA=$PORTAL_AUDIT

refuses() {
    local db=$WORK/missing.db rc=0
    "$PA" --db "$db" "$@" >out 2>err || rc=$?
    assert_eq "$rc" 2 "$* on a missing database exits 2"
    assert_contains err "no such database: $db" "$* names the missing database"
    [ -z "$(ls -A "$WORK" | grep '^missing\.db')" ] || fail "$* created $(ls "$WORK" | grep '^missing')"
    ok "$* created no file"
    [ ! -s out ] || fail "$* printed a result"
}
refuses audit
refuses audit --period 2017-2018 --unit "Quận 1"
refuses report city
refuses report school 79-Q01-TH-0001 --format json
refuses schools list
refuses schools list --format csv
refuses check --school 79-Q01-TH-0001 --allow-addr 127.0.0.1/32

# Usage errors still come first, and help needs no database.
rc=0
"$PA" --db "$WORK/missing.db" audit --no-such >/dev/null 2>err || rc=$?
assert_eq "$rc" 2 "a usage error on a missing database exits 2"
assert_contains err "unknown option '--no-such'" "and is reported as such"
"$PA" --db "$WORK/missing.db" report --help >/dev/null
[ ! -e "$WORK/missing.db" ] || fail "report --help created the database"
ok "report --help creates no database"

# The commands that fill the store create it.
printf 'school_id,name,unit,level,ownership,portal_url\nT-1,Trường Một,Quận 1,th,cong_lap,\n' >schools.csv
"$PA" --db "$WORK/new.db" schools import schools.csv >/dev/null
[ -s "$WORK/new.db" ] || fail "schools import did not create the database"
ok "schools import creates the database"
"$PA" --db "$WORK/crawl.db" crawl --quiet --period 2017-2018 >out
[ -s "$WORK/crawl.db" ] || fail "crawl did not create the database"
assert_contains out "crawl: done run=1 schools=0/0" "crawl creates the database"

# An existing database is read as before.
"$PA" --db "$WORK/new.db" schools list --format csv >out
assert_contains out "T-1," "schools list reads an existing database"
