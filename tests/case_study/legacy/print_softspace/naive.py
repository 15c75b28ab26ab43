# A naive port: each print statement made a print() call with the same items.
from multiprocessing import Pool


def square(n):
    return n * n


def parse(text):
    return int(text)


if __name__ == "__main__":
    numbers = [1, 2, 3]
    texts = ["1", "x"]
    with Pool(2) as pool:
        squares = pool.map(square, numbers)
        results = [pool.apply_async(parse, (t,)) for t in texts]
        pool.close()
        pool.join()
    print("n\t", "square")
    for n, sq in zip(numbers, squares):
        print("%d\t" % n, sq)  # naive: print() writes sep after the tab
    for text, result in zip(texts, results):
        try:
            print("task", text + ":", result.get())  # naive: nothing is written if get() raises
        except ValueError:
            print("failed")
