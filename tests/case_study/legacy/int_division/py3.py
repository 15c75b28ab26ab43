# `//` floors as Python 2's `/` did on ints.
from multiprocessing import Pool


def mean(xs):
    return sum(xs) // len(xs)


if __name__ == "__main__":
    chunks = [[1, 2], [3, 4, 6], [7]]
    with Pool(2) as pool:
        means = pool.map(mean, chunks)
    for chunk, m in zip(chunks, means):
        print(f"mean of {chunk} is {m}")
    print("half of the chunks:", len(chunks) // 2)
