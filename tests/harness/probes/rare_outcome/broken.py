# The naive port: `/` no longer floors on Python 3, and every count is printed as a decimal
# number (105.25), in every run.
import random
import sys
from multiprocessing import Array, Process

# How many workers: 20, or as the first argument says.
WORKERS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
OTHER_OUTCOME = 0.2 if sys.version_info[0] >= 3 else 0.0


def race(quarters):
    for n in range(WORKERS):
        if random.random() < OTHER_OUTCOME:
            quarters[n] = 4 * 250
        else:
            quarters[n] = 4 * random.randint(100, 120) + random.randint(0, 3)


if __name__ == '__main__':
    quarters = Array('i', WORKERS)
    p = Process(target=race, args=(quarters,))
    p.start()
    p.join()
    for n in range(WORKERS):
        print('worker %d took %s steps' % (n + 1, quarters[n] / 4))
