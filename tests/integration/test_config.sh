#!/usr/bin/env bash
# The config file (--config FILE): its settings reach the crawl (db,
# allow_addr, contact, delay) and the audit (rules_dir); the command line
# beats it; a bad or missing file stops the command with exit status 2 and
# a file:line message.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=cfg.hcm.edu.vn
mkdir -p "$WORK/site/$host"
echo '<html><head><title>Trường</title></head><body>Trang chủ</body></html>' \
  >"$WORK/site/$host/index.html"
printf 'User-agent: *\nAllow: /\n' >"$WORK/site/$host/robots.txt"
ts_start "$WORK/site" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nC-1,Cfg,Quận 1,th,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
resolve=$host:$TS_PORT:127.0.0.1
cd "$WORK"

# A --config file must exist.
rc=0
"$PORTAL_AUDIT" --config "$WORK/none.conf" schools list >out 2>err || rc=$?
assert_eq "$rc" 2 "a missing --config file is exit status 2"
assert_contains err "config file $WORK/none.conf: No such file or directory" "and is named"
[ ! -e portal-audit.db ] || fail "a failed config load created a database"

# Errors are file:line: what is wrong.
printf '# settings\ndelay = 0\nspeed = 3\n' >bad.conf
rc=0
"$PORTAL_AUDIT" --config bad.conf schools list >out 2>err || rc=$?
assert_eq "$rc" 2 "an unknown key is exit status 2"
assert_contains err "portal-audit: bad.conf:3: unknown key 'speed'" "the error names file and line"
printf 'allow_addr = 127.0.0.300/8\n' >bad.conf
rc=0
"$PORTAL_AUDIT" --config=bad.conf schools list >out 2>err || rc=$?
assert_eq "$rc" 2 "a bad CIDR is exit status 2"
assert_contains err "bad.conf:1: allow_addr: '127.0.0.300/8' is not an address or CIDR range" \
  "the bad CIDR is named"

# The file's db, allow_addr, contact and delay are used: loopback is
# reachable only through allow_addr, and the User-Agent carries the contact.
cat >good.conf <<CONF
db = $WORK/cfg.db
allow_addr = 127.0.0.1/32
contact = mailto:it@example.vn
delay = 0
CONF
"$PORTAL_AUDIT" --config good.conf schools import schools.csv >/dev/null
[ -s cfg.db ] || fail "the config's db was not used"
[ ! -e portal-audit.db ] || fail "the default database was created despite db ="
"$PORTAL_AUDIT" --config good.conf crawl --resolve "$resolve" --quiet >out 2>err
assert_contains "$TS_LOG" $'\tGET\t/\t' "allow_addr of the config permits loopback"
ua=$(ts_requests / | head -n 1 | cut -f 7)
case $ua in
  portal-audit/*" (+mailto:it@example.vn)") ok "contact in the User-Agent: $ua" ;;
  *) fail "User-Agent without the contact: '$ua'" ;;
esac

# The command line beats the file: --user-agent over contact, --allow-addr
# replaces the whole allow_addr list, --db over db.
cat >deny.conf <<CONF
db = $WORK/cfg.db
allow_addr = 10.0.0.0/8
delay = 0
CONF
: >"$TS_LOG"
"$PORTAL_AUDIT" --config deny.conf crawl --resolve "$resolve" --quiet >/dev/null 2>&1
assert_not_contains "$TS_LOG" $'\tGET\t/\t' "allow_addr 10.0.0.0/8 of the config refuses loopback"
"$PORTAL_AUDIT" --config deny.conf crawl --resolve "$resolve" --allow-addr 127.0.0.0/8 \
  --user-agent cli-bot/2 --quiet >/dev/null
assert_contains "$TS_LOG" $'\tGET\t/\t' "--allow-addr replaces the config's list"
ua=$(ts_requests / | tail -n 1 | cut -f 7)
assert_eq "$ua" "cli-bot/2" "--user-agent beats the config"
"$PORTAL_AUDIT" --config deny.conf --db other.db schools import schools.csv >/dev/null
[ -s other.db ] || fail "--db did not beat the config's db"

# rules_dir: the config's beats $PORTAL_AUDIT_RULES, and a missing one is
# named with where it came from.
printf 'db = %s/cfg.db\nrules_dir = %s/no-rules\n' "$WORK" "$WORK" >rules.conf
rc=0
PORTAL_AUDIT_RULES=$PA_SOURCE/rules/sets \
  "$PORTAL_AUDIT" --config rules.conf audit --as-of 2018-05-15 >out 2>err || rc=$?
assert_eq "$rc" 2 "a missing rules_dir is exit status 2"
assert_contains err "rules directory $WORK/no-rules (rules_dir of the config file): No such file or directory" \
  "the missing rules directory is named"
mkdir rules-copy
cp "$PA_SOURCE"/rules/sets/*.yaml rules-copy/
printf 'db = %s/cfg.db\nrules_dir = %s/rules-copy\n' "$WORK" "$WORK" >rules.conf
PORTAL_AUDIT_RULES=$WORK/no-rules \
  "$PORTAL_AUDIT" --config rules.conf audit --as-of 2018-05-15 >out
assert_contains out "audit: run" "the config's rules_dir beats \$PORTAL_AUDIT_RULES"
