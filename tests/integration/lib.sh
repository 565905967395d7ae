# shellcheck shell=bash
# Helpers for portal-audit integration tests.  Source this file:
#
#   . "$(dirname "$0")/lib.sh"        (or tests/integration/lib.sh)
#   ts_start "$root"                   # sets TS_PORT TS_PID TS_LOG TS_DIR TS_URL
#   ts_curl "$TS_URL/page.html"        # curl that never uses a proxy
#   assert_contains "$TS_LOG" $'\tGET\t/page.html\t' "page fetched"
#
# The test server binary comes from $TESTSERVER (set by ctest).  Every
# server started here is killed on exit, and the per-test directory $WORK
# is removed unless KEEP_WORK=1.  The EXIT trap belongs to this library:
# a test that needs its own cleanup should define ts_user_cleanup, which
# is called first.
#
# Safe under `set -euo pipefail`.  Do not call ts_start inside $(...) or a
# pipeline: it must run in the test's own shell to record the server.

if [ -n "${TS_LIB_LOADED:-}" ]; then
    return 0
fi
TS_LIB_LOADED=1

# Tests only ever talk to 127.0.0.0/8; a proxy from the environment would
# send fixture traffic (and the crawler's) somewhere else.
unset http_proxy https_proxy HTTP_PROXY HTTPS_PROXY all_proxy ALL_PROXY \
      ftp_proxy FTP_PROXY
export no_proxy='*' NO_PROXY='*'

# PA_TEST_THREADS=N: crawl, audit and check get --threads N (a wrapper
# stands in for $PORTAL_AUDIT; the ThreadSanitizer run of scripts/test).
if [ -n "${PA_TEST_THREADS:-}" ] && [ -z "${PA_TEST_BINARY:-}" ] && [ -n "${PORTAL_AUDIT:-}" ]; then
    PA_TEST_BINARY=$PORTAL_AUDIT
    PORTAL_AUDIT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../support" && pwd)/threads-wrapper.sh
    export PA_TEST_BINARY PORTAL_AUDIT
fi

TS_SERVERS=()
TS_SEQ=0
TS_OWN_WORK=0

fail() {
    echo "FAIL: $*" >&2
    exit 1
}

ok() {
    echo "ok - $*"
}

assert_eq() {
    if [ "$1" != "$2" ]; then
        fail "$3: got '$1', expected '$2'"
    fi
    ok "$3"
}

# sanitized_build: true when the program under test ($PA_TEST_BINARY behind
# the threads wrapper, else $PORTAL_AUDIT) is an ASan or TSan build, whose
# shadow memory and quarantine make its RSS say nothing about the program.
# (ldd's whole output first: grep -q would quit at the first match and,
# with pipefail, the SIGPIPE ldd then gets read a sanitizer build as a
# normal one now and then.)
sanitized_build() {
    case "$(ldd "${PA_TEST_BINARY:-$PORTAL_AUDIT}" 2>/dev/null || true)" in
        *libasan* | *libtsan*) return 0 ;;
    esac
    return 1
}

# assert_rss_flat SMALL LARGE BOUND WHAT: the peak RSS LARGE (KiB) exceeds
# SMALL by at most BOUND KiB; only reported in a sanitizer build.
assert_rss_flat() {
    if sanitized_build; then
        ok "$4: peak RSS $(($1 / 1024)) MB vs $(($2 / 1024)) MB (sanitizer build: not bounded here)"
        return 0
    fi
    [ $(($2 - $1)) -le "$3" ] || fail "$4: peak RSS $1 KiB, then $2 KiB: more than $3 KiB above"
    ok "$4: peak RSS $1 KiB, then $2 KiB (at most $3 KiB more)"
}

# one_page_sites ROOT N FORMAT: N one-page sites under ROOT for the
# testserver, site I in ROOT/$(printf FORMAT I) (e.g. s%03d.hcm.edu.vn):
# an index.html titled "Trường số I" and a robots.txt allowing all.
one_page_sites() {
    python3 - "$1" "$2" "$3" <<'PY'
import os, sys
root, n, fmt = sys.argv[1], int(sys.argv[2]), sys.argv[3]
for i in range(n):
    d = os.path.join(root, fmt % i)
    os.makedirs(d)
    with open(os.path.join(d, "index.html"), "w", encoding="utf-8") as f:
        f.write(f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Trường số {i}</title>'
                f'</head><body><h1>Trường số {i}</h1></body></html>\n')
    with open(os.path.join(d, "robots.txt"), "w") as f:
        f.write("User-agent: *\nAllow: /\n")
PY
}

# Shows the start of FILE on stderr so a failure explains itself in the
# ctest log.
ts__show() {
    echo "--- $1 (first 40 lines) ---" >&2
    head -n 40 -- "$1" >&2 2>/dev/null || echo "(unreadable)" >&2
    echo "---" >&2
}

assert_contains() {
    if ! grep -qF -- "$2" "$1" 2>/dev/null; then
        ts__show "$1"
        fail "$3: '$2' not found in $1"
    fi
    ok "$3"
}

