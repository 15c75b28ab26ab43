# Where 3.12's warning about forking with a thread running shows under the default warning
# filters: they show a DeprecationWarning only when it is attributed to __main__.
from __future__ import print_function

import os
import subprocess
import sys
import threading
import time

import multiprocessing


def noop():
    pass


def fork_with_a_thread(how):
    thread = threading.Thread(target=time.sleep, args=(0.5,))
    thread.start()
    if how == "os.fork()":
        pid = os.fork()
        if pid == 0:
            os._exit(0)
        os.waitpid(pid, 0)
    else:
        p = multiprocessing.get_context("fork").Process(target=noop)
        p.start()
        p.join()
    thread.join()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        fork_with_a_thread(sys.argv[1])
    else:
        env = dict(os.environ)
        env.pop("PYTHONWARNINGS", None)
        for flags in ([], ["-W", "default"]):
            for how in ("os.fork()", "a fork Process"):
                proc = subprocess.run([sys.executable] + flags + [__file__, how], env=env,
                                      stderr=subprocess.PIPE, universal_newlines=True)
                warned = [line.split(": DeprecationWarning")[0].split("/")[-1]
                          for line in proc.stderr.splitlines() if "DeprecationWarning" in line]
                print("python %s%s: %s" % (" ".join(flags) + " " if flags else "", how,
                                           "warns at " + warned[0] if warned else "no warning"))
