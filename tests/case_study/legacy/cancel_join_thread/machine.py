# A child sends its results on a Queue and ends; the parent reads until the queue stays empty for
# a second (a wait with a timeout, so that Ctrl-C works on 2.7), then joins the child. A process
# that has put data on a Queue ends only once its feeder thread has written all of it to the pipe.
import queue
from multiprocessing import Process, Queue as ProcessQueue


def produce(q):
    for i in range(2000):
        q.put('result %d %s' % (i, 'x' * 100))


if __name__ == '__main__':
    q = ProcessQueue()
    p = Process(target=produce, args=(q,))
    p.start()
    count = 0
    while True:
        try:
            q.get(timeout=1)
        except queue.Empty:
            break
        count += 1
    p.join()
    print('results lost:', 'none' if count == 2000 else 'some')
