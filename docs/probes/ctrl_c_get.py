# SIGINT at 0.3 s while the parent waits for a 2 s task: when does the KeyboardInterrupt come,
# with get() and with get(timeout=3600)?
from __future__ import print_function

import os
import signal
import threading
import time

import multiprocessing


def ignore_sigint():
    signal.signal(signal.SIGINT, signal.SIG_IGN)


if __name__ == "__main__":
    for timeout in (None, 3600):
        pool = multiprocessing.Pool(1, ignore_sigint)
        result = pool.apply_async(time.sleep, (2,))
        threading.Timer(0.3, os.kill, (os.getpid(), signal.SIGINT)).start()
        start = time.time()
        try:
            result.get(timeout)
        except KeyboardInterrupt:
            when = "while the task ran" if not result.ready() else "after the task ended"
            print("get(%s): KeyboardInterrupt %s" % ("" if timeout is None else "timeout=3600",
                                                     when))
        pool.terminate()
        pool.join()
