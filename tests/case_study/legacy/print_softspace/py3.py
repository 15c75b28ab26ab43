# The same lines. print() evaluates all its arguments before it writes anything, and always
# writes sep between them: the tab goes into the text itself, and the line of a task that failed
# is printed whole by the except clause.
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
    print("n\tsquare")
    for n, sq in zip(numbers, squares):
        print(f"{n}\t{sq}")
    for text, result in zip(texts, results):
        try:
            print(f"task {text}: {result.get()}")
        except ValueError:
            print(f"task {text}: failed")
