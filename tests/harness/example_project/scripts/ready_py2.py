# The team's original: a child waits until the parent says it is ready, then reports.
from multiprocessing import Event, Process


def work(ready):
    ready.wait()
    print 'child: started'


if __name__ == '__main__':
    ready = Event()
    child = Process(target=work, args=(ready,))
    child.start()
    ready.set()
    child.join()
    print 'parent: done'
