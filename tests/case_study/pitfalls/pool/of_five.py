# WRONG: a pool of 5 instead of 3, so all five tasks run at once.
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
    with Pool(processes=5) as p:
        for i in range(5):
            p.apply_async(run_task, args=(str(i),))
        print("Waiting for all subprocess done...")
        p.close()
        p.join()
    print("All subprocess done...")
