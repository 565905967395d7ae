#!/usr/bin/env bash
# robots.txt rules (RFC 9309) against the real crawler: robots.txt is the
# first request, the group naming our product token is used (not the `*`
# group that disallows everything), Allow/Disallow by longest match with
# Allow winning a tie, `*` wildcards, a final `$`, case-sensitive paths.
# Disallowed paths are never requested; allowed ones are fetched.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
host=robots.hcm.edu.vn
site=$WORK/www/$host
mkdir -p "$site"

# Our group (product token "portal-audit") replaces the `*` group; the
# `*` group would forbid everything, another bot's group is ignored.
cat >"$site/robots.txt" <<'EOF'
User-agent: otherbot
Allow: /

User-agent: *
Disallow: /

User-agent: Portal-Audit
Disallow: /private/
Allow: /private/open/
Disallow: /private/open/secret
Disallow: /*.php$
Disallow: /files/*/secret
Disallow: /news$
Allow: /tie/
Disallow: /tie/
Disallow: /Upper/
Disallow: /shop
Allow: /shop/*.html$
EOF

allowed=(
  /public/page.html
  /private/open/y.html        # Allow /private/open/ (14) beats Disallow /private/ (9)
  /report.php?x=1             # /*.php$ needs the path to end in .php
  /files/a/public.html        # /files/*/secret does not match
  /news/1.html                # /news$ matches only /news
  /tie/t.html                 # equal length: Allow wins
  /upper/u.html               # paths are case-sensitive
  /shop/item.html             # Allow /shop/*.html$ (16) beats Disallow /shop (5)
)
disallowed=(
  /private/x.html
  /private/open/secret/z.html # Disallow (20) beats Allow /private/open/ (14)
  /report.php
  /files/a/deep/secret.html
  /files/b/secret
  /news
  /Upper/u.html
  /shop/item.htm
  /shop/cart
)
links=
for p in "${disallowed[@]}"; do
  links+="<a href=\"$p\">link</a> "   # no file: a request would show in the log
done
for p in "${allowed[@]}"; do
  links+="<a href=\"$p\">link</a> "
  f=${p%%\?*}
  mkdir -p "$site$(dirname "$f")"
  printf '<html><head><title>%s</title></head><body>page %s</body></html>\n' "$f" "$f" >"$site$f"
  done
printf '<html><head><title>Trang chủ</title></head><body>%s</body></html>\n' "$links" >"$site/index.html"

ts_start "$WORK/www" 127.0.0.1
printf 'school_id,name,unit,level,ownership,portal_url\nRB-1,Robots,Quận 1,th,cong_lap,http://%s:%s/\n' \
  "$host" "$TS_PORT" >"$WORK/schools.csv"
db=$WORK/t.db
"$PORTAL_AUDIT" --db "$db" schools import "$WORK/schools.csv" >/dev/null
"$PORTAL_AUDIT" --db "$db" crawl --resolve "$host:$TS_PORT:127.0.0.1" --allow-addr 127.0.0.1/32 \
  --delay 0 --quiet --period 2017-2018 >"$WORK/crawl.out"

first=$(awk -F'\t' 'NF >= 11 && $4 == "GET" {print $5; exit}' "$TS_LOG")
assert_eq "$first" "/robots.txt" "robots.txt is the first request"
n=$(ts_requests /robots.txt | wc -l)
assert_eq "$n" 1 "robots.txt fetched once"
ts_requests / | awk -F'\t' '$5 == "/"' | grep -q . || fail "home page not fetched"
ok "home page fetched (our group, not the \`*\` Disallow: /)"

for p in "${allowed[@]}"; do
  got=$(awk -F'\t' -v t="$p" 'NF >= 11 && $5 == t' "$TS_LOG" | wc -l)
  [ "$got" -ge 1 ] || { ts__show "$TS_LOG"; fail "allowed $p was not requested"; }
  ok "allowed $p requested"
done
for p in "${disallowed[@]}"; do
  got=$(awk -F'\t' -v t="$p" 'NF >= 11 && $5 == t' "$TS_LOG" | wc -l)
  [ "$got" -eq 0 ] || fail "disallowed $p was requested"
  ok "disallowed $p never requested"
done

reach=$(sqlite3 "$db" "SELECT reachable FROM sites WHERE school_id='RB-1'")
assert_eq "$reach" 1 "site reachable"
stored=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE school_id='RB-1' AND status=200")
assert_eq "$stored" "$((${#allowed[@]} + 1))" "every allowed page (and the home page) stored"
bad=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE school_id='RB-1' AND status <> 0 AND
        (requested_url GLOB '*/private/x.html' OR requested_url GLOB '*/Upper/*'
         OR requested_url GLOB '*/report.php' OR requested_url GLOB '*secret*'
         OR requested_url GLOB '*/news' OR requested_url GLOB '*/shop/[ci]*[mt]')")
assert_eq "$bad" 0 "no disallowed URL stored as a fetched page"
# Each disallowed link is recorded once, unfetched: status 0, error "robots",
# so the audit can say what robots.txt kept it from.
rows=$(sqlite3 "$db" "SELECT COUNT(*) FROM pages WHERE school_id='RB-1' AND status=0 AND error='robots'
        AND (requested_url GLOB '*/private/x.html' OR requested_url GLOB '*/report.php')")
assert_eq "$rows" 2 "disallowed links recorded with error robots"
dup=$(sqlite3 "$db" "SELECT COUNT(*) - COUNT(DISTINCT requested_url) FROM pages WHERE school_id='RB-1'")
assert_eq "$dup" 0 "each URL recorded once"
