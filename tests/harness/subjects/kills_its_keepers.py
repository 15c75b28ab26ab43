# Leaves a daemon running (in a cgroup of its own below the run's and without the run's
# token, where the run has a cgroup) and says where it is; then kills with SIGKILL the processes
# above it that carry the run's token (never portproof itself), as SUBJECT_KILL says: "parent",
# "grandparent" or "both"; then one more line, and exit status 3.
import os
import signal
import sys
import time

from _daemonize import daemonize

TOKEN = "PORTPROOF_RUN=" + os.environ["PORTPROOF_RUN"]


def parent_of(pid):
    with open("/proc/%d/stat" % pid) as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def carries_token(pid):
    with open("/proc/%d/environ" % pid, "rb") as f:
        return TOKEN.encode() in f.read().split(b"\0")


def into_a_group_below():
    with open("/proc/self/cgroup") as f:
        own = [line.strip()[3:] for line in f if line.startswith("0::")]
    with open("/proc/self/mounts") as f:
        mounts = [line.split()[1] for line in f if line.split()[2:3] == ["cgroup2"]]
    folders = [mount + own[0] for mount in mounts if own and "portproof-" in own[0]]
    for folder in folders:
        if not os.path.exists(folder):
            continue
        below = os.path.join(folder, "below")
        os.mkdir(below)
        with open(os.path.join(below, "cgroup.procs"), "w") as procs:
            procs.write("0")
        return "below"
    return "where it began"


moved_read, moved_write = os.pipe()
if daemonize():
    where = into_a_group_below()
    os.write(moved_write, where.encode())
    if where == "below":  # to be found by its group alone: without the run's token
        env = {k: v for k, v in os.environ.items() if k != "PORTPROOF_RUN"}
        os.execve(sys.executable, [sys.executable, "-c", "import time; time.sleep(600)"], env)
    time.sleep(600)
    os._exit(0)
os.close(moved_write)
print("daemon " + os.read(moved_read, 100).decode())
parent = os.getppid()
ancestors = {"parent": [parent], "grandparent": [parent_of(parent)],
             "both": [parent, parent_of(parent)]}[os.environ["SUBJECT_KILL"]]
for pid in ancestors:
    if carries_token(pid):
        os.kill(pid, signal.SIGKILL)
print("killed")
sys.stdout.flush()
time.sleep(2)
print("still here")
sys.exit(3)
