# A naive port: map() and zip() kept, as 2.7 wrote them.
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
    map(inbox.put, [1, 2, 3, 4])  # naive: lazy, never iterated: nothing is put, the sum is 0
    inbox.put(None)
    print("worker summed", outbox.get())
    worker.join()
    pairs = zip("abc", [1, 2, 3])  # naive: prints <zip object at 0x...>
    print("pairs:", pairs)
