# A naive port: the wait in short sleeps made a get(), and the initializer dropped with it, as
# 2.7's Ctrl-C workarounds.
import os
import signal
import time
from multiprocessing import Pool


def task():
    os.killpg(os.getpgid(0), signal.SIGINT)
    time.sleep(1)
    return "done"


if __name__ == "__main__":
    returned = []
    with Pool(1) as pool:  # naive: the worker dies of the KeyboardInterrupt, its task with it
        try:
            pool.apply_async(task, callback=returned.append).get()
            print("the task ended")
        except KeyboardInterrupt:
            print("interrupted: letting the running task finish")
        pool.close()
        pool.join()
    print("the task returned:", returned)
