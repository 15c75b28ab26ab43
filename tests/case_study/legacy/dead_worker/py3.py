# The same lines. A get() on 3 needs no timeout for Ctrl-C, but still needs one wherever a worker
# may die: nothing else ends the wait for a task that died with its worker.
import os
from multiprocessing import Pool, TimeoutError


def work(n):
    if n == 2:
        os._exit(1)
    return n * n


if __name__ == "__main__":
    numbers = [1, 2, 3]
    with Pool(2) as pool:
        results = [pool.apply_async(work, (n,)) for n in numbers]
        for n, result in zip(numbers, results):
            try:
                print(f"work({n}) = {result.get(timeout=2)}")
            except TimeoutError:
                print(f"work({n}) was lost")
