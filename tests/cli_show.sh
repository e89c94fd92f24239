#!/bin/sh
# annotty show and annotty doctor: one demo image as sixel and as half-blocks on stdout, an
# asset of the demo with its shapes, the exit codes of bad input, and the doctor's report.
. "${top_srcdir:-.}/tests/lib.sh"

demo_data
img=$(ls "$XDG_DATA_HOME/annotty/demo/images/"*.jpg | head -n 1)
name=$(basename "$img")

"$ANNOTTY" show --graphics=sixel --width 300 "$img" > "$T/six" 2> "$T/err"
ok $? "show --graphics=sixel exits 0"
[ "$(head -c 3 "$T/six" | od -An -tx1 | tr -d ' ')" = 1b5071 ]; ok $? "the output starts with ESC P q"
[ "$(tail -c 2 "$T/six" | od -An -tx1 | tr -d ' ')" = 1b5c ]; ok $? "the output ends with ESC \\"
grep -qa '^.Pq"1;1;300;' "$T/six"; ok $? "the raster attributes say width 300"

"$ANNOTTY" show --graphics=blocks --width 300 "$img" > "$T/blk" 2>/dev/null
ok $? "show --graphics=blocks exits 0"
grep -q '▀' "$T/blk"; ok $? "the output is upper half blocks"
if grep -qa "$(printf '\033')\[[0-9]*;[0-9]*H" "$T/blk"; then r=1; else r=0; fi
ok $r "half blocks flow from the cursor (no cursor positioning)"

"$ANNOTTY" show "$T/missing.jpg" > /dev/null 2> "$T/err"
ok $([ $? -eq 1 ]; echo $?) "show of a missing file exits 1"
grep -q "missing.jpg" "$T/err"; ok $? "the message names the file"
"$ANNOTTY" show > /dev/null 2>&1; ok $([ $? -eq 2 ]; echo $?) "show without an image exits 2"
"$ANNOTTY" show --width 0 "$img" > /dev/null 2>&1; ok $([ $? -eq 2 ]; echo $?) "a bad --width exits 2"

"$ANNOTTY" show --graphics=sixel --width 300 --asset "$name" demo > "$T/asset" 2>/dev/null
ok $? "show --asset of the demo exits 0"
grep -qa '^.Pq"1;1;300;' "$T/asset"; ok $? "the asset is drawn as sixel"
cmp -s "$T/six" "$T/asset"; ok $([ $? -ne 0 ]; echo $?) "the asset's frame has its shapes drawn on"
"$ANNOTTY" show --asset "no-such-$name" demo > /dev/null 2> "$T/err"
ok $([ $? -eq 1 ]; echo $?) "a wrong asset name exits 1"
grep -q "no asset named" "$T/err"; ok $? "the message says the asset is not there"

"$ANNOTTY" doctor > "$T/doc" 2>&1 < /dev/null; ok $? "doctor exits 0 without a terminal"
grep -q "$XDG_CACHE_HOME/annotty/cache.db" "$T/doc"; ok $? "doctor names the cache path"
grep -q "not a terminal" "$T/doc"; ok $? "doctor says stdout is not a terminal"
grep -q "SQLite" "$T/doc"; ok $? "doctor lists the library versions"
done_testing
