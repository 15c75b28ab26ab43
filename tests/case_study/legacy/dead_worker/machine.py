# A worker that dies in the middle of a task (os._exit here; the OOM killer or a crash in C code
# elsewhere): the pool replaces the worker but not its task, whose result never comes. The
# timeout on get(), there so that Ctrl-C works on 2.7, also ends that wait.
import os
from multiprocessing import Pool, TimeoutError


def work(n):
    if n == 2:
        os._exit(1)
    return n * n


if __name__ == '__main__':
    pool = Pool(2)
    numbers = [1, 2, 3]
    results = [pool.apply_async(work, (n,)) for n in numbers]
    for n, result in zip(numbers, results):
        try:
            print('work(%d) = %d' % (n, result.get(timeout=2)))
        except TimeoutError:
            print('work(%d) was lost' % n)
    pool.terminate()
    pool.join()
