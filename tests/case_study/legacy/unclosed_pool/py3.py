# The same lines and no warning: the with block terminates the pool once the results are in.
# A pool still running when it is collected warns on 3.8+ (a ResourceWarning, shown with
# -W default).
from multiprocessing import Pool


def cube(n):
    return n ** 3


if __name__ == "__main__":
    with Pool(2) as pool:
        print("cubes:", pool.map(cube, [1, 2, 3]))
