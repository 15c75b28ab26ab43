# The same lines. From 3.2 get() needs no timeout to see Ctrl-C; the workers must still ignore
# SIGINT, which reaches them as it reaches the parent, on 3 as on 2.7.
import os
import signal
import time
from multiprocessing import Pool


def ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def task():
    os.killpg(os.getpgid(0), signal.SIGINT)
    time.sleep(1)
    return "done"


if __name__ == "__main__":
    returned = []
    with Pool(1, initializer=ignore_sigint) as pool:
        try:
            pool.apply_async(task, callback=returned.append).get()
            print("the task ended")
        except KeyboardInterrupt:
            print("interrupted: letting the running task finish")
        pool.close()
        pool.join()
    print("the task returned:", returned)
