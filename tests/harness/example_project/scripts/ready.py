# A port that lost `ready.set()` in a rewrite: its child waits for ever, and so does join().
from multiprocessing import Event, Process


def work(ready):
    ready.wait()
    print('child: started')


if __name__ == '__main__':
    ready = Event()
    child = Process(target=work, args=(ready,))
    child.start()
    child.join()
    print('parent: done')
