#!/usr/bin/env bash
# Dashboard accounts from the command line (issue 14):
# - `users add` reads the password from the first line of standard input
#   when it is not a terminal, and asks twice without echo on a terminal;
# - the password is nowhere in clear: not in the database file or its WAL,
#   not in any output or log (-v), not in `users list` in any format;
# - bad input exits 2 with a message naming what is wrong and adds nothing:
#   unknown role, missing --role, unit or school not in the registry, a
#   --unit for a school user, a taken name, an empty password;
# - `users passwd` and `users disable` change the account; list shows it.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" -v --db "$db" "$@"; }
q() { sqlite3 "$db" "$1"; }
printf 'school_id,name,unit,level,ownership,portal_url\n' >"$WORK/schools.csv"
printf 'S-1,Trường Một,Phường Bến Nghé,th,cong_lap,http://a.hcm.edu.vn/\n' >>"$WORK/schools.csv"
printf 'S-2,Trường Hai,Phường Sài Gòn,thcs,cong_lap,http://b.hcm.edu.vn/\n' >>"$WORK/schools.csv"

set +e
printf 'pw\n' | "$PORTAL_AUDIT" --db "$db" users add a --role admin >/dev/null 2>"$WORK/nodb.err"
rc=$?
set -e
assert_eq "$rc" 2 "users add on a missing database exits 2"
[ ! -e "$db" ] || fail "users add created a database"
pa schools import "$WORK/schools.csv" >/dev/null

secret='Mật-khẩu rất bí mật 42!'
pw2='đổi-mật-khẩu-ngày-mai'
log=$WORK/all.log
printf '%s\nsecond line is ignored\n' "$secret" | pa users add admin1 --role admin >>"$log" 2>&1
printf '%s\n' "$secret" | pa users add ward --role unit --unit 'Phường Bến Nghé' >>"$log" 2>&1
printf '%s\r\n' "$secret" | pa users add school1 --role school --school S-1 >>"$log" 2>&1
assert_eq "$(q "SELECT group_concat(name || ':' || role || ':' || coalesce(unit, '') || ':' || coalesce(school_id, ''), ' ') FROM users ORDER BY name")" \
    "admin1:admin:: ward:unit:Phường Bến Nghé: school1:school::S-1" "three accounts with their scope"
assert_eq "$(q "SELECT count(*) FROM users WHERE pw_hash LIKE '\$argon2id\$%'")" 3 "passwords are argon2id hashes"

# Bad input: exit 2, a message naming the fault, nothing added.
bad() { # WANT-IN-MESSAGE ARGS...
    local want=$1 rc
    shift
    set +e
    printf 'x\n' | pa users add "$@" >"$WORK/bad.out" 2>"$WORK/bad.err"
    rc=$?
    set -e
    cat "$WORK/bad.out" "$WORK/bad.err" >>"$log"
    assert_eq "$rc" 2 "users add $* exits 2"
    assert_contains "$WORK/bad.err" "$want" "users add $*: the message says '$want'"
}
bad "unknown role 'root'" u1 --role root
bad "--role" u1
bad "no unit 'Quận 99'" u1 --role unit --unit 'Quận 99'
bad "no school 'S-9'" u1 --role school --school S-9
bad "no --unit" u1 --role school --school S-1 --unit 'Phường Bến Nghé'
bad "--unit U" u1 --role unit
bad "exists already" ward --role admin
set +e
printf '\n' | pa users add u1 --role admin >>"$log" 2>"$WORK/empty.err"
rc=$?
set -e
assert_eq "$rc" 2 "an empty password exits 2"
assert_contains "$WORK/empty.err" "password is empty" "the message says the password is empty"
assert_eq "$(q "SELECT count(*) FROM users")" 3 "no bad command added an account"

# list, passwd, disable
for f in table csv json; do
    pa users list --format "$f" >"$WORK/list.$f" 2>>"$log"
    cat "$WORK/list.$f" >>"$log"
