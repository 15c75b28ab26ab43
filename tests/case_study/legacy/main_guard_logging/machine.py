# Logging configured by the main program under its main guard, used by the workers: fork copies
# the parent's memory, the root logger's handler and format with it. (Python 2.7 on Unix has no
# other way to start a process.)
import logging
from multiprocessing import Pool

log = logging.getLogger('prices')


def checked(price):
    if price < 0:
        log.warning('negative price %d counted as 0', price)
        return 0
    return price


if __name__ == '__main__':
    logging.basicConfig(format='%(levelname)s %(name)s: %(message)s')
    pool = Pool(2)
    print('total:', sum(pool.map(checked, [3, -2, 5])))
    pool.close()
    pool.join()
