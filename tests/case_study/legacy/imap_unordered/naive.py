# A naive port: `/` kept in the summary (the squared lines vary anyway).
import random
import time
from multiprocessing import Pool


def slow_square(n):
    time.sleep(random.random() * 0.5)
    return n, n * n


if __name__ == "__main__":
    random.seed()
    total = 0
    with Pool(3) as pool:
        for n, sq in pool.imap_unordered(slow_square, range(6)):
            print("%d squared is %d" % (n, sq))
            total += sq
    print("mean square:", total / 6)  # naive: 9.166666666666666 where 2.7 printed 9
