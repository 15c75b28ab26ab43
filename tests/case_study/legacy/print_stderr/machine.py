# Results on stdout, warnings on stderr with Python 2's `print >>sys.stderr`.
import sys
from multiprocessing import Pool


def check(n):
    return n, n % 2 == 0


if __name__ == '__main__':
    pool = Pool(2)
    results = pool.map(check, [2, 3, 4, 5])
    pool.close()
    pool.join()
    for n, even in results:
        if even:
            print('ok', n)
        else:
            print('warning: %d is odd' % n, file=sys.stderr)
    print('checked', len(results))
