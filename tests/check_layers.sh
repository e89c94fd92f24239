#!/bin/sh
# The layer rule of DESIGN.md: a layer never includes a header of a layer above it, and
# render/api stay free of curses, SQLite and the network where the design says so.
# Prints TAP.
src="${top_srcdir:-.}/src"
n=0
fail=0

check() { # description, directory, forbidden include pattern
	n=$((n + 1))
	hits=$(grep -rnE "$3" "$src/$2" --include='*.c' --include='*.h' 2>/dev/null)
	if [ -z "$hits" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "$hits" | sed 's/^/#   /'
		fail=1
	fi
}

check "core includes no other layer" core '#include *"(ui|cache|api|render|demo)/'
check "api includes neither cache nor ui nor render" api '#include *"(ui|cache|render)/'
check "api uses neither curses nor SQLite" api '#include *[<"](n?curses|ncursesw/|sqlite3\.h)'
check "cache includes nothing of ui or render" cache '#include *"(ui|render)/'
check "cache uses no curses" cache '#include *[<"](n?curses|ncursesw/)'
check "render includes no ui, cache or api" render '#include *"(ui|cache|api)/'
check "render is pure: no curses, SQLite or curl" render '#include *[<"](n?curses|ncursesw/|sqlite3\.h|curl/)'
check "ui never calls a backend directly" ui '#include *"api/'
check "ui does not open SQLite itself" ui '#include *[<"]sqlite3\.h'
check "demo stays off the screen and the database" demo '#include *[<"](n?curses|sqlite3\.h)|#include *"(ui|cache)/'
# The command line is the top: nothing below it includes one of its headers. Only src/main.c
# and src/cli/ may; the check looks at every other file under src/.
n=$((n + 1))
hits=$(find "$src" \( -name '*.c' -o -name '*.h' \) ! -path "$src/cli/*" ! -path "$src/main.c" \
	-exec grep -nHE '#include *"cli/' {} + 2>/dev/null)
if [ -z "$hits" ]; then
	echo "ok $n - only src/main.c and src/cli/ include a cli/ header"
else
	echo "not ok $n - only src/main.c and src/cli/ include a cli/ header"
	echo "$hits" | sed 's/^/#   /'
	fail=1
fi
echo "1..$n"
exit $fail
