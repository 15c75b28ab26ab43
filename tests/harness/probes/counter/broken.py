# A port whose counter loses no update: 4,000,000, a total no run of the original came near.
from multiprocessing import Process, Value


def count(total):
    total.value = 4000000


if __name__ == '__main__':
    total = Value('i', 0)
    p = Process(target=count, args=(total,))
    p.start()
    p.join()
    print('counted to %d' % total.value)
