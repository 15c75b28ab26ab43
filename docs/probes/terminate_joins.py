# Pool.terminate() joins the workers it stops: none is left when it returns.
from __future__ import print_function

import multiprocessing


def square(n):
    return n * n


if __name__ == "__main__":
    pool = multiprocessing.Pool(2)
    print("squares:", pool.map(square, range(6)))
    workers = list(pool._pool)
    pool.terminate()
    print("after terminate(): %d of %d workers alive"
          % (sum(w.is_alive() for w in workers), len(workers)))
