# Ctrl-C typed in a terminal reaches every process of the terminal's foreground process group,
# the workers too: here the task, once it runs, sends SIGINT to the program's group as the
# terminal would. The workers ignore SIGINT (the pool's initializer), so only the parent gets
# KeyboardInterrupt: it stops waiting, lets the running task finish and closes the pool. (It
# waits in short sleeps, which Ctrl-C interrupts cleanly: a KeyboardInterrupt that lands inside
# 2.7's get(timeout=...) can leave the pool's join() waiting for ever.) The interrupt may come
# before apply_async has returned, so what the task returns is kept by its callback, not by a
# result object the interrupt can leave unbound.
import os
import signal
import time
from multiprocessing import Pool


def ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


def task():
    os.killpg(os.getpgid(0), signal.SIGINT)
    time.sleep(1)
    return 'done'


if __name__ == '__main__':
    returned = []
    pool = Pool(1, initializer=ignore_sigint)
    try:
        pool.apply_async(task, callback=returned.append)
        while not returned:
            time.sleep(0.1)
        print('the task ended')
    except KeyboardInterrupt:
        print('interrupted: letting the running task finish')
    pool.close()
    pool.join()
    print('the task returned:', returned)
