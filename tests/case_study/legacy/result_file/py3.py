# Python 2's `print >>f, x,` wrote a space only between items, never before the newline: the
# port joins the items itself, so result.txt has the same bytes.
import os
from multiprocessing import Pool


def cube(n):
    return n ** 3


if __name__ == "__main__":
    with Pool(2) as pool:
        cubes = pool.map(cube, [1, 2, 3])
    with open("result.txt", "w") as out:
        out.write(" ".join(str(c) for c in cubes) + "\n")
    print("wrote", os.path.getsize("result.txt"), "bytes")
