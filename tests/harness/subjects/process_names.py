# Prints the default names multiprocessing gives a Process child and the two workers of a Pool,
# each as the process sees itself (current_process().name), workers in sorted order.
# Each task of the map waits until both have started, so each worker runs one: which worker
# runs which task does not change what is printed.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import multiprocessing

WORKERS = 2
# Long enough for a spawned worker to start on a loaded machine; a run never waits it out.
WAIT = 60


def name():
    return multiprocessing.current_process().name


def child(q):
    q.put(name())


def setup(lock, started, everyone):
    global _lock, _started, _everyone
    _lock, _started, _everyone = lock, started, everyone


def task(_):
    with _lock:
        _started.value += 1
        if _started.value == WORKERS:
            _everyone.set()
    _everyone.wait(WAIT)
    return name()


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=child, args=(q,))
    p.start()
    print("process " + q.get())
    p.join()
    lock, everyone = multiprocessing.Lock(), multiprocessing.Event()
    started = multiprocessing.Value("i", 0, lock=False)
    pool = multiprocessing.Pool(WORKERS, setup, (lock, started, everyone))
    names = pool.map(task, range(WORKERS), chunksize=1)
    pool.close()
    pool.join()
    for worker in sorted(names):
        print("pool worker " + worker)
