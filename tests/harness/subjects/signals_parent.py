# Sends its parent, and the process above it when that one carries the run's token (never
# portproof itself), each signal named in SUBJECT_SIGNALS, as a program tells whoever started it
# that it is ready (SIGUSR1, say); then goes on: one line before, one after, exit status 3.
import os
import signal
import sys
import time

TOKEN = "PORTPROOF_RUN=" + os.environ["PORTPROOF_RUN"]


def parent_of(pid):
    with open("/proc/%d/stat" % pid) as f:
        return int(f.read().rsplit(")", 1)[1].split()[1])


def carries_token(pid):
    with open("/proc/%d/environ" % pid, "rb") as f:
        return TOKEN.encode() in f.read().split(b"\0")


print("sent")
sys.stdout.flush()
parent = os.getppid()
grandparent = parent_of(parent)
for name in os.environ["SUBJECT_SIGNALS"].split():
    os.kill(parent, getattr(signal, name))
    if carries_token(grandparent):
        os.kill(grandparent, getattr(signal, name))
time.sleep(4)  # scaled to 0.2 s: time for the signals to land
print("still here")
sys.exit(3)
