# Double-forks a daemon in a new session, with its output closed, that would outlive the run.
import os
import time

from _daemonize import daemonize

if daemonize():
    time.sleep(600)
    os._exit(0)
print("parent done")
