# A naive port: the print statement converted, its flush() dropped, and a with block.
import os
from multiprocessing import Pool

log = None


def open_log():
    global log
    log = open("progress.log", "a")


def square(n):
    print("squared", n, file=log)  # naive: no flush; the line dies in the buffer
    return n * n


if __name__ == "__main__":
    with Pool(2, open_log) as pool:
        squares = pool.map(square, range(6))
    with open("progress.log") as f:
        logged = f.read().splitlines()
    os.remove("progress.log")
    print("squares:", squares)
    print(f"progress.log had {len(logged)} lines")
