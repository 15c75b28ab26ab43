# A line the parent printed, still in its stdout buffer (a pipe), when it forks: a bare os.fork()
# child that exits normally writes it again; multiprocessing flushes before it forks.
from __future__ import print_function

import os
import subprocess
import sys

import multiprocessing


def noop():
    pass


def fork(how):
    print("parent line")
    if how == "os.fork()":
        pid = os.fork()
        if pid == 0:
            sys.exit(0)  # a normal exit, which flushes the copied buffer
        os.waitpid(pid, 0)
    else:
        p = multiprocessing.Process(target=noop)  # fork: the default on Linux up to 3.13
        p.start()
        p.join()


if __name__ == "__main__":
    if len(sys.argv) > 1:
        fork(sys.argv[1])
    else:
        env = dict(os.environ)
        env.pop("PYTHONUNBUFFERED", None)
        for how in ("os.fork()", "a fork Process"):
            out = subprocess.check_output([sys.executable, __file__, how], env=env)
            print("%s: 'parent line' written %d time(s)"
                  % (how, out.decode().count("parent line")))
