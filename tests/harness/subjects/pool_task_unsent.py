# The article's pool with task 0 never given to the pool: every worker runs, none runs task 0.
import os
from multiprocessing import Pool


def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")
    print(f"Child process {name}({os.getpid()}) end.")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    with Pool(processes=3) as p:
        results = [p.apply_async(run_task, args=(str(i),)) for i in range(1, 5)]
        print("Waiting for all subprocess done...")
        for result in results:
            result.get()
        p.close()
        p.join()
    print("All subprocess done...")
