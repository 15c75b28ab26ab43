# WRONG everywhere, once an exception is raised: `except Queue.Full` kept from Python 2
# with `from multiprocessing import Queue`. In Python 3 the name is multiprocessing's Queue
# factory, which has no Full; an except clause is evaluated only when an exception arrives,
# so the script runs until the first full put and then dies with AttributeError.
import multiprocessing
from multiprocessing import Queue
import os


def put_later(q):
    print(f"Child process {os.getpid()} puts B.")
    q.put("B")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    q = Queue(maxsize=1)
    q.put("A")
    print("Put A, the queue is full.")
    try:
        q.put("X", block=False)
    except Queue.Full:
        print("put(block=False) raised Full.")
    print("Calling put(block=True, timeout=0.5)...")
    try:
        q.put("X", block=True, timeout=0.5)
    except Queue.Full:
        print("put(block=True, timeout=0.5) raised Full.")
    print(f"Got {q.get()}.")
    try:
        q.get(block=False)
    except Queue.Empty:
        print("get(block=False) raised Empty.")
    print("Calling get(block=True, timeout=0.5)...")
    try:
        q.get(block=True, timeout=0.5)
    except Queue.Empty:
        print("get(block=True, timeout=0.5) raised Empty.")
    p = multiprocessing.Process(target=put_later, args=(q,))
    p.start()
    print(f"Got {q.get(block=True, timeout=10)} from the child.")
    p.join()
