# Which children of `python -u` and of PYTHONUNBUFFERED=1 write stdout unbuffered, on a pipe.
# -u is a command-line flag that spawn and forkserver do not pass on; the variable is inherited.
from __future__ import print_function

import os
import subprocess
import sys

import multiprocessing


def binary_layer():
    # FileIO: every write goes straight out; BufferedWriter: it waits in a buffer.
    return type(sys.stdout.buffer).__name__


def children():
    seen = []
    for method in ("fork", "spawn", "forkserver"):
        pool = multiprocessing.get_context(method).Pool(1)
        seen.append("%s %s" % (method, pool.apply(binary_layer)))
        pool.close()
        pool.join()
    print(", ".join(seen))


if __name__ == "__main__":
    if sys.argv[1:] == ["children"]:
        children()
    else:
        env = dict(os.environ)
        env.pop("PYTHONUNBUFFERED", None)
        for how, flags, extra in (("python -u", ["-u"], {}),
                                  ("PYTHONUNBUFFERED=1", [], {"PYTHONUNBUFFERED": "1"})):
            env_run = dict(env, **extra)
            out = subprocess.check_output([sys.executable] + flags + [__file__, "children"],
                                          env=env_run)
            print("%s: %s" % (how, out.decode().strip()))
