# A child meant to die of SIGUSR2, whose default action ends a process: its parent sends it once
# the child runs, and prints the child's exit code (-12 on Linux, -31 on macOS). Run with the
# start method as argv[1] when run bare; under portproof, with the one portproof offers.
import multiprocessing
import os
import signal
import sys


def child(ready, never):
    # Made by the parent: a child killed while it made a semaphore would leave it in /dev/shm
    # (run bare, nothing records it).
    ready.set()
    never.wait(10)  # not a sleep: its time is not scaled


if __name__ == "__main__":
    if len(sys.argv) > 1:
        multiprocessing.set_start_method(sys.argv[1])
    ready, never = multiprocessing.Event(), multiprocessing.Event()
    process = multiprocessing.Process(target=child, args=(ready, never))
    process.start()
    ready.wait(10)
    os.kill(process.pid, signal.SIGUSR2)
    process.join()
    print("exitcode %d" % process.exitcode)
