# Each worker logs its tasks to progress.log and flushes after each line: the pool is terminated
# as soon as the results are in, and a buffer not yet flushed dies with its worker. The parent
# reads the log once join() has returned, when no worker is left to write to it.
import os
from multiprocessing import Pool

log = None


def open_log():
    global log
    log = open('progress.log', 'a')


def square(n):
    print('squared', n, file=log)
    log.flush()
    return n * n


if __name__ == '__main__':
    pool = Pool(2, open_log)
    squares = pool.map(square, list(range(6)))
    pool.terminate()
    pool.join()
    with open('progress.log') as f:
        logged = f.read().splitlines()
    os.remove('progress.log')
    print('squares:', squares)
    print('progress.log had %d lines' % len(logged))
