# Leaves a child that SIGKILL cannot end: it moves it into the cgroup v1 freezer group
# SUBJECT_FREEZER names and freezes the group (a frozen task dies only once thawed). Prints
# "frozen PID", then exits.
import os
import sys
import time

group = os.environ["SUBJECT_FREEZER"]
child = os.fork()
if child == 0:
    time.sleep(600)
    os._exit(0)
with open(os.path.join(group, "cgroup.procs"), "w") as f:
    f.write(str(child))
with open(os.path.join(group, "freezer.state"), "w") as f:
    f.write("FROZEN")
while open(os.path.join(group, "freezer.state")).read().strip() != "FROZEN":
    time.sleep(0.01)
print("frozen %d" % child)
sys.stdout.flush()
