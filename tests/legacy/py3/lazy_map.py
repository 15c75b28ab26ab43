# map() and zip() are lazy on Python 3: a loop does the puts, list() shows the pairs.
from multiprocessing import Process, Queue


def summer(inbox, outbox):
    total = 0
    for item in iter(inbox.get, None):
        total += item
    outbox.put(total)


if __name__ == "__main__":
    inbox, outbox = Queue(), Queue()
    worker = Process(target=summer, args=(inbox, outbox))
    worker.start()
    for item in [1, 2, 3, 4]:
        inbox.put(item)
    inbox.put(None)
    print("worker summed", outbox.get())
    worker.join()
    pairs = list(zip("abc", [1, 2, 3]))
    print("pairs:", pairs)
