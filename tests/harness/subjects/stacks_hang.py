# A parent and its multiprocessing child both hang, each in a function named for it: a
# timeout's report must show where each one is.
import multiprocessing
import sys
import time


def child_waits_forever():
    time.sleep(600)


def parent_waits_forever(child):
    child.join()


if __name__ == "__main__":
    child = multiprocessing.Process(target=child_waits_forever)
    child.start()
    print("pids %d %d" % (multiprocessing.current_process().pid, child.pid))
    sys.stdout.flush()
    parent_waits_forever(child)
