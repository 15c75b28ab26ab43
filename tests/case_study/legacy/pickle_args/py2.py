# A bound method handed to a Pool, and a dict's keys handed to a Process. Python 2 cannot
# pickle a bound method, so legacy code taught copy_reg how; keys() is a list on Python 2.
import copy_reg
import types
from multiprocessing import Pool, Process, Queue


def _reduce_method(m):
    return getattr, (m.im_self, m.im_func.__name__)


copy_reg.pickle(types.MethodType, _reduce_method)


class Scaler(object):
    def __init__(self, factor):
        self.factor = factor

    def scale(self, x):
        return x * self.factor


def count(names, q):
    q.put(len(names))


if __name__ == '__main__':
    pool = Pool(2)
    print 'scaled:', pool.map(Scaler(3).scale, [1, 2, 3])
    pool.close()
    pool.join()
    stock = {'apples': 3, 'pears': 0, 'plums': 7}
    q = Queue()
    p = Process(target=count, args=(stock.keys(), q))
    p.start()
    print 'child counted %d names' % q.get()
    p.join()
