# Written for this case study, not taken from the article: one writer and one
# reader process share a Queue.
from multiprocessing import Process, Queue
import time
import random
import os


def write(q):
    print(f"Writer process {os.getpid()} is running.")
    for value in ["A", "B", "C", "D", "E"]:
        print(f"Put {value} to queue.")
        q.put(value)
        time.sleep(random.random())
    q.put(None)


def read(q):
    print(f"Reader process {os.getpid()} is running.")
    for value in iter(q.get, None):
        print(f"Get {value} from queue.")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    q = Queue()
    pw = Process(target=write, args=(q,))
    pr = Process(target=read, args=(q,))
    pw.start()
    pr.start()
    pw.join()
    pr.join()
    print("Writer and reader done.")
