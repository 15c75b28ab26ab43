# A naive port: the copy_reg workaround dropped (rightly), keys() passed as it was.
from multiprocessing import Pool, Process, Queue


class Scaler:
    def __init__(self, factor):
        self.factor = factor

    def scale(self, x):
        return x * self.factor


def count(names, q):
    q.put(len(names))


if __name__ == "__main__":
    with Pool(2) as pool:
        print("scaled:", pool.map(Scaler(3).scale, [1, 2, 3]))
    stock = {"apples": 3, "pears": 0, "plums": 7}
    q = Queue()
    p = Process(target=count, args=(stock.keys(), q))  # naive: a keys view does not pickle
    p.start()
    print("child counted %d names" % q.get())
    p.join()
