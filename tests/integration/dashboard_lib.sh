# shellcheck shell=bash
# Shared setup of the dashboard tests (test_dashboard_http.sh,
# test_dashboard_browser.sh, docs/DASHBOARD.md).  Source it after lib.sh:
#
#   dash_store DB [EXTRA_CSV_LINE]  the sample portals ($DASH_WWW, default
#                                   samples/www) served on loopback; a
#                                   registry of two units and three schools
#                                   (plus EXTRA_CSV_LINE, PORT replaced by the
#                                   test server's port) imported, crawled and
#                                   audited; one user of each role created with
#                                   `users add`, the password on stdin
#   dash_serve DB LOG ARGS...       `serve --listen 127.0.0.1:PORT ARGS...` on a
#                                   free port; sets DASH_URL and DASH_PID
#
# The users (name, role, scope, password) are in $WORK/users.tsv for the
# Python halves of the tests.

DASH_UNIT1='Quận 1'
DASH_UNIT3='Quận 3'
DASH_S1=79-Q01-THCS-0001 # Quận 1
DASH_S2=79-Q01-MN-0002   # Quận 1
DASH_S3=79-Q03-TH-0003   # Quận 3

dash_store() {
    local db=$1 extra=${2:-} line name role scope pw
    local www=${DASH_WWW:-$PA_SOURCE/samples/www} dead
    ts_start "$www" 127.0.0.1
    dead=$(free_port)
    sed -e "s/{port}/$TS_PORT/g" -e "s/{deadport}/$dead/g" \
        "$PA_SOURCE/samples/schools.csv" >"$WORK/schools.csv"
    # Two units, three schools: the samples of Quận 1 and Quận 3.
    head -n 1 "$WORK/schools.csv" >"$WORK/dash.csv"
    grep -E "^($DASH_S1|$DASH_S2|$DASH_S3)," "$WORK/schools.csv" >>"$WORK/dash.csv"
    if [ -n "$extra" ]; then
        printf '%s\n' "${extra//PORT/$TS_PORT}" >>"$WORK/dash.csv"
    fi
    grep -oE 'https?://[^:/]+' "$WORK/dash.csv" | sed 's|https\?://||' | sort -u |
        awk '{print $1, "127.0.0.1"}' >"$WORK/hosts"
    "$PORTAL_AUDIT" --db "$db" schools import "$WORK/dash.csv" >/dev/null
    "$PORTAL_AUDIT" --db "$db" crawl --hosts-file "$WORK/hosts" --allow-addr 127.0.0.1/32 \
        --delay 0 --quiet >/dev/null
    "$PORTAL_AUDIT" --db "$db" audit --period 2017-2018 --as-of 2018-05-15 --quiet
    cat >"$WORK/users.tsv" <<EOF
quantri	admin	-	pw-admin-Zq7#long
canbo-q1	unit	$DASH_UNIT1	pw-q1-Hn4!long
canbo-q3	unit	$DASH_UNIT3	pw-q3-Vb8%long
truong-nd	school	$DASH_S1	pw-s1-Lk2^long
truong-hs	school	$DASH_S2	pw-s2-Pm5&long
truong-lvs	school	$DASH_S3	pw-s3-Tr9*long
khoa-thu	unit	$DASH_UNIT3	pw-lock-Xy3@long
EOF
    while IFS=$'\t' read -r name role scope pw; do
        case $role in
        admin) set -- ;;
        unit) set -- --unit "$scope" ;;
        school) set -- --school "$scope" ;;
        esac
        printf '%s\n' "$pw" | "$PORTAL_AUDIT" --db "$db" users add "$name" --role "$role" "$@" \
            >"$WORK/users-add.out" 2>&1 ||
            {
                cat "$WORK/users-add.out" >&2
                fail "users add $name --role $role $*"
            }
    done <"$WORK/users.tsv"
    ok "users of each role added with the password on stdin"
}

# dash_serve DB LOG ARGS...: starts the dashboard on a free loopback port
# (a few tries: the port is free when chosen, another process may take it
# first) and waits until it answers (60 s: sanitizer builds start slowly).
dash_serve() {
    local db=$1 log=$2 try i port
    shift 2
    for try in 1 2 3; do
        port=$(free_port)
        "$PORTAL_AUDIT" --db "$db" serve --listen "127.0.0.1:$port" "$@" >"$log" 2>&1 &
        DASH_PID=$!
        TS_SERVERS+=("$DASH_PID")
        DASH_URL=http://127.0.0.1:$port
        for ((i = 0; i < 600; i++)); do
            if ! kill -0 "$DASH_PID" 2>/dev/null; then
                break
            fi
            if curl --noproxy '*' -s -o /dev/null --max-time 5 "$DASH_URL/login"; then
                export DASH_URL DASH_PID
                return 0
            fi
            sleep 0.1
        done
        ts_stop "$DASH_PID"
        grep -qi 'address already in use\|EADDRINUSE\|bind' "$log" || break
    done
    ts__show "$log"
    fail "portal-audit serve did not answer on $DASH_URL (try $try)"
}
