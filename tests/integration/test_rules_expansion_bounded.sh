#!/usr/bin/env bash
# A rule file cannot expand without bound (issue 15, defect 3): nested
# pattern lists and YAML aliases multiply, so a 1 KB file could name a
# million patterns (9 s, 1.7 GB).  The loader refuses a file over the caps
# on expanded patterns, YAML nodes and aliases with a file:line error and
# exit 2, quickly and in little memory; a file under them still loads.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
cd "$WORK"

ruleset_head() { # FILE: a rule set with one rule whose match list follows
    cat >"$1" <<'YAML'
ruleset: {name: bomb, version: "1"}
rules:
  - id: bomb
    title: "Bom"
    group: CL
    levels: all
    weight: 1
    requirement: "Điều 1 khoản 1: công khai."
    remedy: "Đăng văn bản."
    match:
YAML
}
list() { # COUNT ITEM: "[ITEM, ITEM, ...]"
    local out="" i
    for ((i = 0; i < $1; i++)); do out+="${out:+, }$2"; done
    printf '[%s]' "$out"
}
# The address-space bound cannot apply to a sanitizer build: ASan and
# TSan reserve terabytes of shadow at start.  There the bound is time
# alone, and looser.  (A file over the pattern cap is refused before any
# of its patterns is compiled: compiling the first 50,000 took over 60 s
# under ASan on a loaded machine.)
vmem=800000 secs=60
if sanitized_build; then vmem=unlimited secs=240; fi
lint() { # FILE: rules lint under a memory and time bound; sets rc
    rc=0
    (ulimit -v $vmem; timeout $secs "$PORTAL_AUDIT" rules lint "$1") >out 2>err || rc=$?
}

# Six levels of ten aliases each: 1.1 million patterns from about 1 KB.
ruleset_head nodes.yaml
{
    echo "      - &a $(list 10 "'p'")"
    echo "      - &b $(list 10 '*a')"
    echo "      - &c $(list 10 '*b')"
    echo "      - &d $(list 10 '*c')"
    echo "      - &e $(list 10 '*d')"
    echo "      - $(list 10 '*e')"
} >>nodes.yaml
[ "$(wc -c <nodes.yaml)" -lt 1400 ] || fail "the bomb is not small"
lint nodes.yaml
[ "$rc" -eq 2 ] || { ts__show err; fail "a million-pattern file: exit $rc, want 2"; }
assert_contains err "nodes.yaml:" "the error names the file"
assert_contains err "more than 1000000 YAML nodes" "the node cap is named"
grep -qE 'nodes\.yaml:[0-9]+:[0-9]+: ' err || fail "the error has a line and column"

# 161,110 patterns in fewer nodes than the node cap: the pattern cap holds.
ruleset_head patterns.yaml
{
    echo "      - &a $(list 10 "'p'")"
    echo "      - &b $(list 10 '*a')"
    echo "      - &c $(list 10 '*b')"
    echo "      - &d $(list 10 '*c')"
    echo "      - $(list 15 '*d')"
} >>patterns.yaml
lint patterns.yaml
[ "$rc" -eq 2 ] || { ts__show err; fail "a 161k-pattern file: exit $rc, want 2"; }
assert_contains err "more than 50000 patterns" "the pattern cap is named"
grep -qE 'patterns\.yaml:[0-9]+:[0-9]+: match: ' err || fail "the pattern error has file:line:col"

# Aliases are counted too, even of one small scalar.
ruleset_head aliases.yaml
echo "      - [&x 'p', $(list 10001 '*x')]" >>aliases.yaml
lint aliases.yaml
[ "$rc" -eq 2 ] || { ts__show err; fail "10001 aliases: exit $rc, want 2"; }
assert_contains err "more than 10000 aliases" "the alias cap is named"

# Under the caps, shared anchors still work.
ruleset_head fine.yaml
{
    echo "      - &a $(list 10 "'p'")"
    echo "      - $(list 10 '*a')"
} >>fine.yaml
lint fine.yaml
[ "$rc" -eq 0 ] || { ts__show err; fail "a file with a few aliases was refused (exit $rc)"; }
ok "rule file expansion is bounded"
