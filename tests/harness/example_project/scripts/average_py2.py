# The team's original: children put numbers on a queue, the parent prints their mean with `/`,
# which floors two ints on Python 2.
from multiprocessing import Process, Queue


def send(queue, n):
    queue.put(n)


if __name__ == '__main__':
    queue = Queue()
    children = [Process(target=send, args=(queue, n)) for n in (7, 8)]
    for child in children:
        child.start()
    total = sum(queue.get() for _ in children)
    for child in children:
        child.join()
    print 'mean: %s' % (total / len(children))
