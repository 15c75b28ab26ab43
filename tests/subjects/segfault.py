# Kills itself with SIGSEGV after one line.
import os
import sys

print("about to crash")
sys.stdout.flush()
os.kill(os.getpid(), 11)
