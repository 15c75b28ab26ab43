# Double-forks a daemon in a new session that, once the script has exited, keeps starting new
# processes, each in a session of its own: a single look at the run's processes (taken before
# killing them) cannot see the ones started while it is being taken or acted on.
import os
import time

script = os.getpid()
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        while True:  # until the script has exited and been reaped
            try:
                os.kill(script, 0)
            except OSError:
                break
            time.sleep(0.01)
        for _ in range(200):  # bounded, should nothing stop it
            if os.fork() == 0:
                os.setsid()
                time.sleep(600)
                os._exit(0)
            time.sleep(0.02)
        os._exit(0)
    os._exit(0)
print("parent done")
