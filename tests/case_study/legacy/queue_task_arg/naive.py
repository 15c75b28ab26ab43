# A naive port: as spawn does not copy globals, the Queue passed to each task instead.
from multiprocessing import Pool, Queue


def search(found, n):
    if n % 3 == 0:
        found.put(n)


if __name__ == "__main__":
    found = Queue()
    with Pool(2) as pool:
        pool.starmap(search, [(found, n) for n in range(10)])  # naive: a Queue cannot be pickled
        pool.close()
        pool.join()
    print("found:", sorted(found.get() for _ in range(4)))
