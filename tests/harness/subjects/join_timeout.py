# A child sleeps 2 s; the parent waits for it at most 1 s, then says whether it still runs: the
# Python 2 original of join_timeout_event.py. Runs on Python 2 and 3 (one string per print,
# which pyupgrade leaves as it is). `--fast` scales the child's sleep and not join's timeout:
# the parent then finds the child gone, which it never does in real time.
import multiprocessing
import time


def child():
    time.sleep(2)


if __name__ == "__main__":
    p = multiprocessing.Process(target=child)
    p.start()
    p.join(1)
    print("child alive after join(1): " + str(p.is_alive()))
    p.join()
    print("child exit code: " + str(p.exitcode))
