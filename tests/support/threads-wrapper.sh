#!/usr/bin/env bash
# Stands in for the portal-audit binary when PA_TEST_THREADS is set
# (tests/integration/lib.sh puts it in $PORTAL_AUDIT): runs $PA_TEST_BINARY
# with "--threads $PA_TEST_THREADS" right after the crawl, audit and check
# commands, so the integration tests exercise several parser and audit
# threads (the ThreadSanitizer build in scripts/test).  The option goes first
# after the command, so a --threads the test passes itself comes later and
# wins.  exec keeps the PID, which the signal tests rely on.
set -euo pipefail
bin=${PA_TEST_BINARY:?PA_TEST_BINARY is not set}
n=${PA_TEST_THREADS:?PA_TEST_THREADS is not set}
args=("$@")
i=0
while [ "$i" -lt "${#args[@]}" ]; do
	case ${args[$i]} in
	--db | --config) i=$((i + 2)) ;;
	-*) i=$((i + 1)) ;;
	crawl | audit | check)
		exec "$bin" "${args[@]:0:i+1}" --threads "$n" "${args[@]:i+1}"
		;;
	*) break ;;
	esac
done
exec "$bin" "$@"
