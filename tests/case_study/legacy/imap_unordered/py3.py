# The order of the "squared" lines varies from run to run on both sides (completion order), so
# it is noise, not something the port must keep; the lines themselves and the summary do not
# vary.
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
    print("mean square:", total // 6)
