# Forks 100 children at once, each of which ends by sys.exit; waits for them all.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import os
import sys

if __name__ == "__main__":
    pids = []
    for _ in range(100):
        pid = os.fork()
        if pid == 0:
            sys.exit(0)
        pids.append(pid)
    for pid in pids:
        os.waitpid(pid, 0)
    print(str(len(pids)))
