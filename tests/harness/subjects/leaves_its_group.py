# Leaves a child that moves itself out of the cgroup it was started in (as root may), into the
# group above it, then sleeps; prints "moved PID" (or "stayed PID" where the move is refused).
import os
import sys
import time

with open("/proc/self/cgroup") as f:
    own = next(line.strip()[3:] for line in f if line.startswith("0::"))
with open("/proc/self/mounts") as f:
    mount = next(line.split()[1] for line in f if line.split()[2] == "cgroup2")
pid = os.fork()
if pid == 0:
    above = os.path.join(mount, os.path.dirname(own).lstrip("/"), "cgroup.procs")
    try:
        with open(above, "w") as procs:
            procs.write("0")
        word = "moved"
    except OSError:
        word = "stayed"
    sys.stdout.write(word + " " + str(os.getpid()) + "\n")
    sys.stdout.flush()
    time.sleep(600)
    os._exit(0)
time.sleep(0.5)  # the child has moved
