#!/usr/bin/env bash
# Help and the manual: every option the parser accepts (its own tables,
# printed by the hidden `portal-audit __options`) appears in the command's
# --help and in the man page; `help X`, `X --help` and `X -h` print the
# same thing on stdout and exit 0; the man page has no warnings; the bash
# completion offers what the parser accepts.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
cd "$WORK"
PA=$PORTAL_AUDIT
MAN=$PA_SOURCE/docs/man/portal-audit.1

"$PA" __options >options.tsv
n=$(wc -l <options.tsv)
[ "$n" -ge 50 ] || fail "__options lists only $n options"
ok "__options lists $n options"

# The manual as plain words: \- is -, font escapes go.
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$MAN" >man.txt

# has_word FILE WORD: WORD stands alone (not inside --word-more).
has_word() {
    grep -qE -- "(^|[^A-Za-z0-9-])$2([^A-Za-z0-9-]|\$)" "$1"
}

missing=0
cut -f1 options.tsv | sort -u >commands.txt
while IFS= read -r cmd; do
    if [ "$cmd" = global ]; then
        args=(--help)
        help_args=(help)
    else
        read -ra words <<<"$cmd"
        args=("${words[@]}" --help)
        help_args=(help "${words[@]}")
        grep -qE "^\.SS \"$cmd( |\")" "$MAN" || { echo "man page: no section for '$cmd'" >&2; missing=1; }
    fi
    rc=0
    "$PA" --db "$WORK/none.db" "${args[@]}" >help.out 2>help.err || rc=$?
    [ $rc -eq 0 ] || fail "'$cmd --help' exits $rc"
    [ -s help.out ] && [ ! -s help.err ] || fail "'$cmd --help' should print on stdout only"
    "$PA" "${help_args[@]}" >help2.out || fail "'help $cmd' fails"
    cmp -s help.out help2.out || fail "'help $cmd' differs from '$cmd --help'"
    if [ "$cmd" != global ]; then
        "$PA" "${words[@]}" -h >help3.out || fail "'$cmd -h' fails"
        cmp -s help.out help3.out || fail "'$cmd -h' differs from '$cmd --help'"
    fi
    long=$(awk 'length > 80' help.out | head -n 1)
    [ -z "$long" ] || fail "'$cmd --help' has a line over 80 columns: $long"
    while IFS=$'\t' read -r c opt arg; do
        [ "$c" = "$cmd" ] || continue
        has_word help.out "$opt" || { echo "'$cmd --help' does not list $opt" >&2; missing=1; }
        has_word man.txt "$opt" || { echo "man page does not mention $opt ($cmd)" >&2; missing=1; }
        # "--output PATH", or an alias as "-o, --output PATH"
        if [ -n "$arg" ] && ! grep -qF -- "$opt $arg" help.out && ! grep -qF -- "  $opt, " help.out; then
            echo "'$cmd --help' does not show $opt $arg" >&2
            missing=1
        fi
    done <options.tsv
done <commands.txt
[ $missing -eq 0 ] || fail "options or commands missing from the help or the man page"
ok "every option of every command is in its --help and in the man page"
ok "help X, X --help and X -h agree, on stdout, exit 0, within 80 columns"
[ ! -e "$WORK/none.db" ] || fail "--help created the database"
ok "--help opens no database"

# The parser rejects what the tables do not list.
rc=0
"$PA" crawl --no-such-option >/dev/null 2>err || rc=$?
assert_eq "$rc" 2 "an unknown option exits 2"
assert_contains err "crawl: unknown option '--no-such-option' (see portal-audit crawl --help)" "and says where the help is"
rc=0
"$PA" report --help-me >/dev/null 2>err || rc=$?
assert_eq "$rc" 2 "report --help-me is no help request"

# The man page renders without warnings.
if command -v man >/dev/null 2>&1; then
    MANWIDTH=80 man --warnings -l "$MAN" >man.out 2>man.err || fail "man -l failed"
    [ ! -s man.err ] || { cat man.err >&2; fail "man --warnings reported problems"; }
    grep -q "EXIT STATUS" man.out || fail "man page did not render"
    ok "MANWIDTH=80 man --warnings -l gives no warnings"
else
    echo "# man not installed: rendering not checked" >&2
fi

# The bash completion reads the same tables.
# shellcheck source=/dev/null
. "$PA_SOURCE/dist/bash-completion/portal-audit"
complete_words() {
    COMP_WORDS=("$@")
    COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
    _portal_audit
    printf '%s\n' "${COMPREPLY[@]}" | sort | tr '\n' ' '
}
assert_eq "$(complete_words "$PA" crawl --allow-p)" "--allow-private " "completion: crawl options"
assert_eq "$(complete_words "$PA" schools "")" "import list " "completion: subcommands"
assert_eq "$(complete_words "$PA" --db x.db report city --format "")" "csv html json md text xlsx " "completion: option values"
assert_eq "$(complete_words "$PA" --conf)" "--config " "completion: global options"
