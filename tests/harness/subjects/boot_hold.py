# A Pool of one worker runs one task, then is closed and joined. Prints how long the join took
# after the task ended: at least the time the worker is held after its last task.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import multiprocessing
import os
import time


def task():
    return os.getpid(), time.time()


if __name__ == "__main__":
    pool = multiprocessing.Pool(1)
    pid, ended = pool.apply(task)
    pool.close()
    pool.join()
    print(" ".join([str(pid), repr(time.time() - ended)]))
