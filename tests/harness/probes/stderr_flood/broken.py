# A port that prints the report with print(): its arguments are separated by a space, where
# the original wrote a colon.
import sys
from multiprocessing import Pool, current_process

ATTEMPTS = 3600


def attempt(n):
    for _ in range(n):
        print(current_process().name, 'no reply, retrying', file=sys.stderr)
    return n


if __name__ == '__main__':
    pool = Pool(1)
    print('attempts:', pool.apply(attempt, (ATTEMPTS,)))
    pool.close()
    pool.join()
