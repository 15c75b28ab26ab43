import sys
from multiprocessing import Pool


def check(n):
    return n, n % 2 == 0


if __name__ == "__main__":
    with Pool(2) as pool:
        results = pool.map(check, [2, 3, 4, 5])
    for n, even in results:
        if even:
            print("ok", n)
        else:
            print("warning: %d is odd" % n, file=sys.stderr)
    print("checked", len(results))
