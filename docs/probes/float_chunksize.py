# Sizes computed with / on Python 3: a float chunksize makes Pool.map wait for ever, with no
# error; a float Array size raises. Python 2's / floors, and both work.
from __future__ import print_function

import multiprocessing

WAIT = 5


def square(n):
    return n * n


if __name__ == "__main__":
    xs = list(range(8))
    pool = multiprocessing.Pool(2)
    result = pool.map_async(square, xs, chunksize=len(xs) / 4)
    try:
        print("map(chunksize=len(xs) / 4):", result.get(WAIT))
    except multiprocessing.TimeoutError:
        print("map(chunksize=len(xs) / 4): no result and no error after %d s" % WAIT)
    pool.terminate()
    pool.join()
    try:
        print("Array('i', len(xs) / 2):", multiprocessing.Array("i", len(xs) / 2)[:])
    except TypeError as exc:
        print("Array('i', len(xs) / 2): TypeError: %s" % exc)
