# WRONG on 3.12+ under fork: the first put() starts the queue's feeder thread, and the child
# is forked while it runs; a forked child of a multi-threaded process can deadlock, and
# Python 3.12+ says so with a DeprecationWarning. Python 3.6 to 3.11 fork it silently.
import multiprocessing
import queue
import os


def put_later(q):
    print(f"Child process {os.getpid()} puts B.")
    q.put("B")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    q = multiprocessing.Queue(maxsize=1)
    q.put("A")
    print("Put A, the queue is full.")
    try:
        q.put("X", block=False)
    except queue.Full:
        print("put(block=False) raised Full.")
    print("Calling put(block=True, timeout=0.5)...")
    try:
        q.put("X", block=True, timeout=0.5)
    except queue.Full:
        print("put(block=True, timeout=0.5) raised Full.")
    print(f"Got {q.get()}.")
    try:
        q.get(block=False)
    except queue.Empty:
        print("get(block=False) raised Empty.")
    print("Calling get(block=True, timeout=0.5)...")
    try:
        q.get(block=True, timeout=0.5)
    except queue.Empty:
        print("get(block=True, timeout=0.5) raised Empty.")
    p = multiprocessing.Process(target=put_later, args=(q,))
    p.start()
    print(f"Got {q.get(block=True, timeout=10)} from the child.")
    p.join()
