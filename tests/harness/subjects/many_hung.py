# Forks 150 children that hang, then hangs itself: a timeout must sum them up, not list each.
# Children of even index hang alike, in Python; each of odd index replaces itself with a `sleep`
# of its own, so no two of those have the same command line.
import os
import sys
import time

CHILDREN = 150


def hang_in_python():
    time.sleep(600)


for n in range(CHILDREN):
    if os.fork() == 0:
        if n % 2:
            os.execv("/bin/sleep", ["sleep", str(600 + n)])
        hang_in_python()
        os._exit(0)
print("forked %d" % CHILDREN)
sys.stdout.flush()
time.sleep(600)
