# A naive port: map(), filter() and zip() kept, as 2.7 wrote them.
from multiprocessing import Process, Queue


def summer(inbox, outbox):
    total = 0
    for item in iter(inbox.get, None):
        total += item
    outbox.put(total)


def sender(inbox):
    """A filter predicate that keeps the odd numbers and puts each on the queue."""
    def keep(n):
        if n % 2:
            inbox.put(n)
            return True
        return False
    return keep


if __name__ == "__main__":
    inbox, outbox = Queue(), Queue()
    worker = Process(target=summer, args=(inbox, outbox))
    worker.start()
    map(inbox.put, [1, 2, 3, 4])  # naive: lazy, never iterated: nothing is put, the sum is 0
    odds = filter(sender(inbox), [5, 6, 7])  # naive: lazy: nothing put before the sum is read
    inbox.put(None)
    print("worker summed", outbox.get())
    worker.join()
    print("odds sent:", odds)  # naive: prints <filter object at 0x...>
    pairs = zip("abc", [1, 2, 3])  # naive: prints <zip object at 0x...>
    print("pairs:", pairs)
