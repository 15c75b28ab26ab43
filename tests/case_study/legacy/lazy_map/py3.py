# map(), filter() and zip() are lazy on Python 3: a loop and a comprehension do the puts, list()
# shows the pairs.
from multiprocessing import Process, Queue


def summer(inbox, outbox):
    total = 0
    for item in iter(inbox.get, None):
        total += item
    outbox.put(total)


def sender(inbox):
    """A predicate that keeps the odd numbers and puts each on the queue."""
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
    for item in [1, 2, 3, 4]:
        inbox.put(item)
    keep = sender(inbox)
    odds = [n for n in [5, 6, 7] if keep(n)]
    inbox.put(None)
    print("worker summed", outbox.get())
    worker.join()
    print("odds sent:", odds)
    pairs = list(zip("abc", [1, 2, 3]))
    print("pairs:", pairs)
