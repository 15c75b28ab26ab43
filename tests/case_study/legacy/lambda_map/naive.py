# A naive port: cPickle became pickle, its PicklingError kept as the one to catch.
import pickle
from multiprocessing import Pool


def square(n):
    return n * n


negated = lambda n: -n  # noqa: E731, a lambda is the point


def jobs(offset):
    def shifted(n):
        return n + offset

    return [("square", square), ("negated", negated), ("shifted", shifted)]


if __name__ == "__main__":
    with Pool(2) as pool:
        for name, job in jobs(10):
            try:
                results = pool.map(job, [1, 2, 3])
                where = "in the pool"
            except pickle.PicklingError:  # naive: a local function raises AttributeError on 3
                results = [job(n) for n in [1, 2, 3]]
                where = "in the parent"
            print(f"{name} {where}: {results}")
        pool.close()
        pool.join()
