#!/usr/bin/env bash
# Reading commands open the store without writing it: `report` and
# `schools list` leave a copy's bytes, mtime and folder listing as they
# were (no -wal or -shm left behind), and work on a copy in a folder that
# cannot be written (a share), where an older schema is refused by name.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
samples_audited "$db" --period 2017-2018
pa report city --format csv >"$WORK/ref.csv"
[ "$(wc -l <"$WORK/ref.csv")" -ge 3 ] || fail "the reference report is empty"

state() { # DIR: the listing with sizes, the database's digest and mtime
  (cd "$1" && ls -A && stat -c '%s %Y' t.db && sha256sum t.db)
}
mkdir "$WORK/rw"
cp "$db" "$WORK/rw/t.db"
touch -d '2020-01-01 00:00' "$WORK/rw/t.db"
state "$WORK/rw" >"$WORK/before.txt"
"$PORTAL_AUDIT" --db "$WORK/rw/t.db" report city --format csv >"$WORK/rw.csv"
"$PORTAL_AUDIT" --db "$WORK/rw/t.db" schools list --format csv >/dev/null
state "$WORK/rw" >"$WORK/after.txt"
diff "$WORK/before.txt" "$WORK/after.txt" || fail "a report changed the store's folder or file"
ok "report and schools list leave the file and its folder as they were"
cmp -s "$WORK/ref.csv" "$WORK/rw.csv" || fail "the copy's report differs"

# A folder nobody may write.  root ignores permissions: then the reader
# runs as nobody.
as_reader=()
if [ "$(id -u)" = 0 ]; then
  setpriv --reuid=65534 --regid=65534 --clear-groups true 2>/dev/null ||
    fail "cannot run as nobody to test a read-only folder"
  as_reader=(setpriv --reuid=65534 --regid=65534 --clear-groups --)
  chmod 755 "$WORK"
fi
mkdir "$WORK/ro" "$WORK/old"
cp "$db" "$WORK/ro/t.db"
cp "$db" "$WORK/old/t.db"
sqlite3 "$WORK/old/t.db" "PRAGMA user_version = 1"
chmod 444 "$WORK/ro/t.db" "$WORK/old/t.db"
chmod 555 "$WORK/ro" "$WORK/old"
ts_user_cleanup() { chmod 755 "$WORK/ro" "$WORK/old" 2>/dev/null || true; }
state "$WORK/ro" >"$WORK/before.txt"
rc=0
"${as_reader[@]}" "$PORTAL_AUDIT" --db "$WORK/ro/t.db" report city --format csv \
  >"$WORK/ro.csv" 2>"$WORK/ro.err" || rc=$?
[ $rc -eq 0 ] || { cat "$WORK/ro.err" >&2; fail "report in a read-only folder exited $rc"; }
cmp -s "$WORK/ref.csv" "$WORK/ro.csv" || fail "the report in a read-only folder differs"
ok "report works in a read-only folder"
"${as_reader[@]}" "$PORTAL_AUDIT" --db "$WORK/ro/t.db" schools list --format csv >"$WORK/list.csv" ||
  fail "schools list in a read-only folder failed"
[ "$(wc -l <"$WORK/list.csv")" -ge 2 ] || fail "schools list in a read-only folder is empty"
ok "schools list works in a read-only folder"
state "$WORK/ro" >"$WORK/after.txt"
diff "$WORK/before.txt" "$WORK/after.txt" || fail "the read-only folder changed"

rc=0
"${as_reader[@]}" "$PORTAL_AUDIT" --db "$WORK/old/t.db" report city --format csv \
  >/dev/null 2>"$WORK/old.err" || rc=$?
assert_eq "$rc" 3 "an older schema in a read-only folder is refused"
assert_contains "$WORK/old.err" "$WORK/old/t.db: schema version 1 is older" "the refusal names the file"
