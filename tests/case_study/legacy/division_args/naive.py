# A naive port: `/` kept as it was.
from multiprocessing import Array, Pool


def square(x):
    return x * x


if __name__ == "__main__":
    cores = 4
    xs = range(8)
    with Pool(processes=cores / 2) as pool:  # naive: processes=2.0 raises TypeError
        squares = pool.map(square, xs, chunksize=len(xs) / 4)
    print("squares:", squares)
    slots = Array("i", len(xs) / 2)
    print("slots:", slots[:])
