# As in dict_order: 2.7 showed the Manager's dict in hash order (ascending small ints), 3.x in
# insertion order (the placeholders' order); sorting gives the lines 2.7 printed.
from multiprocessing import Manager, Process


def fill(d, key):
    d[key] = key * key


if __name__ == "__main__":
    with Manager() as manager:
        d = manager.dict()
        for key in [3, 1, 0, 2]:
            d[key] = None
        workers = [Process(target=fill, args=(d, key)) for key in [3, 1, 0, 2]]
        for w in workers:
            w.start()
        for w in workers:
            w.join()
        print(dict(sorted(d.items())))
        print("keys:", sorted(d.keys()))
