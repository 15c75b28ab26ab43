# One process of each kind the record must see: a plain fork of the main process that ends by
# sys.exit, a multiprocessing child named Worker, and a plain fork of Worker that ends by
# os._exit. Each prints "<role> <pid> <ppid>", flushed before any fork.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import multiprocessing
import os
import sys


def say(role):
    sys.stdout.write(" ".join([role, str(os.getpid()), str(os.getppid())]) + "\n")
    sys.stdout.flush()


def worker():
    say("worker")
    pid = os.fork()
    if pid == 0:
        say("worker-fork")
        os._exit(0)
    os.waitpid(pid, 0)


if __name__ == "__main__":
    say("main")
    pid = os.fork()
    if pid == 0:
        say("main-fork")
        sys.exit(0)
    os.waitpid(pid, 0)
    p = multiprocessing.Process(target=worker, name="Worker")
    p.start()
    p.join()
