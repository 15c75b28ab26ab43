# Times a 1 s sleep in the parent and in a child.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import multiprocessing
import time


def nap(name):
    start = time.time()
    time.sleep(1.0)
    print(" ".join([name, "slept", str(round(time.time() - start, 2))]))


if __name__ == "__main__":
    nap("parent")
    p = multiprocessing.Process(target=nap, args=("child",))
    p.start()
    p.join()
