# Four processes fill a Manager dict, one key each, at the same time. The parent made the keys
# first (placeholders), so their order in the dict does not depend on which worker ends first.
from multiprocessing import Manager, Process


def fill(d, key):
    d[key] = key * key


if __name__ == '__main__':
    manager = Manager()
    d = manager.dict()
    for key in [3, 1, 0, 2]:
        d[key] = None
    workers = [Process(target=fill, args=(d, key)) for key in [3, 1, 0, 2]]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    print d
    print 'keys:', d.keys()
    manager.shutdown()
