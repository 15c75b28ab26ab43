# Faithful means: the same lines as Python 2.7 printed. 2.7's dict order came from its hash
# table (small ints ascending, stable from run to run), so a reader could rely on it; Python
# 3.7+ (and CPython 3.6) print insertion order instead, here the order of the input. Sorting
# reproduces what 2.7 printed for these keys. (For str keys 2.7's order follows no rule one can
# write down; there the port must choose an order, and the output changes.)
from multiprocessing import Pool


def square(n):
    return n, n * n


if __name__ == "__main__":
    with Pool(2) as pool:
        squares = dict(pool.map(square, [5, 3, 1, 4, 2]))
    print(dict(sorted(squares.items())))
    print("keys:", sorted(squares))
