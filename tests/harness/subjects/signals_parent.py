# Sends its parent each signal named in SUBJECT_SIGNALS, as a program tells whoever started it
# that it is ready (SIGUSR1, say), then goes on: one line before, one after, exit status 3.
import os
import signal
import sys
import time

print("sent")
sys.stdout.flush()
for name in os.environ["SUBJECT_SIGNALS"].split():
    os.kill(os.getppid(), getattr(signal, name))
time.sleep(4)  # scaled to 0.2 s: time for the signal to land
print("still here")
sys.exit(3)
