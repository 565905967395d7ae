#!/usr/bin/env bash
# The address guard acts at connect time: with only 127.0.0.1 allowed, a
# redirect to a listener on 127.0.0.2 is refused without connecting.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
mkdir -p "$WORK/trap/_default" "$WORK/site/guarded.hcm.edu.vn"
echo '<html><body>trap</body></html>' >"$WORK/trap/_default/index.html"
ts_start "$WORK/trap" 127.0.0.2
trap_log=$TS_LOG trap_port=$TS_PORT
printf 'Status: 302 Found\nLocation: http://127.0.0.2:%s/\n' "$trap_port" \
  >"$WORK/site/guarded.hcm.edu.vn/index.html.hdr"
printf 'User-agent: *\nAllow: /\n' >"$WORK/site/guarded.hcm.edu.vn/robots.txt"
ts_start "$WORK/site" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nG-1,Guarded,Quận 1,th,cong_lap,http://guarded.hcm.edu.vn:%s/\n' \
  "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
"$PORTAL_AUDIT" --db "$db" crawl --resolve "guarded.hcm.edu.vn:$TS_PORT:127.0.0.1" \
  --allow-addr 127.0.0.1/32 --delay 0 --quiet >"$WORK/crawl.out"
assert_contains "$TS_LOG" $'\tGET\t/\t' "the allowed site was fetched"
assert_not_contains "$trap_log" "CONNECT" "the listener on 127.0.0.2 saw no connection"
reason=$(sqlite3 "$db" "SELECT reason FROM sites WHERE school_id='G-1'")
case $reason in *guard*|*127.0.0.2*) ok "refusal recorded: $reason" ;; *) fail "reason not recorded: '$reason'" ;; esac

# Without any allowance, loopback itself is refused, also before connecting.
n_before=$(grep -c CONNECT "$TS_LOG" || true)
"$PORTAL_AUDIT" --db "$db" crawl --resolve "guarded.hcm.edu.vn:$TS_PORT:127.0.0.1" --delay 0 --quiet >/dev/null
n_after=$(grep -c CONNECT "$TS_LOG" || true)
assert_eq "$n_before" "$n_after" "loopback is refused by default"
