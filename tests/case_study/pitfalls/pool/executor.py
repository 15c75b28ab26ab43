# RIGHT: concurrent.futures; leaving the block waits for every task.
from concurrent.futures import ProcessPoolExecutor
import time
import random
import os


def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")
    time.sleep(random.random() * 4)
    print(f"Child process {name}({os.getpid()}) end.")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    with ProcessPoolExecutor(max_workers=3) as executor:
        for i in range(5):
            executor.submit(run_task, str(i))
        print("Waiting for all subprocess done...")
    print("All subprocess done...")
