# Written for this case study, not taken from the article. It illustrates the
# Queue paragraph of section 3: "Queue是多进程安全的队列,可以使用Queue实现多进程
# 之间的数据传递" (Queue is a process-safe queue for passing data between
# processes): one writer process puts items, one reader process gets them.
from multiprocessing import Process, Queue
import time
import random
import os

def write(q):
    print("Writer process %s is running." % os.getpid())
    for value in ['A', 'B', 'C', 'D', 'E']:
        print("Put %s to queue." % value)
        q.put(value)
        time.sleep(random.random())
    q.put(None)

def read(q):
    print("Reader process %s is running." % os.getpid())
    while True:
        value = q.get()
        if value is None:
            break
        print("Get %s from queue." % value)

if __name__ == '__main__':
    print("Current process %s." % os.getpid())
    q = Queue()
    pw = Process(target=write, args=(q,))
    pr = Process(target=read, args=(q,))
    pw.start()
    pr.start()
    pw.join()
    pr.join()
    print("Writer and reader done.")
