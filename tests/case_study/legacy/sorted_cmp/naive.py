# A naive port: cmp= replaced by the score as key, descending.
from multiprocessing import Pool


def score(name):
    return name, len(name) % 3


if __name__ == "__main__":
    with Pool(2) as pool:
        scores = pool.map(score, ["fred", "carol", "al", "eve", "dave", "bob"])
    # naive: ties keep the input order (carol before al), not the names' order
    for name, points in sorted(scores, key=lambda e: e[1], reverse=True):
        print(name, points)
