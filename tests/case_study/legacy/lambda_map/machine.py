# Jobs that the pool cannot take run in the parent instead. pickle sends a function by its
# module-level name, so neither a lambda nor a nested function can be sent, under any start
# method: Pool.map raises cPickle's PicklingError for each.
import pickle
from multiprocessing import Pool


def square(n):
    return n * n


negated = lambda n: -n


def jobs(offset):
    def shifted(n):
        return n + offset
    return [('square', square), ('negated', negated), ('shifted', shifted)]


if __name__ == '__main__':
    pool = Pool(2)
    for name, job in jobs(10):
        try:
            results = pool.map(job, [1, 2, 3])
            where = 'in the pool'
        except pickle.PicklingError:
            results = list(map(job, [1, 2, 3]))
            where = 'in the parent'
        print(name, where + ':', results)
    pool.close()
    pool.join()
