# WRONG everywhere: the article's keyword. It says put/get take "blocked"; the keyword is
# "block", and Python 2 and 3 alike reject the unknown one with TypeError.
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
        q.put("X", blocked=False)
    except queue.Full:
        print("put(block=False) raised Full.")
    print("Calling put(block=True, timeout=0.5)...")
    try:
        q.put("X", blocked=True, timeout=0.5)
    except queue.Full:
        print("put(block=True, timeout=0.5) raised Full.")
    print(f"Got {q.get()}.")
    try:
        q.get(blocked=False)
    except queue.Empty:
        print("get(block=False) raised Empty.")
    print("Calling get(block=True, timeout=0.5)...")
    try:
        q.get(blocked=True, timeout=0.5)
    except queue.Empty:
        print("get(block=True, timeout=0.5) raised Empty.")
    p = multiprocessing.Process(target=put_later, args=(q,))
    p.start()
    print(f"Got {q.get(block=True, timeout=10)} from the child.")
    p.join()
