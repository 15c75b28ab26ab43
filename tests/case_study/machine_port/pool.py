from multiprocessing import Process, Pool
import time
import random
import os

def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")
    time.sleep(random.random() * 4)
    print(f"Child process {name}({os.getpid()}) end.")

if __name__ == '__main__':
    print("Current process %s." % os.getpid())
    p = Pool(processes=3)
    for i in range(5):
        p.apply_async(run_task, args=(str(i), ))
    print("Waiting for all subprocess done...")
    p.close()    #调用join之前,必须调用close,调用close之后,不能再向进程池中添加进程
    p.join()
    print("All subprocess done...")
