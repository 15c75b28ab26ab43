# WRONG: close() without join(): the parent reports done while tasks still run, and
# its exit terminates the pool.
from multiprocessing import Pool
import time
import random
import os


def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")
    time.sleep(random.random() * 4)
    print(f"Child process {name}({os.getpid()}) end.")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    p = Pool(processes=3)
    for i in range(5):
        p.apply_async(run_task, args=(str(i),))
    print("Waiting for all subprocess done...")
    p.close()
    print("All subprocess done...")
