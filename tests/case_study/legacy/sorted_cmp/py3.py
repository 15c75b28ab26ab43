# sorted() has no cmp= on Python 3 (and cmp() is gone): the same ranking as a key.
from multiprocessing import Pool


def score(name):
    return name, len(name) % 3


def rank(entry):
    name, points = entry
    return -points, name


if __name__ == "__main__":
    with Pool(2) as pool:
        scores = pool.map(score, ["fred", "carol", "al", "eve", "dave", "bob"])
    for name, points in sorted(scores, key=rank):
        print(name, points)
