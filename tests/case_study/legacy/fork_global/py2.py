# The parent sets a module global before it starts the pool, and the workers read it: fork
# copies the parent's memory, the global with it. (Python 2.7 on Unix has no other way to start
# a process.)
from multiprocessing import Pool

SCALE = None


def scaled(n):
    return n * SCALE


if __name__ == '__main__':
    SCALE = 10
    pool = Pool(2)
    print 'scaled:', pool.map(scaled, [1, 2, 3])
    pool.close()
    pool.join()
