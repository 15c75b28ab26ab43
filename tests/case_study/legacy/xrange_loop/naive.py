# A naive port: xrange() renamed, range() left as it was.
from multiprocessing import Pool


def total(start):
    s = 0
    for i in range(start, start + 5):
        s += i
    return s


if __name__ == "__main__":
    starts = range(0, 20, 5)  # naive: prints range(0, 20, 5), not the list
    print("starts:", starts)
    with Pool(2) as pool:
        print("totals:", pool.map(total, starts))
