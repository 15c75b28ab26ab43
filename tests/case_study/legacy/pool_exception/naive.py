# A naive port: imap() instead of map(), for Python 3's lazy style.
from multiprocessing import Pool


def parse(text):
    return int(text)


if __name__ == "__main__":
    with Pool(2) as pool:
        print("parsing 4 items")
        for value in pool.imap(parse,  # naive: yields 1 and 2 before it raises
                               ["1", "2", "x", "4"]):
            print("parsed", value)
