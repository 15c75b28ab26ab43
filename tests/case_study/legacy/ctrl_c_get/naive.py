# A naive port: the timeout dropped, and the except clause too, as `with Pool` terminates the pool
# on Ctrl-C anyway.
import os
import signal
import threading
import time
from multiprocessing import Pool

if __name__ == "__main__":
    with Pool(1) as pool:
        result = pool.apply_async(time.sleep, (5,))
        threading.Timer(0.5, os.kill, (os.getpid(), signal.SIGINT)).start()
        value = result.get()  # naive: KeyboardInterrupt now ends the program
        print("slept", value)
    print("pool stopped")
