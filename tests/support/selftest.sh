#!/usr/bin/env bash
# Self-test of tests/support/testserver and tests/integration/lib.sh.
# Usage: selftest.sh PATH/TO/testserver
# Only ever talks to 127.0.0.0/8.
set -euo pipefail

TESTSERVER=${1:-${TESTSERVER:-}}
export TESTSERVER
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=SCRIPTDIR/../integration/lib.sh
. "$here/../integration/lib.sh"

ts_mkwork
root=$WORK/root

# --- fixtures -------------------------------------------------------------
mkdir -p "$root/alpha.test/sub" "$root/beta.test" "$root/_default" \
    "$WORK/outside"
printf 'alpha home\n' >"$root/alpha.test/index.html"
printf 'alpha sub\n' >"$root/alpha.test/sub/index.html"
printf 'beta home\n' >"$root/beta.test/index.html"
printf 'default home\n' >"$root/_default/index.html"
printf 'secret\n' >"$WORK/outside/index.html"
printf 'spaced\n' >"$root/alpha.test/with space.html"
printf '<p>aspx</p>\n' >"$root/alpha.test/page.aspx"
printf '0123456789' >"$root/alpha.test/big.txt"
# A deliberately broken response: Content-Length lies, odd bytes, a NUL.
printf 'HTTP/1.1 200 OK\r\nContent-Length: 999\r\nX-Bin: \x01\x7f\r\n\r\npartial\x00body\n' \
    >"$root/alpha.test/broken.html.raw"
printf 'Status: 301 Moved Permanently\nLocation: http://alpha.test/new.html\n' \
    >"$root/alpha.test/old.html.hdr"
printf '# slow and big\nX-Test-Delay-Ms: 300\nX-Test-Body-Repeat: 1000\nX-Custom: yes\nContent-Type: text/x-test\n' \
    >"$root/alpha.test/big.txt.hdr"

count_connects() {
    awk -F '\t' '$4 == "CONNECT"' "$TS_LOG" | wc -l
}

# --- start ------------------------------------------------------------------
ts_start "$root"
A_PORT=$TS_PORT A_PID=$TS_PID A_LOG=$TS_LOG A_DIR=$TS_DIR
base=http://127.0.0.1:$A_PORT

assert_eq "$(cat "$A_DIR/port")" "$A_PORT" "port file holds the port"
assert_eq "$(cat "$A_DIR/stdout")" "$A_PORT" "port printed on stdout"
assert_eq "$(cat "$A_DIR/pid")" "$A_PID" "pid file holds the server pid"

# --- site selection by Host ---------------------------------------------------
assert_eq "$(ts_curl -H 'Host: alpha.test' "$base/")" "alpha home" "Host alpha.test -> alpha site"
assert_eq "$(ts_curl -H 'Host: BETA.Test:8080' "$base/")" "beta home" "Host lowercased, port stripped -> beta site"
assert_eq "$(ts_curl -H 'Host: nowhere.test' "$base/")" "default home" "unknown Host -> _default"
assert_eq "$(ts_curl -H 'Host: ../outside' "$base/")" "default home" "Host cannot escape the root"
assert_eq "$(ts_curl -H 'Host: alpha.test' "$base/sub/")" "alpha sub" "dir/ maps to dir/index.html"
assert_eq "$(ts_curl -H 'Host: alpha.test' "$base/with%20space.html")" "spaced" "percent-decoding"
assert_eq "$(ts_curl -H 'Host: alpha.test' "$base/index.html?a=1&b=2")" "alpha home" "query string ignored for lookup"
assert_eq "$(ts_requests '/index.html?a=1' | wc -l)" 1 "query string kept in the logged TARGET"

ts_curl -H 'Host: alpha.test' -D "$WORK/h.aspx" -o /dev/null "$base/page.aspx"
assert_contains "$WORK/h.aspx" "Content-Type: text/html; charset=utf-8" ".aspx served as HTML"

# --- 404, 400 ---------------------------------------------------------------
code=$(ts_curl -H 'Host: alpha.test' -o "$WORK/404.body" -w '%{http_code}' "$base/missing.html")
assert_eq "$code" 404 "missing file -> 404"
assert_contains "$WORK/404.body" "404 Not Found" "404 has an HTML body"
code=$(ts_curl -o /dev/null -w '%{http_code}' -H 'Host: alpha.test' --path-as-is "$base/sub/../../outside/index.html")
assert_eq "$code" 400 "'..' segment -> 400"
code=$(ts_curl -o /dev/null -w '%{http_code}' -H 'Host: alpha.test' --path-as-is "$base/sub/%2e%2e/index.html")
assert_eq "$code" 400 "encoded '..' segment -> 400"
code=$(ts_curl -o /dev/null -w '%{http_code}' -X POST -H 'Host: alpha.test' "$base/")
assert_eq "$code" 405 "POST -> 405"

