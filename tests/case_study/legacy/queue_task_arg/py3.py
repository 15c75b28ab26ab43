# The same line under fork, spawn and forkserver: the Queue reaches each worker through the pool's
# initializer, which runs when the worker starts (spawn and forkserver import the main module
# afresh, as __mp_main__, where found is None). A Queue cannot be a task's argument: it may be
# pickled only while a process is being started.
from multiprocessing import Pool, Queue

found = None


def set_queue(queue):
    global found
    found = queue


def search(n):
    if n % 3 == 0:
        found.put(n)


if __name__ == "__main__":
    queue = Queue()
    with Pool(2, initializer=set_queue, initargs=(queue,)) as pool:
        pool.map(search, range(10))
        pool.close()
        pool.join()
    print("found:", sorted(queue.get() for _ in range(4)))
