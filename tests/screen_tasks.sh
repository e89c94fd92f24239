#!/bin/sh
# Screen test: a local campaign on the demo in a private tmux at 120x40: start it, open my
# tasks, submit two, switch to the review step, reject one with a reason and accept the other,
# find the rejected one first in the annotate queue with the reason, and see the decisions in
# the export.
. "${top_srcdir:-.}/tests/lib.sh"
need_tmux
demo_data

start 120 40 env USER=alice "$ANNOTTY" --demo --graphics=blocks
wait_for "annotty demo" 20; ok $? "the demo opens"
keys : c a m p a i g n Enter
wait_for "no campaign"; ok $? ":campaign without one says how to start one"
keys : c a m p a i g n Space s t a r t Enter
wait_for "local campaign started: 64 tasks for alice"; ok $? ":campaign start makes a task per asset"
screen | grep -q "1 Annotate *ANNOTATION alice *64 *0 *0 *0 *0 *0"
ok $? "the campaign screen shows the annotate step with 64 tasks pending for me"
screen | grep -q "2 Review *REVIEW *alice *0 "; ok $? "and the review step, empty"
screen | grep -q "Annotate: fix each shape"; ok $? "with the instructions"
keys Enter; wait_for "64 tasks for you"; ok $? "Enter opens my tasks of the step"
screen | grep -q "1  street_0001.jpg"; ok $? "in queue order"
keys Enter; wait_for "Task 1/64"; ok $? "Enter on a task opens task mode"
screen | grep -q "Annotate, annotate step"; ok $? "the side panel names the step"
screen | grep -q "street_0001.jpg.*1/64"; ok $? "the title shows the image and 1/64"
keys s; wait_for "submitted"; ok $? "s submits"
wait_for "street_0002.jpg"; ok $? "and the next task opens at once"
wait_for "Task 1/63"; ok $? "the queue is one shorter"
keys A; wait_for "an annotate step's task is submitted or skipped"; ok $? "A is refused in an annotate step, with why"
keys s; wait_for "62 tasks left"; ok $? "a second submit"
keys q; wait_for "62 tasks for you"; ok $? "q goes back to my tasks, read again"
keys q; wait_for "PROGRESS"; ok $? "and to the campaign screen"
screen | grep -q "1 Annotate .* 62 *0 *2 *0 *0 *0"; ok $? "two submitted in the annotate step"
screen | grep -q "2 Review .* 2 *0 *0 *0 *0 *0"; ok $? "both pending for me in review"
keys j Enter; wait_for "REVIEW step, 2 tasks"; ok $? "the review step's tasks"
keys Enter; wait_for "Task 1/2"; ok $? "task mode in review"
wait_for "A accept  R reject"; ok $? "with the review keys"
keys R; wait_for "reject, reason"; ok $? "R asks for a reason"
keys b o x Space t o o Space l o o s e Enter
wait_for "rejected"; ok $? "the task is rejected"
wait_for "Task 1/1"; ok $? "and the next one opens"
keys A; wait_for "no more tasks for you in this step"; ok $? "A accepts the last one"
wait_for "no tasks for you in this step"; ok $? "and the empty queue shows"
keys q; wait_for "PROGRESS"
screen | grep -q "2 Review .* 0 *0 *0 *1 *1 *0"; ok $? "one accepted, one rejected in review"
keys k Enter; wait_for "ANNOTATION step, 63 tasks"; ok $? "the rejected task is back in the annotate queue"
screen | grep -q "1  street_0001.jpg *PENDING *returned 1× *box too loose"
ok $? "first, returned once, with the reviewer's reason"
keys Enter; wait_for "returned 1×: box too loose"; ok $? "task mode shows the reason"
keys q q q; wait_for "FILENAME"; keys Q
wait_for "[exited with 0]"; ok $? "annotty quits"
"$ANNOTTY" export --format coco demo "$T/out.json" > "$T/export.out" 2>&1; ok $? "export"
python3 - "$T/out.json" > "$T/tasks.txt" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
for img in doc["images"][:3]:
    t = img.get("annotty_task")
    print(img["file_name"], t["step"], t["status"], t["rejected_count"], t["comment"])
PY
grep -q "street_0001.jpg Annotate PENDING 1 box too loose" "$T/tasks.txt"; ok $? "the export has the returned task with its reason"
grep -q "street_0002.jpg Review ACCEPTED 0 None" "$T/tasks.txt"; ok $? "and the accepted one"
grep -q "street_0003.jpg Annotate PENDING 0 None" "$T/tasks.txt"; ok $? "and one not started"
stop
done_testing
