# range() is Python 2's xrange(); list() where the list itself is shown.
from multiprocessing import Pool


def total(start):
    s = 0
    for i in range(start, start + 5):
        s += i
    return s


if __name__ == "__main__":
    starts = list(range(0, 20, 5))
    print("starts:", starts)
    with Pool(2) as pool:
        print("totals:", pool.map(total, starts))
