#!/usr/bin/env bash
# The dashboard's school page cache (web/cache.c, docs/internals/web.md):
# a page asked for again comes from the cache, yet a decision or an appeal
# made through the dashboard shows at the next GET, for every user, and an
# audit run made by another process beside the server (a re-check landing
# is one) shows at once too (dashboard_cache.py).
set -euo pipefail
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/dashboard_lib.sh"
ts_mkwork
db=$WORK/t.db
py=$(dirname "$0")/dashboard_cache.py

dash_store "$db"
dash_serve "$db" "$WORK/serve.log"
python3 "$py" write "$DASH_URL" "$db" "$WORK" || fail "decisions and appeals show at once (above)"
python3 "$py" before "$DASH_URL" "$db" "$WORK" 1 || fail "the page of the first audit run (above)"
# A second audit beside the running server: the page shows it at once.
"$PORTAL_AUDIT" --db "$db" audit --period 2017-2018 --as-of 2018-05-16 --quiet
python3 "$py" run "$DASH_URL" "$db" "$WORK" 2 || fail "a new audit run shows at once (above)"
ts_stop "$DASH_PID"
ok "the cached school page follows decisions, appeals and new runs"
