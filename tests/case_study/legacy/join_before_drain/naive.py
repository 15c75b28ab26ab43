# A naive port, tidied: the child joined as soon as it is started, the queue read after.
from multiprocessing import Process, Queue


def produce(q):
    for i in range(2000):
        q.put(f"result {i} {'x' * 100}")
    q.put(None)


if __name__ == "__main__":
    q = Queue()
    p = Process(target=produce, args=(q,))
    p.start()
    p.join()  # naive: the child cannot end while its data fills the pipe: both wait for ever
    count = sum(1 for _ in iter(q.get, None))
    print("received", count, "results; exit code", p.exitcode)
