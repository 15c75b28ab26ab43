# Times a 1 s sleep in the parent and in a child (Python 2 and 3).
from __future__ import print_function

import multiprocessing
import time


def nap(name):
    start = time.time()
    time.sleep(1.0)
    print("%s slept %.2f" % (name, time.time() - start))


if __name__ == "__main__":
    nap("parent")
    p = multiprocessing.Process(target=nap, args=("child",))
    p.start()
    p.join()
