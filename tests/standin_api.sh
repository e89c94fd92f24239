#!/bin/sh
# The stand-in Picsellia server (tests/standin/picsellia.py) against the API spec: routes,
# envelopes, required keys, errors and status codes, paging, XGET, the campaign task flow,
# presigned URL expiry, restarts, faults, and a replay of the SDK's recorded requests.
. "${top_srcdir:-.}/tests/lib.sh"
need_python3

standin_start --seed small || { ok 1 "the stand-in server starts"; done_testing; }
ok 0 "the stand-in server starts"
case "$STANDIN_URL" in http://127.0.0.1:[1-9]*) ok 0 "it names its port";; *) ok 1 "it names its port";; esac
T="$T" "$PYTHON3" "$top_srcdir/tests/standin_api.py" "$STANDIN_URL" "$tap_n" "$T/tap_count"
rc=$?
[ -s "$T/tap_count" ] && tap_n=$(cat "$T/tap_count")
[ $rc -eq 0 ] || tap_failed=1
standin_stop; ok $? "SIGTERM stops it with status 0"
done_testing
