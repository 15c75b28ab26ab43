# A naive port: print() shows the dict as Python 3 orders it.
from multiprocessing import Pool


def square(n):
    return n, n * n


if __name__ == "__main__":
    with Pool(2) as pool:
        squares = dict(pool.map(square, [5, 3, 1, 4, 2]))
    print(squares)  # naive: insertion order {5: 25, 3: 9, ...}, 2.7 printed ascending keys
    print("keys:", list(squares))  # naive: [5, 3, 1, 4, 2], 2.7 printed [1, 2, 3, 4, 5]
