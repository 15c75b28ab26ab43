# `//` floors as Python 2's `/` did on ints: Pool(processes=...), map's chunksize and
# Array(typecode, size) want ints on Python 3 (a float chunksize makes a failing map hang).
from multiprocessing import Array, Pool


def square(x):
    return x * x


if __name__ == "__main__":
    cores = 4
    xs = range(8)
    with Pool(processes=cores // 2) as pool:
        squares = pool.map(square, xs, chunksize=len(xs) // 4)
    print("squares:", squares)
    slots = Array("i", len(xs) // 2)
    print("slots:", slots[:])
