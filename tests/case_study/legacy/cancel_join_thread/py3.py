# The same line: read the queue, then join the child (a process that has put data on a Queue ends
# only once its feeder thread has written all of it to the pipe, on 3 as on 2.7).
import queue
from multiprocessing import Process, Queue


def produce(q):
    for i in range(2000):
        q.put(f"result {i} {'x' * 100}")


if __name__ == "__main__":
    q = Queue()
    p = Process(target=produce, args=(q,))
    p.start()
    count = 0
    while True:
        try:
            q.get(timeout=1)
        except queue.Empty:
            break
        count += 1
    p.join()
    print("results lost:", "none" if count == 2000 else "some")