done
assert_contains "$WORK/list.table" "school1" "users list shows the accounts"
python3 - "$WORK/list.json" <<'PY' || fail "users list --format json"
import json, sys
rows = json.load(open(sys.argv[1]))
assert [r["name"] for r in rows] == ["admin1", "school1", "ward"], rows
assert rows[2] == {"name": "ward", "role": "unit", "unit": "Phường Bến Nghé", "school": None, "state": "active"}, rows[2]
PY
ok "users list --format json names role, unit, school and state"
old_hash=$(q "SELECT pw_hash FROM users WHERE name = 'ward'")
printf '%s\n' "$pw2" | pa users passwd ward >>"$log" 2>&1
[ "$(q "SELECT pw_hash FROM users WHERE name = 'ward'")" != "$old_hash" ] || fail "passwd kept the hash"
ok "users passwd sets a new hash"
pa users disable school1 >>"$log" 2>&1
pa users list --format csv >"$WORK/list2.csv"
cat "$WORK/list2.csv" >>"$log"
assert_contains "$WORK/list2.csv" "school1,school,,S-1,disabled" "a disabled account is listed as disabled"
set +e
pa users disable nobody 2>"$WORK/nobody.err"
rc=$?
set -e
assert_eq "$rc" 2 "disabling an unknown account exits 2"

# On a terminal: asked twice, without echo; two different answers change nothing.
tty_add() { # NAME FIRST SECOND -> exit status; the terminal's text in $WORK/tty.out
    python3 - "$PORTAL_AUDIT" "$db" "$@" >"$WORK/tty.out" <<'PY'
import os, pty, select, signal, sys, time
exe, db, name, first, second = sys.argv[1:6]
pid, fd = pty.fork()
if pid == 0:
    os.execv(exe, [exe, "--db", db, "users", "add", name, "--role", "admin"])
out = b""
def read_until(word, limit=60):
    """Reads until word shows (None: until the end), at most limit seconds."""
    global out
    end = time.time() + limit
    while (word is None or word not in out) and time.time() < end:
        if not select.select([fd], [], [], 1)[0]:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:
            return
        if not chunk:
            return
        out += chunk
read_until("Mật khẩu".encode())
os.write(fd, first.encode() + b"\n")
read_until("Nhập lại".encode())
os.write(fd, second.encode() + b"\n")
read_until(None)
for _ in range(60):
    done, status = os.waitpid(pid, os.WNOHANG)
    if done:
        break
    time.sleep(1)
else:
    os.kill(pid, signal.SIGKILL)
    sys.stdout.write(out.decode("utf-8", "replace") + "\n(timed out)\n")
    sys.exit(99)
sys.stdout.write(out.decode("utf-8", "replace"))
sys.exit(os.WEXITSTATUS(status))
PY
}
tty_add tty1 "$secret" "$secret" || fail "users add on a terminal failed: $(cat "$WORK/tty.out")"
cat "$WORK/tty.out" >>"$log"
assert_contains "$WORK/tty.out" "Nhập lại" "on a terminal the password is asked twice"
assert_not_contains "$WORK/tty.out" "$secret" "the terminal does not echo the password"
assert_eq "$(q "SELECT count(*) FROM users WHERE name = 'tty1'")" 1 "the account is added from the terminal"
set +e
tty_add tty2 "$secret" "$pw2"
rc=$?
set -e
assert_eq "$rc" 2 "two different passwords on the terminal exit 2"
assert_contains "$WORK/tty.out" "differ" "the message says they differ"
assert_eq "$(q "SELECT count(*) FROM users WHERE name = 'tty2'")" 0 "nothing is added when they differ"

# The password is nowhere in clear (the database with its WAL, every output).
for word in "$secret" "$pw2" "rất bí mật"; do
    for f in "$db" "$db-wal" "$log"; do
        [ -e "$f" ] || continue
        if grep -aqF -- "$word" "$f"; then
            fail "a password is in clear in $(basename "$f")"
        fi
    done
done
ok "no password in the database, its WAL or any output"
