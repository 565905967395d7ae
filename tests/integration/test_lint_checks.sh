#!/usr/bin/env bash
# scripts/lint fails on a function over 80 lines (scripts/function-length,
# signature to closing brace) and on a file that .clang-format would lay
# out differently, and names the file and line of each.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
check="$PA_SOURCE/scripts/function-length"
cd "$WORK"

body() { # N: a function of exactly N lines, as clang-format lays it out
    local i
    printf 'int f(int x);\n\nint f(int x)\n{\n'
    for ((i = 0; i < $1 - 4; i++)); do printf '\tx += %d;\n' "$i"; done
    printf '\treturn x;\n}\n'
}
body 80 >ok.c
body 81 >long.c
python3 "$check" --max 80 ok.c 2>err || { ts__show err; fail "an 80-line function was refused"; }
if python3 "$check" --max 80 long.c 2>err; then
    fail "an 81-line function passed"
fi
assert_contains err "long.c:3: function f is 81 lines (at most 80)" "the function and its length are named"

# The real lint on a copy of the tree with both faults planted.
mkdir tree
if git -C "$PA_SOURCE" rev-parse --git-dir >/dev/null 2>&1; then
    (cd "$PA_SOURCE" && git ls-files -z -co --exclude-standard | xargs -0 tar cf -) | (cd tree && tar xf -)
else
    (cd "$PA_SOURCE" && tar cf - --exclude='./build*' .) | (cd tree && tar xf -)
fi
body 81 >tree/core/planted_long.c
printf 'int planted_format(void);\nint planted_format(void) { return  1 ; }\n' >tree/core/planted_format.c
if (cd tree && bash scripts/lint) >out 2>err; then
    fail "lint passed a tree with an 81-line function and a misformatted file"
fi
assert_contains err "core/planted_long.c:3: function f is 81 lines" "lint names the long function"
assert_contains err "core/planted_format.c" "lint names the misformatted file"
assert_contains err "not formatted as .clang-format says" "lint says what is wrong with it"
assert_not_contains err "lint: ok" "lint does not claim success"
ok "lint refuses long functions and layout differences"