assert_not_contains() {
    if [ ! -r "$1" ]; then
        fail "$3: cannot read $1"
    fi
    if grep -qF -- "$2" "$1"; then
        ts__show "$1"
        fail "$3: '$2' unexpectedly found in $1"
    fi
    ok "$3"
}

# ts_mkwork: makes sure $WORK exists.  A directory we create is ours to
# delete on exit; one the caller supplied is left alone (it may be
# anything, and rm -rf on it would be a nasty surprise).
ts_mkwork() {
    if [ -z "${WORK:-}" ]; then
        WORK=$(mktemp -d "${TMPDIR:-/tmp}/portal-audit-it.XXXXXX") ||
            fail "mktemp -d failed"
        TS_OWN_WORK=1
    fi
    mkdir -p -- "$WORK" || fail "cannot create $WORK"
    export WORK
}

# curl with the options every test wants: never a proxy, bounded time,
# quiet but errors shown.
ts_curl() {
    curl --noproxy '*' --silent --show-error --max-time 10 "$@"
}

# ts_start ROOT [ADDR]: starts a server for the fixture tree ROOT on ADDR
# (default 127.0.0.1) and an ephemeral port.  Sets and exports TS_PORT,
# TS_PID, TS_LOG (request log), TS_DIR (its files: port, pid, stdout,
# stderr) and TS_URL.  Call again for more servers; save the variables
# between calls.
ts_start() {
    local root=${1:?ts_start: ROOT missing}
    local addr=${2:-127.0.0.1}
    local i

    [ -n "${TESTSERVER:-}" ] || fail "TESTSERVER is not set (path of the testserver binary)"
    [ -x "$TESTSERVER" ] || fail "TESTSERVER=$TESTSERVER is not executable"
    ts_mkwork
    TS_SEQ=$((TS_SEQ + 1))
    TS_DIR=$WORK/testserver.$TS_SEQ
    mkdir -p -- "$TS_DIR" || fail "cannot create $TS_DIR"
    TS_LOG=$TS_DIR/requests.log
    : >"$TS_LOG"
    rm -f -- "$TS_DIR/port"

    "$TESTSERVER" --root "$root" --addr "$addr" --port 0 \
        --port-file "$TS_DIR/port" --log "$TS_LOG" \
        --pid-file "$TS_DIR/pid" \
        >"$TS_DIR/stdout" 2>"$TS_DIR/stderr" &
    TS_PID=$!
    TS_SERVERS+=("$TS_PID")

    # The server writes the port file atomically once it is listening.
    for ((i = 0; i < 50; i++)); do
        [ -s "$TS_DIR/port" ] && break
        if ! kill -0 "$TS_PID" 2>/dev/null; then
            ts__show "$TS_DIR/stderr"
            fail "testserver exited during startup (root $root, addr $addr)"
        fi
        sleep 0.1
    done
    [ -s "$TS_DIR/port" ] || fail "testserver did not write its port file within 5 s"
    TS_PORT=$(<"$TS_DIR/port")
    case $TS_PORT in
        '' | *[!0-9]*) fail "testserver port file holds '$TS_PORT'" ;;
    esac
    TS_URL=http://$addr:$TS_PORT
    export TS_PORT TS_PID TS_LOG TS_DIR TS_URL
}

# ts_stop [PID]: stops one server (default $TS_PID) with SIGTERM, waits
# for it (SIGKILL after 5 s) and sets TS_STATUS to its exit status.
ts_stop() {
    local pid=${1:-${TS_PID:-}}
    local i kept=()
    TS_STATUS=
    [ -n "$pid" ] || return 0
    if kill -TERM "$pid" 2>/dev/null; then
        for ((i = 0; i < 50; i++)); do
            kill -0 "$pid" 2>/dev/null || break
            sleep 0.1
        done
        kill -KILL "$pid" 2>/dev/null || true
    fi
    TS_STATUS=0
    wait "$pid" 2>/dev/null || TS_STATUS=$?
    for i in ${TS_SERVERS[@]+"${TS_SERVERS[@]}"}; do
        [ "$i" = "$pid" ] || kept+=("$i")
    done
    TS_SERVERS=(${kept[@]+"${kept[@]}"})
    export TS_STATUS
}

# ts_requests PATHPREFIX [LOG]: request lines (not CONNECT lines) of LOG
# (default $TS_LOG) whose TARGET starts with PATHPREFIX.  Fields are
#   1 ms  2 peer  3 local  4 METHOD  5 TARGET  6 HOST  7 USER_AGENT
#   8 IF_NONE_MATCH  9 IF_MODIFIED_SINCE  10 ACCEPT_ENCODING  11 STATUS
ts_requests() {
    # ENVIRON, not -v: awk -v would interpret backslashes in the prefix.
    TS_PREFIX=${1-} awk -F '\t' '
        NF >= 11 && substr($5, 1, length(ENVIRON["TS_PREFIX"])) == ENVIRON["TS_PREFIX"]
    ' "${2:-$TS_LOG}"
}

