# WRONG: the reader polls with get_nowait() and takes Empty to mean the writer is done. A
# multiprocessing.Queue hands each put to a feeder thread that writes it to a pipe later, so
# get_nowait() straight after a put (here, in another process) can raise Empty while items are
# still on their way (the multiprocessing docs, "Pipes and Queues").
from multiprocessing import Process, Queue
import time
import random
import os
import queue


def write(q):
    print(f"Writer process {os.getpid()} is running.")
    for value in ["A", "B", "C", "D", "E"]:
        print(f"Put {value} to queue.")
        q.put(value)
        time.sleep(random.random())
    q.put(None)


def read(q):
    print(f"Reader process {os.getpid()} is running.")
    while True:
        try:
            value = q.get_nowait()
        except queue.Empty:
            break  # "nothing left, so the writer is done"
        if value is None:
            break
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
