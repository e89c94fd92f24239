#!/bin/sh
# The man page and the action table agree: every action's command name is documented.
. "${top_srcdir:-.}/tests/lib.sh"
man="$top_srcdir/share/annotty.1"
"$ANNOTTY" --list-actions > "$T/actions" ; ok $? "--list-actions prints the table"
[ "$(wc -l < "$T/actions")" -ge 20 ]; ok $? "the table has the actions"
while IFS="$(printf '\t')" read -r name screens keys help; do
	esc=$(printf '%s' "$name" | sed 's/-/\\\\-/g')
	grep -q "\\\\fB$esc\\\\fR" "$man"; ok $? "man page documents $name"
done < "$T/actions"
done_testing
