from multiprocessing import Process, Pool
import time
import random
import os

def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")

if __name__ == "__main__":
    print("Current process %s." % os.getpid())
    for i in range(5):
        p = Process(target=run_task, args=(str(i), ))
        p.start()
        p.join()
    
    print("Waiting for subprocess done")
