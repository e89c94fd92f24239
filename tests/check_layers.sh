#!/bin/sh
# The layer rule of DESIGN.md: a layer never includes a header of a layer above it, and
# render/api/frame stay free of curses, SQLite and the network where the design says so.
# Prints TAP.
src="${top_srcdir:-.}/src"
n=0
fail=0

check() { # description, directory, forbidden pattern [, pattern of the lines still allowed]
	n=$((n + 1))
	hits=$(grep -rnE "$3" "$src/$2" --include='*.c' --include='*.h' 2>/dev/null |
		grep -vE "${4:-^$}")
	if [ -z "$hits" ]; then
		echo "ok $n - $1"
	else
		echo "not ok $n - $1"
		echo "$hits" | sed 's/^/#   /'
		fail=1
	fi
}

check "core includes no other layer" core '#include *"(ui|cache|api|render|frame|demo)/'
check "api includes neither cache nor ui nor render nor frame" api '#include *"(ui|cache|render|frame)/'
check "api uses neither curses nor SQLite" api '#include *[<"](n?curses|ncursesw/|sqlite3\.h)'
check "cache includes nothing of ui, render or frame" cache '#include *"(ui|render|frame)/'
check "cache uses no curses" cache '#include *[<"](n?curses|ncursesw/)'
check "render includes no ui, cache, api or frame" render '#include *"(ui|cache|api|frame)/'
check "render is pure: no curses, SQLite or curl" render '#include *[<"](n?curses|ncursesw/|sqlite3\.h|curl/)'
check "frame includes no ui or api header" frame '#include *"(ui|api)/'
check "frame is pure: no curses, SQLite or curl" frame '#include *[<"](n?curses|ncursesw/|sqlite3\.h|curl/)'
check "frame takes only the cache's plain types" frame '#include *"cache/' '#include *"cache/cache\.h"'
check "frame calls no cache function" frame '(^|[^a-z_])cache_[a-z0-9_]+ *\('
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
