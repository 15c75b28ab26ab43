# Written for this case study, not taken from the article: put/get with
# block and timeout raise queue.Full / queue.Empty.
import multiprocessing
import queue
import os


def put_later(q, go):
    go.wait()
    print(f"Child process {os.getpid()} puts B.")
    q.put("B")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    q = multiprocessing.Queue(maxsize=1)
    # Started before the first put, which starts the queue's feeder thread: a child forked
    # while a thread runs can deadlock (3.12+ warns). It waits until it is told to put.
    go = multiprocessing.Event()
    p = multiprocessing.Process(target=put_later, args=(q, go))
    p.start()
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
    go.set()
    print(f"Got {q.get(block=True, timeout=10)} from the child.")
    p.join()
