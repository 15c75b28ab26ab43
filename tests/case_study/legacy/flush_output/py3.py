# The same lines. print(..., flush=True) (3.3+) is the print statement and flush() in one call.
# try/finally terminates the pool, as the original did, and join() still waits for the workers
# before the parent reads the log.
import os
from multiprocessing import Pool

log = None


def open_log():
    global log
    log = open("progress.log", "a")


def square(n):
    print("squared", n, file=log, flush=True)
    return n * n


if __name__ == "__main__":
    pool = Pool(2, open_log)
    try:
        squares = pool.map(square, range(6))
    finally:
        pool.terminate()
        pool.join()
    with open("progress.log") as f:
        logged = f.read().splitlines()
    os.remove("progress.log")
    print("squares:", squares)
    print(f"progress.log had {len(logged)} lines")
