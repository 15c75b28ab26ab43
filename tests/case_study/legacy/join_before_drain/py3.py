# The same line: drain the queue, then join (the rule is the same on 3: a process that has put
# data on a Queue ends only once its feeder thread has written all of it to the pipe).
from multiprocessing import Process, Queue


def produce(q):
    for i in range(2000):
        q.put(f"result {i} {'x' * 100}")
    q.put(None)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=produce, args=(q,))
    p.start()
    count = sum(1 for _ in iter(q.get, None))
    p.join()
    print("received", count, "results; exit code", p.exitcode)
