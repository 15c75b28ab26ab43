# Squares computed by a Pool, collected in a dict and printed whole. Python 2.7 prints a dict in
# the order of its hash table: small int keys hash to themselves, so they come out ascending
# whatever order they went in, and the same on every run.
from multiprocessing import Pool


def square(n):
    return n, n * n


if __name__ == '__main__':
    pool = Pool(2)
    squares = dict(pool.map(square, [5, 3, 1, 4, 2]))
    pool.close()
    pool.join()
    print(squares)
    print('keys:', list(squares.keys()))
