# Leaves 500 short-lived orphans: each child starts a grandchild and exits at once, and the
# grandchild ends a moment later, with no parent of the run's left to reap it. Prints their
# pids.
import os
import select
import sys

pids = []
for _ in range(500):
    read, write = os.pipe()
    child = os.fork()
    if child == 0:
        grandchild = os.fork()
        if grandchild == 0:
            select.select([], [], [], 0.2)  # not time.sleep: portproof scales that
            os._exit(0)
        os.write(write, str(grandchild).encode())
        os._exit(0)
    os.close(write)
    pids.append(int(os.read(read, 32)))
    os.close(read)
    os.waitpid(child, 0)
sys.stdout.write("orphans %s\n" % " ".join(map(str, pids)))
