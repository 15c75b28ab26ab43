# A naive port, as 2to3's print fixer makes it: `print x,` becomes end=" ".
import os
from multiprocessing import Pool


def cube(n):
    return n ** 3


if __name__ == "__main__":
    with Pool(2) as pool:
        cubes = pool.map(cube, [1, 2, 3])
    with open("result.txt", "w") as out:
        for c in cubes:
            print(c, end=" ", file=out)  # naive: a space before the newline: 8 bytes, not 7
        print(file=out)
    print("wrote", os.path.getsize("result.txt"), "bytes")
