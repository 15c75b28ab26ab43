# A total that varies from run to run between 1,000,000 and 1,200,000, as a counter shared
# without a lock loses updates (drawn at random here, so that the span is known), set by a
# child in a shared Value and printed by the parent.
import random
from multiprocessing import Process, Value


def count(total):
    total.value = 1000000 + random.randint(0, 200000)


if __name__ == '__main__':
    total = Value('i', 0)
    p = Process(target=count, args=(total,))
    p.start()
    p.join()
    print('counted to %d' % total.value)
