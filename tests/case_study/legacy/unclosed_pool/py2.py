# A pool left to the interpreter's exit: no close(), no join(), as short scripts often do. Its
# results were fetched, so nothing is lost: at exit the pool is terminated.
from multiprocessing import Pool


def cube(n):
    return n ** 3


if __name__ == '__main__':
    pool = Pool(2)
    print 'cubes:', pool.map(cube, [1, 2, 3])
