# WRONG: waits with .get() inside the `with` block. Every task runs, but
# __exit__ (terminate) kills the workers before they flush stdout: with stdout on a pipe
# or a file, lines are lost at random. In a terminal (line-buffered) nothing is lost.
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
        results = [p.apply_async(run_task, args=(str(i),)) for i in range(5)]
        print("Waiting for all subprocess done...")
        for result in results:
            result.get()
    print("All subprocess done...")
