# The parent feeds a worker through a Queue with map(q.put, ...): on Python 2, map runs at once.
from multiprocessing import Process, Queue


def summer(inbox, outbox):
    total = 0
    for item in iter(inbox.get, None):
        total += item
    outbox.put(total)


if __name__ == '__main__':
    inbox, outbox = Queue(), Queue()
    worker = Process(target=summer, args=(inbox, outbox))
    worker.start()
    map(inbox.put, [1, 2, 3, 4])
    inbox.put(None)
    print 'worker summed', outbox.get()
    worker.join()
    pairs = zip('abc', [1, 2, 3])
    print 'pairs:', pairs
