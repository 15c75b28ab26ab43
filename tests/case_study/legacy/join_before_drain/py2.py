# A child sends its results on a Queue; the parent reads them all, then joins the child. A process
# that has put data on a Queue does not end until its feeder thread has written all of it to the
# pipe, and a pipe holds only so much (64 KiB on Linux): joining before the queue is drained would
# wait for ever.
from multiprocessing import Process, Queue


def produce(q):
    for i in range(2000):
        q.put('result %d %s' % (i, 'x' * 100))
    q.put(None)


if __name__ == '__main__':
    q = Queue()
    p = Process(target=produce, args=(q,))
    p.start()
    count = 0
    for item in iter(q.get, None):
        count += 1
    p.join()
    print 'received', count, 'results; exit code', p.exitcode