# --- .raw: byte-for-byte ------------------------------------------------------
exec 3<>"/dev/tcp/127.0.0.1/$A_PORT"
printf 'GET /broken.html HTTP/1.1\r\nHost: alpha.test\r\n\r\n' >&3
timeout 5 cat <&3 >"$WORK/raw.out" || fail "reading the .raw response"
exec 3<&- 3>&-
cmp -s "$WORK/raw.out" "$root/alpha.test/broken.html.raw" ||
    fail ".raw response differs from the fixture"
ok ".raw response delivered byte for byte, then closed"
assert_eq "$(ts_requests /broken.html | cut -f 11)" 200 ".raw status code logged"

# --- .hdr ---------------------------------------------------------------------
ts_curl -H 'Host: alpha.test' -D "$WORK/h.old" -o /dev/null "$base/old.html"
assert_contains "$WORK/h.old" "HTTP/1.1 301 Moved Permanently" ".hdr Status replaces the status line"
assert_contains "$WORK/h.old" "Location: http://alpha.test/new.html" ".hdr adds Location"
assert_contains "$WORK/h.old" "Content-Length: 0" ".hdr without body file -> empty body"

t=$(ts_curl -H 'Host: alpha.test' -D "$WORK/h.big" -o "$WORK/big.body" -w '%{time_total}' "$base/big.txt")
assert_eq "$(wc -c <"$WORK/big.body" | tr -d ' ')" 10000 "X-Test-Body-Repeat repeats the body"
assert_contains "$WORK/h.big" "Content-Length: 10000" "Content-Length covers the repeats"
assert_contains "$WORK/h.big" "X-Custom: yes" ".hdr extra header sent"
assert_contains "$WORK/h.big" "Content-Type: text/x-test" ".hdr Content-Type overrides"
assert_not_contains "$WORK/h.big" "text/plain" "default Content-Type suppressed"
assert_not_contains "$WORK/h.big" "X-Test-" "X-Test-* controls not sent"
awk -v t="$t" 'BEGIN { exit !(t >= 0.3) }' || fail "X-Test-Delay-Ms: answered after ${t}s"
ok "X-Test-Delay-Ms delays the answer (${t}s)"

# --- conditional GET ---------------------------------------------------------
ts_curl -H 'Host: alpha.test' -D "$WORK/h.idx" -o /dev/null "$base/index.html"
etag=$(awk 'tolower($1) == "etag:" { sub(/\r$/, "", $2); print $2 }' "$WORK/h.idx")
lastmod=$(awk 'tolower($1) == "last-modified:" { sub(/^[^:]*: /, ""); sub(/\r$/, ""); print }' "$WORK/h.idx")
size=$(stat -c %s "$root/alpha.test/index.html")
mtime=$(stat -c %Y "$root/alpha.test/index.html")
assert_eq "$etag" "\"$size-$mtime\"" "ETag is \"size-mtime\""
res=$(ts_curl -H 'Host: alpha.test' -H "If-None-Match: $etag" -o /dev/null -w '%{http_code} %{size_download}' "$base/index.html")
assert_eq "$res" "304 0" "If-None-Match with the ETag -> 304, no body"
code=$(ts_curl -H 'Host: alpha.test' -H 'If-None-Match: "other"' -o /dev/null -w '%{http_code}' "$base/index.html")
assert_eq "$code" 200 "If-None-Match with another tag -> 200"
code=$(ts_curl -H 'Host: alpha.test' -H "If-Modified-Since: $lastmod" -o /dev/null -w '%{http_code}' "$base/index.html")
assert_eq "$code" 304 "If-Modified-Since = Last-Modified -> 304"
code=$(ts_curl -H 'Host: alpha.test' -H 'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT' -o /dev/null -w '%{http_code}' "$base/index.html")
assert_eq "$code" 200 "older If-Modified-Since -> 200"
assert_eq "$(ts_requests /index.html | awk -F '\t' '$8 != ""' | cut -f 8,11 | head -n 1)" "$etag	304" "If-None-Match and status logged"

