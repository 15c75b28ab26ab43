# The same lines and exit status 0. On Python 3.2+ a lock wait can be interrupted by a signal, so
# get() needs no timeout to see Ctrl-C; leaving the with block terminates the pool.
import os
import signal
import threading
import time
from multiprocessing import Pool

if __name__ == "__main__":
    with Pool(1) as pool:
        result = pool.apply_async(time.sleep, (5,))
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
        try:
            value = result.get()
            print("slept", value)
        except KeyboardInterrupt:
            print("interrupted; the task still running:", not result.ready())
    print("pool stopped")
