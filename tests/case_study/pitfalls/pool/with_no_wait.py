# WRONG: leaves the `with Pool` block at once; __exit__ is terminate(), so the
# tasks are killed before they run.
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
    with Pool(processes=3) as p:
        for i in range(5):
            p.apply_async(run_task, args=(str(i),))
        print("Waiting for all subprocess done...")
    print("All subprocess done...")
