#!/usr/bin/env bash
# The dashboard (`portal-audit serve`, docs/DASHBOARD.md) over HTTP, every
# route x role: a store of two units and three schools audited from the
# sample portals, users of each role added with the password on stdin, then
# (dashboard_http.py): 403 outside a user's scope (unit officer -> another
# unit's school, unit page and downloads; school user -> another school),
# 303 to /login without a valid session, 403 and the store unchanged for a
# POST with a missing, wrong or foreign CSRF token, the session id dead
# after POST /logout and after --session-ttl, ten wrong passwords locking
# the account for --lockout-seconds, no open redirect, and the CSP with
# frame-ancestors 'none' on every response (303, 403 and 404 included).
# Passwords never reach the server's log nor the store in clear.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dashboard_lib.sh"
ts_mkwork
db=$WORK/t.db
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
py=$(dirname "$0")/dashboard_http.py

dash_store "$db"

# users add refuses what the contract refuses.
if printf 'x-long-password\n' | pa users add bad1 --role unit --unit 'Quận 9' >"$WORK/bad.out" 2>&1; then
    fail "users add accepted an unknown unit"
fi
if printf 'x-long-password\n' | pa users add bad2 --role school >"$WORK/bad.out" 2>&1; then
    fail "users add --role school accepted no --school"
fi
if printf 'x-long-password\n' | pa users add quantri --role admin >"$WORK/bad.out" 2>&1; then
    fail "users add accepted a second user of the same name"
fi
ok "users add refuses an unknown unit, a school role without --school and a taken name"

# The short ttl and lock in a second server.  No re-check is queued here
# (test_dashboard_browser.sh runs one).
dash_serve "$db" "$WORK/serve.log"
python3 "$py" main "$DASH_URL" "$db" "$WORK" || fail "dashboard routes x roles (above)"
ts_stop "$DASH_PID"

# A 20 s session (serve's shortest is 10 s): the lockout is tested meanwhile.
dash_serve "$db" "$WORK/serve-short.log" --session-ttl 20 --lockout-seconds 6
python3 "$py" short "$DASH_URL" "$db" "$WORK" 60 6 || fail "session expiry and lockout (above)"
ts_stop "$DASH_PID"

# No password in clear in the logs or the store (its WAL included).
while IFS=$'\t' read -r _ _ _ pw; do
    for f in "$WORK/serve.log" "$WORK/serve-short.log" "$db" "$db-wal"; do
        [ -e "$f" ] || continue
        if grep -aqF -- "$pw" "$f"; then
            fail "a password is in clear in $f"
        fi
    done
done <"$WORK/users.tsv"
ok "no password in clear in the server's logs or the store"
