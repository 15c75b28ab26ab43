# The same to an observer: "parsing 4 items", then a traceback ending in the same exception type
# and message, exit status 1. Its shape differs: Python 3 chains the worker's traceback
# (multiprocessing.pool.RemoteTraceback) as the cause. No result line comes before it: map()
# still returns only when every task is done.
from multiprocessing import Pool


def parse(text):
    return int(text)


if __name__ == "__main__":
    with Pool(2) as pool:
        print("parsing 4 items")
        for value in pool.map(parse, ["1", "2", "x", "4"]):
            print("parsed", value)
