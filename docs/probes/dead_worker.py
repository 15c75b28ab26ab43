# A worker that dies in the middle of a task: Pool loses the task and waits for it for ever;
# ProcessPoolExecutor raises BrokenProcessPool.
from __future__ import print_function

import os

import multiprocessing

WAIT = 5


def task(n):
    if n == 1:
        os._exit(1)
    return n


if __name__ == "__main__":
    pool = multiprocessing.Pool(2)
    result = pool.map_async(task, [0, 1, 2])
    try:
        print("Pool.map:", result.get(WAIT))
    except multiprocessing.TimeoutError:
        print("Pool.map: no result and no error after %d s" % WAIT)
    pool.terminate()
    pool.join()
    try:
        from concurrent.futures import ProcessPoolExecutor
    except ImportError:
        print("ProcessPoolExecutor: no concurrent.futures")
    else:
        try:
            with ProcessPoolExecutor(2) as executor:
                print("ProcessPoolExecutor.map:", list(executor.map(task, [0, 1, 2])))
        except Exception as exc:
            print("ProcessPoolExecutor.map: %s" % type(exc).__name__)
