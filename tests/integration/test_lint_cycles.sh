#!/usr/bin/env bash
# scripts/include-cycles (run by scripts/lint) refuses a cycle of modules
# through their includes, also one closed by a .c file or a longer ring,
# names the includes that close it, and accepts a layered tree.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
ts_mkwork
check="$PA_SOURCE/scripts/include-cycles"
cd "$WORK"
mkdir -p m
mk() { # FILE INCLUDED...: a file including the others
    local f=$1
    shift
    : >"$f"
    for i in "$@"; do echo "#include \"$i\"" >>"$f"; done
}

# A ring of three modules, closed in .c files: city -> table -> view -> city.
mk m/city.h m/table.h
mk m/city.c m/city.h
mk m/table.h
mk m/table.c m/table.h m/view.h
mk m/view.h
mk m/view.c m/view.h m/city.h
if python3 "$check" m/*.c m/*.h 2>err; then
    fail "a three-module ring passed"
fi
assert_contains err "include cycle m/city -> m/table -> m/view -> m/city" "the ring is named"
assert_contains err "m/view.c:2" "the include that closes it is named"

# Break it: view no longer includes city; a private x_int.h is part of x.
mk m/view.c m/view.h
mk m/city_int.h m/city.h
mk m/city.c m/city_int.h
python3 "$check" m/*.c m/*.h 2>err || { ts__show err; fail "a layered tree was refused"; }
ok "a layered tree passes"

# Two headers including each other.
mk m/a.h m/b.h
mk m/b.h m/a.h
if python3 "$check" m/*.c m/*.h 2>err; then
    fail "two headers including each other passed"
fi
assert_contains err "m/a -> m/b -> m/a" "the pair is named"