# --- HEAD, keep-alive, Connection: close ---------------------------------------
ts_curl -I -H 'Host: alpha.test' -o "$WORK/h.head" "$base/big.txt"
assert_contains "$WORK/h.head" "Content-Length: 10000" "HEAD reports the length"
before=$(count_connects)
conns=$(ts_curl -H 'Host: alpha.test' -o /dev/null -o /dev/null -w '%{num_connects}\n' "$base/" "$base/sub/" | tr '\n' ' ')
assert_eq "$conns" "1 0 " "second request reused the connection"
assert_eq "$(( $(count_connects) - before ))" 1 "one CONNECT line for two keep-alive requests"
ts_curl -H 'Host: alpha.test' -H 'Connection: close' -D "$WORK/h.close" -o /dev/null "$base/"
assert_contains "$WORK/h.close" "Connection: close" "Connection: close honoured"

# --- 431 ----------------------------------------------------------------------
exec 3<>"/dev/tcp/127.0.0.1/$A_PORT"
printf 'GET /toobig HTTP/1.1\r\nHost: alpha.test\r\nX-Big: %s\r\n\r\n' \
    "$(head -c 17000 /dev/zero | tr '\0' a)" >&3
timeout 5 cat <&3 >"$WORK/431.out" || true
exec 3<&- 3>&-
assert_contains "$WORK/431.out" "HTTP/1.1 431 " "head over 16 KiB -> 431"
assert_eq "$(ts_requests /toobig | cut -f 11)" 431 "431 logged with its target"

# --- request log ----------------------------------------------------------------
ts_curl -A 'SelfTest/1.0 (portal-audit)' -H 'Host: alpha.test' \
    -H 'Accept-Encoding: gzip' -o /dev/null "$base/ua-check.html"
line=$(ts_requests /ua-check.html)
assert_eq "$(cut -f 4,5,6 <<<"$line")" "GET	/ua-check.html	alpha.test" "log: method, target, host"
assert_eq "$(cut -f 7 <<<"$line")" "SelfTest/1.0 (portal-audit)" "log: User-Agent recorded"
assert_eq "$(cut -f 10,11 <<<"$line")" "gzip	404" "log: Accept-Encoding and status"
assert_eq "$(awk -F '\t' '{ print NF }' <<<"$line")" 11 "log: 11 fields"
assert_eq "$(cut -f 3 <<<"$line")" "127.0.0.1:$A_PORT" "log: local address"
ts_curl -H $'User-Agent: tab\there' -H 'Host: alpha.test' -o /dev/null "$base/tab-check"
assert_eq "$(ts_requests /tab-check | cut -f 7)" "tab here" "log: tab in a header becomes a space"

before=$(count_connects)
exec 3<>"/dev/tcp/127.0.0.1/$A_PORT"
exec 3<&- 3>&-
for _ in $(seq 50); do
    [ "$(count_connects)" -gt "$before" ] && break
    sleep 0.1
done
assert_eq "$(( $(count_connects) - before ))" 1 "silent connection logged as CONNECT"

# --- a second server, another loopback address ----------------------------------
ts_start "$root" 127.0.0.2
assert_eq "$(ts_curl -H 'Host: beta.test' "http://127.0.0.2:$TS_PORT/")" "beta home" "second server on 127.0.0.2"
assert_contains "$TS_LOG" "127.0.0.2:$TS_PORT" "second server logs its own local address"
assert_not_contains "$A_LOG" "127.0.0.2" "first server's log untouched"
ts_stop
assert_eq "$TS_STATUS" 0 "second server exits 0 on SIGTERM"

# --- refused addresses ------------------------------------------------------------
for bad in 10.0.0.1 0.0.0.0 192.168.1.1 localhost; do
    rc=0
    "$TESTSERVER" --root "$root" --addr "$bad" --port 0 \
        --port-file "$WORK/bad.port" >/dev/null 2>"$WORK/bad.err" || rc=$?
    assert_eq "$rc" 2 "--addr $bad refused with exit 2"
    [ ! -e "$WORK/bad.port" ] || fail "--addr $bad: port file written"
    [ -s "$WORK/bad.err" ] || fail "--addr $bad: no message"
done
ok "refused addresses never got a port"

# --- shutdown ---------------------------------------------------------------------
ts_stop "$A_PID"
assert_eq "$TS_STATUS" 0 "server exits 0 on SIGTERM"
echo "# all testserver self-tests passed"
