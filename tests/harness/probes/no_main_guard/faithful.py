# A Pool made at module level, with no main guard: Python 2 on Linux only forks, so its
# workers never run this file again. Under spawn and forkserver each worker imports this file:
# the pool is made under the main guard.
from multiprocessing import Pool


def square(x):
    return x * x


if __name__ == '__main__':
    pool = Pool(2)
    print(pool.map(square, range(5)))
    pool.close()
    pool.join()
