# A Pool worker that reports each of 3600 failed attempts on stderr under its own name: about
# 122 KB from 2.7, whose workers are PoolWorker-N, and more than portproof keeps of stderr
# (_run.STDERR_KEPT of its head and of its tail) from Python 3, whose workers' names are longer
# (ForkPoolWorker-N...): the port's stderr alone is cut.
import sys
from multiprocessing import Pool, current_process

ATTEMPTS = 3600


def attempt(n):
    for _ in range(n):
        sys.stderr.write('%s: no reply, retrying\n' % current_process().name)
    return n


if __name__ == '__main__':
    pool = Pool(1)
    print 'attempts:', pool.apply(attempt, (ATTEMPTS,))
    pool.close()
    pool.join()
