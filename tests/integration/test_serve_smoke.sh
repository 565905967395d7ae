#!/usr/bin/env bash
# serve, end to end with curl (the full route x role matrix is
# test_dashboard_*): a page without a session answers 303 to /login; a
# school user logs in (303 and the pa_session cookie with HttpOnly,
# SameSite=Strict), sees its school page with the strict CSP and every
# security header, gets 403 for another school, 403 and no re-check for a
# POST without the CSRF token, a re-check with it; after logout the
# session id answers 303 again; a wrong password answers 401; SIGTERM
# stops the server with status 0; a 70 kB body is 413; a public --listen
# needs --allow-public.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
db=$WORK/t.db
samples_audited "$db" >/dev/null
pa() { "$PORTAL_AUDIT" --db "$db" "$@"; }
echo 'mat-khau-truong-1' | pa users add nd --role school --school 79-Q01-THCS-0001 >/dev/null
echo 'mat-khau-quan-1' | pa users add q1 --role unit --unit 'Quận 1' >/dev/null

rc=0
pa serve --listen 0.0.0.0:0 >/dev/null 2>"$WORK/public.err" || rc=$?
assert_eq "$rc" 2 "a non-loopback --listen without --allow-public exits 2"
assert_contains "$WORK/public.err" "allow-public" "and names --allow-public"

"$PORTAL_AUDIT" --db "$db" serve --listen 127.0.0.1:0 >"$WORK/serve.out" 2>"$WORK/serve.err" &
spid=$!
TS_SERVERS+=("$spid")
for ((i = 0; i < 300; i++)); do
    grep -q 'listening on' "$WORK/serve.out" 2>/dev/null && break
    kill -0 "$spid" 2>/dev/null || { cat "$WORK/serve.err" >&2; fail "serve exited at start"; }
    sleep 0.1
done
url=$(grep -oE 'http://127\.0\.0\.1:[0-9]+' "$WORK/serve.out") || fail "no listening line"
ok "serve listens on $url"

# code PATH [CURL ARGS]: the status code; headers in $WORK/h, body in $WORK/b.
code() {
    local p=$1
    shift
    ts_curl -o "$WORK/b" -D "$WORK/h" -w '%{http_code}' "$@" "$url$p"
}
header() { grep -i "^$1:" "$WORK/h" | tr -d '\r' | cut -d' ' -f2-; }
check_headers() {
    local csp
    csp=$(header Content-Security-Policy)
    case $csp in *"default-src 'none'"*"frame-ancestors 'none'"*) ;; *) fail "$1: CSP is '$csp'" ;; esac
    case $csp in *unsafe-inline* | *script-src*) fail "$1: CSP allows inline or scripts: $csp" ;; esac
    assert_eq "$(header X-Content-Type-Options)" nosniff "$1: nosniff"
    assert_eq "$(header Referrer-Policy)" no-referrer "$1: no referrer"
    assert_eq "$(header Cache-Control)" no-store "$1: no-store"
}

assert_eq "$(code /school/79-Q01-THCS-0001)" 303 "no session: 303"
assert_eq "$(header Location)" /login "no session: to /login"
check_headers "303"
assert_eq "$(code /no/such/page)" 303 "no session, unknown path: 303"

jar=$WORK/jar
assert_eq "$(code /login -c "$jar" -b "$jar")" 200 "GET /login"
check_headers "/login"
csrf=$(grep -oE 'name="csrf" value="[0-9a-f]{64}"' "$WORK/b" | grep -oE '[0-9a-f]{64}') ||
    fail "no csrf field on /login"
grep -q 'name="username"' "$WORK/b" && grep -q 'name="password"' "$WORK/b" ||
    fail "the login form lacks username or password"

assert_eq "$(code /login -c "$jar" -b "$jar" --data-urlencode username=nd \
    --data-urlencode password=sai-mat-khau --data-urlencode "csrf=$csrf")" 401 "wrong password: 401"
assert_eq "$(code /login -b "$jar" --data-urlencode username=nd \
    --data-urlencode password=mat-khau-truong-1 --data-urlencode csrf=0000)" 403 \
    "login with a wrong csrf: 403"
assert_eq "$(code /login -c "$jar" -b "$jar" --data-urlencode username=nd \
    --data-urlencode password=mat-khau-truong-1 --data-urlencode "csrf=$csrf")" 303 "login: 303"
cookie=$(header Set-Cookie | grep '^pa_session=') || fail "login set no pa_session cookie"
case $cookie in *HttpOnly*SameSite=Strict*Path=/*Max-Age=*) ;; *) fail "cookie flags: $cookie" ;; esac
assert_eq "$(header Location)" /school/79-Q01-THCS-0001 "login lands on its school"
session=$(grep -oE 'pa_session\s+[0-9a-f]{64}' "$jar" | grep -oE '[0-9a-f]{64}$')

assert_eq "$(code /school/79-Q01-THCS-0001 -b "$jar")" 200 "own school: 200"
check_headers "school page"
assert_contains "$WORK/b" "Trường THCS Nguyễn Du" "school page shows the school"
assert_contains "$WORK/b" 'action="/recheck"' "school page has the re-check form"
csrf=$(grep -oE 'name="csrf" value="[0-9a-f]{64}"' "$WORK/b" | head -n 1 | grep -oE '[0-9a-f]{64}')
assert_eq "$(code /school/79-Q01-THCS-0001.json -b "$jar")" 200 "own school JSON: 200"
grep -qi '^Content-Disposition: attachment' "$WORK/h" || fail "download without Content-Disposition"
assert_eq "$(code /school/79-Q03-TH-0003 -b "$jar")" 403 "another school: 403"
check_headers "403"
assert_eq "$(code /school/79-Q03-TH-0003.csv -b "$jar")" 403 "another school's CSV: 403"
assert_eq "$(code /city -b "$jar")" 403 "school user, city: 403"

n() { sqlite3 "$db" 'SELECT count(*) FROM rechecks'; }
assert_eq "$(code /recheck -b "$jar" --data-urlencode school=79-Q01-THCS-0001)" 403 \
    "re-check without csrf: 403"
assert_eq "$(n)" 0 "no re-check queued without csrf"
assert_eq "$(code /recheck -b "$jar" --data-urlencode school=79-Q03-TH-0003 \
    --data-urlencode "csrf=$csrf")" 403 "re-check of another school: 403"
assert_eq "$(n)" 0 "no re-check queued for another school"
assert_eq "$(code /recheck -b "$jar" --data-urlencode school=79-Q01-THCS-0001 \
    --data-urlencode "csrf=$csrf")" 303 "re-check: 303"
assert_eq "$(n)" 1 "the re-check is queued"

head -c 70000 /dev/zero | tr '\0' a >"$WORK/big"
assert_eq "$(code /recheck -b "$jar" --data-binary @"$WORK/big")" 413 "a 70 kB body: 413"
check_headers "413"
assert_eq "$(n)" 1 "nothing queued by the large body"

assert_eq "$(code /logout -b "$jar" --data-urlencode "csrf=$csrf")" 303 "logout: 303"
assert_eq "$(code /school/79-Q01-THCS-0001 -b "pa_session=$session")" 303 \
    "the session id after logout: 303"

ts_stop "$spid"
assert_eq "$TS_STATUS" 0 "SIGTERM stops serve with status 0"
grep -q 'serve: stopped' "$WORK/serve.out" || fail "no stop line"
ok "serve smoke test passed"
