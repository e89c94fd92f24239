#!/bin/sh
# The bash completion as bash runs it: share/bash-completion/annotty sourced with
# bash-completion, COMPREPLY read for lines split the way readline splits them (an '=' is a
# word of its own).
. "${top_srcdir:-.}/tests/lib.sh"

bc=${BASH_COMPLETION:-/usr/share/bash-completion/bash_completion}
command -v bash >/dev/null 2>&1 || skip_all "bash is not installed"
[ -r "$bc" ] || skip_all "bash-completion is not installed (apt-get install bash-completion)"
ann=$(cd "$(dirname "$ANNOTTY")" && pwd)/$(basename "$ANNOTTY")

mkdir -p "$T/work/pics"
: > "$T/work/a.jpg"; : > "$T/work/notes.txt"; : > "$T/work/set.json"

# reply WORD...: the words of the line, the last one being completed; prints COMPREPLY sorted
reply() {
	(cd "$T/work" && bash --norc --noprofile -c '
		. "$1"; . "$2"; shift 2
		COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		COMP_LINE="$*"; COMP_LINE=${COMP_LINE// = /=}; COMP_LINE=${COMP_LINE// =/=}
		COMP_POINT=${#COMP_LINE}
		_annotty annotty "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
		printf "%s\n" "${COMPREPLY[@]}" | sort' sh "$bc" "$top_srcdir/share/bash-completion/annotty" "$ann" "$@")
}
has() { printf '%s\n' "$1" | grep -qx -- "$2"; }

r=$(reply --graphics =)
has "$r" sixel && has "$r" kitty-tmux && has "$r" blocks && has "$r" auto
ok $? "--graphics=<Tab> offers the modes"
[ "$(reply --graphics = si)" = sixel ]; ok $? "--graphics=si<Tab> completes to sixel"
[ "$(reply --graphics si)" = sixel ]; ok $? "--graphics si<Tab> completes to sixel"
r=$(reply --)
has "$r" --graphics= && has "$r" --images && has "$r" --demo; ok $? "-- offers the review screen's options"
! has "$r" --list-actions && ! has "$r" --json; ok $? "hidden options and other commands' options are not offered"
r=$(reply "")
has "$r" ls && has "$r" doctor && has "$r" set.json && has "$r" pics; ok $? "the first word offers the commands and the datasets"
! has "$r" __complete && ! has "$r" __synopsis && ! has "$r" notes.txt; ok $? "hidden commands and other files are not offered"
[ "$(reply ls "" | tr '\n' ' ')" = "assets campaigns conflicts data datalakes datasets labels sources steps tags tasks versions " ]; ok $? "ls offers what it lists"
[ "$(reply task "" | tr '\n' ' ')" = "accept reject skip submit " ]; ok $? "task offers the decisions"
r=$(reply task reject --)
has "$r" --comment && has "$r" --duration && has "$r" --dataset; ok $? "task reject offers --comment and --duration"
! has "$(reply task submit --)" --comment; ok $? "task submit does not offer --comment"
r=$(reply ls assets --)
has "$r" --json && has "$r" --images && ! has "$r" --width; ok $? "ls assets offers its own options"
r=$(reply export --format "")
has "$r" coco && has "$r" voc && has "$r" yolo && has "$r" labelme; ok $? "export --format offers the formats"
r=$(reply help "")
has "$r" export && ! has "$r" __complete; ok $? "help offers the command names"
r=$(reply --images "")
has "$r" pics && ! has "$r" a.jpg; ok $? "--images offers folders only"
r=$(reply show "")
has "$r" a.jpg && ! has "$r" notes.txt; ok $? "show offers image files"
r=$(reply show --asset x "")
has "$r" set.json && ! has "$r" a.jpg; ok $? "show --asset NAME offers datasets"
r=$(reply doctor --)
has "$r" --json && has "$r" --graphics=; ok $? "doctor offers --json and --graphics="
done_testing
