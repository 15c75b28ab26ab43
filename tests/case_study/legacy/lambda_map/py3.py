# The same lines. Python 3 still cannot send a lambda or a nested function to a pool, but says so
# in two ways: pickle raises PicklingError for a module-level lambda, and AttributeError ("Can't
# pickle local object", on 3.13 "Can't get local object") for a function defined in another.
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
            except (pickle.PicklingError, AttributeError):
                results = [job(n) for n in [1, 2, 3]]
                where = "in the parent"
            print(f"{name} {where}: {results}")
        pool.close()
        pool.join()
