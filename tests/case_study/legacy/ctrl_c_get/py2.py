# Ctrl-C during a long task (sent here by a timer, 0.5 s in). On Python 2.7 a get() with no
# timeout waits on a lock that a signal cannot interrupt: Ctrl-C would do nothing until the task
# ended. The legacy workaround is a timeout, however long: get() then waits in short sleeps, and
# KeyboardInterrupt comes at once. The pool is terminated, the task with it.
import os
import signal
import threading
import time
from multiprocessing import Pool

if __name__ == '__main__':
    pool = Pool(1)
    result = pool.apply_async(time.sleep, (5,))
    threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
    try:
        value = result.get(timeout=3600)
        print 'slept', value
    except KeyboardInterrupt:
        print 'interrupted; the task still running:', not result.ready()
        pool.terminate()
    else:
        pool.close()
    pool.join()
    print 'pool stopped'
