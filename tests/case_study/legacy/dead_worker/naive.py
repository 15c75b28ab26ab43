# A naive port: the timeout dropped, as get() on 3 can be interrupted by Ctrl-C without one.
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
                print(f"work({n}) = {result.get()}")  # naive: waits for ever for the lost task
            except TimeoutError:
                print(f"work({n}) was lost")
