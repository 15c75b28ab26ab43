# A naive port: `/` kept as it was.
from multiprocessing import Pool


def mean(xs):
    return sum(xs) / len(xs)  # naive: true division, 1.5 where 2.7 printed 1


if __name__ == "__main__":
    chunks = [[1, 2], [3, 4, 6], [7]]
    with Pool(2) as pool:
        means = pool.map(mean, chunks)
    for chunk, m in zip(chunks, means):
        print(f"mean of {chunk} is {m}")
    print("half of the chunks:", len(chunks) / 2)  # naive: 1.5 where 2.7 printed 1
