# Shared helpers for the shell tests: TAP output, a private home, and a tmux driver.
# Sourced by tests/*.sh; expects ANNOTTY, top_srcdir, TMUX_BIN and REALDATA from make check.

: "${ANNOTTY:=./annotty}"
: "${top_srcdir:=.}"
tap_n=0
tap_failed=0

ok() { # condition-status description
	tap_n=$((tap_n + 1))
	if [ "$1" -eq 0 ]; then echo "ok $tap_n - $2"; else echo "not ok $tap_n - $2"; tap_failed=1; fi
}
check() { # description command...
	desc=$1; shift
	if "$@" >/dev/null 2>&1; then ok 0 "$desc"; else ok 1 "$desc"; fi
}
diag() { echo "# $*"; }
skip_all() { echo "1..0 # SKIP $*"; exit 0; }
done_testing() { echo "1..$tap_n"; exit $tap_failed; }

# A private home so that tests never touch the user's cache, log or demo.
T=$(mktemp -d "${TMPDIR:-/tmp}/annotty-test.XXXXXX")
export HOME="$T/home" XDG_CACHE_HOME="$T/cache" XDG_DATA_HOME="$T/data" XDG_CONFIG_HOME="$T/config"
mkdir -p "$HOME"
unset ANNOTTY_CACHE ANNOTTY_GRAPHICS TMUX
tmux_socket="annotty-test-$$"
cleanup() {
	standin_stop
	[ -n "${TMUX_BIN:-}" ] && "$TMUX_BIN" -L "$tmux_socket" kill-server >/dev/null 2>&1
	rm -rf "$T"
}
trap cleanup EXIT

# A shared demo, generated once per build tree, copied in by tests that need it.
demo_data() {
	shared="${top_builddir:-.}/tests/demo-data"
	lock="$shared.lock"
	while ! mkdir "$lock" 2>/dev/null; do sleep 0.2; done
	if [ ! -f "$shared/annotty/demo/annotations.json" ]; then
		XDG_DATA_HOME="$shared" "$ANNOTTY" ls assets demo >/dev/null 2>&1
	fi
	rmdir "$lock"
	mkdir -p "$XDG_DATA_HOME/annotty"
	ln -s "$(cd "$shared" && pwd)/annotty/demo" "$XDG_DATA_HOME/annotty/demo"
}

# ---- tmux -------------------------------------------------------------------------------
need_tmux() {
	[ -n "${TMUX_BIN:-}" ] && [ -x "$TMUX_BIN" ] || skip_all "tmux is not installed (apt-get install tmux)"
}
tm() { "$TMUX_BIN" -L "$tmux_socket" "$@"; }
# start COLS ROWS command...: runs the command in a fresh tmux at a fixed size
start() {
	cols=$1 rows=$2; shift 2
	printf '%s\n' "$*" > "$T/cmd"
	# A server that is still shutting down from the last stop can refuse the new session.
	tries=0
	until tm -f /dev/null new-session -d -s t -x "$cols" -y "$rows" \
		"env HOME='$HOME' XDG_CACHE_HOME='$XDG_CACHE_HOME' XDG_DATA_HOME='$XDG_DATA_HOME' LC_ALL=C.UTF-8 TERM=tmux-256color $*; echo '[exited with' \$?']'; sleep 600" 2>/dev/null; do
		tries=$((tries + 1))
		[ $tries -lt 50 ] || { diag "tmux would not start a session"; return 1; }
		sleep 0.1
	done
	tm set-option -g remain-on-exit on >/dev/null 2>&1
}
screen() { tm capture-pane -p -t t; }
keys() { tm send-keys -t t "$@"; }
# wait_for TEXT [SECONDS]: polls the screen until it shows TEXT (a fixed string)
wait_for() {
	limit=$(( ${2:-10} * 10 ))
	i=0
	while [ $i -lt $limit ]; do
		if screen | grep -qF -- "$1"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	diag "timed out waiting for: $1"
	screen | sed 's/^/#   | /'
	return 1
}
# wait_gone TEXT [SECONDS]
wait_gone() {
	limit=$(( ${2:-10} * 10 ))
	i=0
	while [ $i -lt $limit ]; do
		if ! screen | grep -qF -- "$1"; then return 0; fi
		sleep 0.1
		i=$((i + 1))
	done
	diag "still showing: $1"
	screen | sed 's/^/#   | /'
	return 1
}
# stop: ends the tmux server and waits until it is gone, so that the next start gets a new one
stop() {
	tm kill-server >/dev/null 2>&1
	i=0
	while tm list-sessions >/dev/null 2>&1 && [ $i -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
}

# ---- the stand-in Picsellia server (tests/standin/picsellia.py) -------------------------
need_python3() {
	: "${PYTHON3:=$(command -v python3 2>/dev/null)}"
	[ -n "$PYTHON3" ] && [ -x "$PYTHON3" ] || skip_all "python3 is not installed: the stand-in Picsellia server needs it"
}
# standin_start [ARGS...]: starts the server on a free port with a private state ($T/standin
# unless ARGS give another --state); sets STANDIN_URL and STANDIN_PID; 1 if it did not start.
standin_start() {
	: "${PYTHON3:=python3}"
	: > "$T/standin.out"
	"$PYTHON3" "$top_srcdir/tests/standin/picsellia.py" --port 0 --state "$T/standin" "$@" \
		> "$T/standin.out" 2> "$T/standin.err" &
	STANDIN_PID=$!
	i=0
	while [ $i -lt 600 ]; do
		line=$(head -n 1 "$T/standin.out")
		case "$line" in "listening on "*) STANDIN_URL=${line#listening on }; export STANDIN_URL; return 0 ;; esac
		kill -0 "$STANDIN_PID" 2>/dev/null || break
		sleep 0.1
		i=$((i + 1))
	done
	diag "the stand-in server did not start:"
	sed 's/^/#   /' "$T/standin.err"
	standin_stop
	return 1
}
# standin_stop: SIGTERM, then waits for it to exit (its exit status is returned)
standin_stop() {
	[ -n "${STANDIN_PID:-}" ] || return 0
	kill -TERM "$STANDIN_PID" 2>/dev/null
	wait "$STANDIN_PID" 2>/dev/null
	rc=$?
	STANDIN_PID=
	return $rc
}
