# A naive port, tidied: the child joined as soon as it is started, and, as that join never
# returned, the child told not to wait for its queue's feeder thread.
import queue
from multiprocessing import Process, Queue


def produce(q):
    q.cancel_join_thread()  # naive: the child ends at once, and what the pipe did not take is lost
    for i in range(2000):
        q.put(f"result {i} {'x' * 100}")


if __name__ == "__main__":
    q = Queue()
    p = Process(target=produce, args=(q,))
    p.start()
    p.join()
    count = 0
    while True:
        try:
            q.get(timeout=1)
        except queue.Empty:
            break
        count += 1
    print("results lost:", "none" if count == 2000 else "some")
