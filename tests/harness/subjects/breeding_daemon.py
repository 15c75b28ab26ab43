# Double-forks a daemon in a new session that keeps starting new processes, each in a session
# of its own, until it is killed: a single look at the run's processes, taken before killing
# them, misses the ones started while it is being taken or acted on.
import os
import signal
import time

from _daemonize import daemonize

if daemonize():
    children = []
    end = time.monotonic() + 5  # bounded, should nothing stop it
    while time.monotonic() < end:
        pid = os.fork()
        if pid == 0:
            os.setsid()
            time.sleep(600)
            os._exit(0)
        children.append(pid)
        if len(children) > 20:  # a few alive at a time, not hundreds
            oldest = children.pop(0)
            os.kill(oldest, signal.SIGKILL)
            os.waitpid(oldest, 0)
        time.sleep(0.02)  # portproof scales the subject's sleeps: a new process every ~1 ms
    os._exit(0)
print("parent done")
