#!/bin/sh
# SIGTERM, Ctrl-C (SIGINT) and SIGHUP end the review screen with 128 + the signal, as shells
# expect, after the terminal is put back (the alternate screen left).
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data

# ends DESCRIPTION STATUS HOW: starts annotty, ends it by HOW (a signal name or "keys C-c")
ends() {
	start 100 30 "$ANNOTTY" --graphics=blocks demo
	wait_for "FILENAME" 30 || { ok 1 "$1"; stop; return; }
	if [ "$3" = C-c ]; then
		keys C-c
	else
		pane=$(tm list-panes -t t -F '#{pane_pid}')
		pid=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -n 1)
		kill -s "$3" "$pid"
	fi
	wait_for "[exited with $2]" 10; r=$?
	ok $r "$1"
	if [ $r -eq 0 ]; then
		! screen | grep -q "FILENAME"; ok $? "the screen is given back after $3"
	fi
	stop
}
ends "SIGTERM exits 143" 143 TERM
ends "Ctrl-C exits 130" 130 C-c
ends "SIGHUP exits 129" 129 HUP
start 100 30 "$ANNOTTY" --graphics=blocks demo
wait_for "FILENAME" 30 && keys q && wait_for "[exited with 0]" 10; ok $? "q still exits 0"
stop

# a paste of thousands of keys does not hold a quit back: q at its end answers at once
start 100 30 "$ANNOTTY" --graphics=blocks demo
if wait_for "FILENAME" 30; then
	paste=$(awk 'BEGIN { for (i = 0; i < 4000; i++) printf "jk"; }')
	tm send-keys -t t -l "$paste"
	pane=$(tm list-panes -t t -F '#{pane_pid}')
	pid=$(ps -o pid= --ppid "$pane" | tr -d ' ' | head -n 1)
	kill -s TERM "$pid"
	wait_for "[exited with 143]" 5; ok $? "SIGTERM during a paste of 8000 keys ends annotty within seconds"
else
	ok 1 "SIGTERM during a paste of 8000 keys ends annotty within seconds"
fi
stop
done_testing
