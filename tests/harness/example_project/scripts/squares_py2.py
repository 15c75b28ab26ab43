# The team's original: a pool squares the numbers, the parent prints their sum.
from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == '__main__':
    pool = Pool(2)
    squares = pool.map(square, range(10))
    pool.close()
    pool.join()
    print 'sum of squares: %d' % sum(squares)
