# A Pool made at module level, with no main guard: Python 2 on Linux only forks, so its
# workers never run this file again.
from multiprocessing import Pool


def square(x):
    return x * x


pool = Pool(2)
print pool.map(square, range(5))
pool.close()
pool.join()
