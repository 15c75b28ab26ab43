# The workers put what they find on a Queue that the parent makes before it starts the pool: fork
# copies it into each worker as a module global. (Python 2.7 on Unix has no other way to start a
# process.)
from multiprocessing import Pool, Queue

found = None


def search(n):
    if n % 3 == 0:
        found.put(n)


if __name__ == '__main__':
    found = Queue()
    pool = Pool(2)
    pool.map(search, range(10))
    pool.close()
    pool.join()
    print 'found:', sorted(found.get() for _ in range(4))
