# Results printed as they arrive (imap_unordered): their order varies from run to run, as the
# tasks sleep for random times. The summary after them does not vary.
import random
import time
from multiprocessing import Pool


def slow_square(n):
    time.sleep(random.random() * 0.5)
    return n, n * n


if __name__ == '__main__':
    random.seed()
    pool = Pool(3)
    total = 0
    for n, sq in pool.imap_unordered(slow_square, range(6)):
        print '%d squared is %d' % (n, sq)
        total += sq
    pool.close()
    pool.join()
    print 'mean square:', total / 6
