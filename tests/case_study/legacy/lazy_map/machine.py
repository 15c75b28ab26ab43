# The parent feeds a worker through a Queue with map(q.put, ...) and with a filter() whose
# predicate puts what it keeps: on Python 2, map and filter run at once.
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


if __name__ == '__main__':
    inbox, outbox = Queue(), Queue()
    worker = Process(target=summer, args=(inbox, outbox))
    worker.start()
    list(map(inbox.put, [1, 2, 3, 4]))
    odds = list(filter(sender(inbox), [5, 6, 7]))
    inbox.put(None)
    print('worker summed', outbox.get())
    worker.join()
    print('odds sent:', odds)
    pairs = list(zip('abc', [1, 2, 3]))
    print('pairs:', pairs)
