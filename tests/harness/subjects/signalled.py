# Kills itself with the signal named in SUBJECT_SIGNAL (SIGSEGV, SIGKILL) after one line.
import os
import signal
import sys

print("about to be killed")
sys.stdout.flush()
os.kill(os.getpid(), getattr(signal, os.environ["SUBJECT_SIGNAL"]))
