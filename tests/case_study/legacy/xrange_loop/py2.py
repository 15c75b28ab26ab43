# Workers sum slices found with xrange; the slice starts are a list from range().
from multiprocessing import Pool


def total(start):
    s = 0
    for i in xrange(start, start + 5):
        s += i
    return s


if __name__ == '__main__':
    starts = range(0, 20, 5)
    print 'starts:', starts
    pool = Pool(2)
    print 'totals:', pool.map(total, starts)
    pool.close()
    pool.join()