# ts_wait_request PATH PID: waits (up to 10 s) until the server has logged
# a request for PATH or process PID has ended.
ts_wait_request() {
    local i
    for ((i = 0; i < 200; i++)); do
        [ -n "$(ts_requests "$1")" ] && return 0
        kill -0 "$2" 2>/dev/null || return 0
        sleep 0.05
    done
}

ts__cleanup() {
    local rc=$? pid
    if declare -F ts_user_cleanup >/dev/null; then
        ts_user_cleanup || true
    fi
    for pid in ${TS_SERVERS[@]+"${TS_SERVERS[@]}"}; do
        kill -TERM "$pid" 2>/dev/null || true
    done
    for pid in ${TS_SERVERS[@]+"${TS_SERVERS[@]}"}; do
        wait "$pid" 2>/dev/null || true
    done
    if [ "$TS_OWN_WORK" = 1 ] && [ -n "${WORK:-}" ]; then
        if [ "${KEEP_WORK:-0}" = 1 ]; then
            echo "# KEEP_WORK=1: kept $WORK" >&2
        else
            rm -rf -- "$WORK"
        fi
    fi
    return "$rc"
}
trap ts__cleanup EXIT
# Turn INT/TERM (e.g. a ctest timeout) into a normal exit so the EXIT trap
# still stops the servers.
trap 'exit 130' INT
trap 'exit 143' TERM

# A loopback port with nothing listening on it (a "dead portal").
free_port() {
    python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'
}

# Serves the bundled sample portals (samples/www) on 127.0.0.1 and writes
# their registry to $WORK/schools.csv (one school's portal on a dead port)
# and the host map to $WORK/hosts.  Call it in the test's own shell.
samples_start() {
    ts_start "$PA_SOURCE/samples/www" 127.0.0.1
    local dead
    dead=$(free_port)
    sed -e "s/{port}/$TS_PORT/g" -e "s/{deadport}/$dead/g" \
        "$PA_SOURCE/samples/schools.csv" >"$WORK/schools.csv"
    grep -oE 'https?://[^:/]+' "$WORK/schools.csv" | sed 's|https\?://||' | sort -u |
        awk '{print $1, "127.0.0.1"}' >"$WORK/hosts"
}

# tree_city WWW CSV NSITES NPAGES: NSITES portals siteN.hcm.edu.vn (school
# R-N) of NPAGES pages /p/I/ each, page I linking to 2I+1 and 2I+2, with a
# robots.txt allowing all; CSV is their registry with PORT for the port.
tree_city() {
    python3 - "$@" <<'PY'
import os, sys
www, csv, nsites, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
rows = ["school_id,name,unit,level,ownership,portal_url"]
for s in range(nsites):
    host = f"site{s}.hcm.edu.vn"
    for i in range(n):
        d = os.path.join(www, host, "p", str(i))
        os.makedirs(d, exist_ok=True)
        links = "".join(f'<a href="/p/{j}/">Trang {j}</a> ' for j in (2*i+1, 2*i+2) if j < n)
        with open(os.path.join(d, "index.html"), "w", encoding="utf-8") as f:
            f.write(f"<html><head><title>Trang {i}</title></head><body><h1>Trang {i}</h1>{links}</body></html>")
    with open(os.path.join(www, host, "index.html"), "w", encoding="utf-8") as f:
        f.write('<html><head><title>Trang chủ</title></head><body><a href="/p/0/">Bắt đầu</a></body></html>')
    with open(os.path.join(www, host, "robots.txt"), "w") as f:
        f.write("User-agent: *\nAllow: /\n")
    rows.append(f"R-{s},Trường {s},Quận 1,th,cong_lap,http://{host}:PORT/")
open(csv, "w", encoding="utf-8").write("\n".join(rows) + "\n")
PY
}

# samples_audited DB [CRAWL OPTIONS...]: samples_start, then the registry
# imported into DB, crawled and audited (period 2017-2018 as of 2018-05-15).
samples_audited() {
    local db=$1
    shift
    samples_start
    "$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
    "$PORTAL_AUDIT" --db "$db" crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 \
        --delay 0 --quiet "$@" >/dev/null
    "$PORTAL_AUDIT" --db "$db" audit --period 2017-2018 --as-of 2018-05-15 --quiet
}

# chromium_need [pdfinfo]: sets $chromium, failing when Chromium (or, when
# asked, pdfinfo) is missing: scripts/setup installs both.
chromium_need() {
    chromium=$(command -v chromium || command -v chromium-browser || true)
    [ -n "$chromium" ] || fail "chromium is not installed (scripts/setup installs it)"
    if [ "${1:-}" = pdfinfo ]; then
        command -v pdfinfo >/dev/null || fail "pdfinfo is not installed (scripts/setup installs poppler-utils)"
    fi
}

# browser OUT ARGS...: one headless Chromium run with a fresh profile in
# $WORK, standard output to OUT and errors to OUT.err; fails the test when
# Chromium fails or takes over a minute.
browser() {
    local out=$1 profile
    shift
    profile=$(mktemp -d "$WORK/chromium.XXXXXX")
    timeout 60 "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --user-data-dir="$profile" "$@" >"$out" 2>"$out.err" ||
        { tail -5 "$out.err" >&2; fail "chromium failed: $*"; }
}
