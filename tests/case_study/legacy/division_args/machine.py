# Sizes handed to multiprocessing, computed with `/`: on Python 2 two ints divide to an int,
# which is what Pool(processes=...), map's chunksize and Array(typecode, size) want.
from multiprocessing import Array, Pool


def square(x):
    return x * x


if __name__ == '__main__':
    cores = 4
    xs = list(range(8))
    pool = Pool(processes=cores / 2)
    squares = pool.map(square, xs, chunksize=len(xs) / 4)
    pool.close()
    pool.join()
    print('squares:', squares)
    slots = Array('i', len(xs) / 2)
    print('slots:', slots[:])
