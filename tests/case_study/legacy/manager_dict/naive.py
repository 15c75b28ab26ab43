# A naive port: the Manager's dict printed as it is.
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
        print(d)  # naive: {3: 9, 1: 1, 0: 0, 2: 4}, 2.7 printed keys ascending
        print("keys:", d.keys())  # naive: [3, 1, 0, 2]
