# Double-forks a daemon in a new session, with its output closed, that would outlive the run.
import os
import time

if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        time.sleep(600)
    os._exit(0)
print("parent done")
