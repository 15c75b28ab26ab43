# The original's pool, never closed: the same lines, and a ResourceWarning at exit on 3.8+.
from multiprocessing import Pool


def cube(n):
    return n ** 3


if __name__ == "__main__":
    pool = Pool(2)  # naive: still running when collected at exit
    print("cubes:", pool.map(cube, [1, 2, 3]))
