# A naive port: the print statements converted, the `except ... as` name relied on after its block.
from multiprocessing import Pool


def parse(text):
    return int(text)


if __name__ == "__main__":
    with Pool(2) as pool:
        pool.apply_async(parse, ("never fetched",))
        texts = ["1", "x", "3"]
        results = [pool.apply_async(parse, (t,)) for t in texts]
        pool.close()
        pool.join()
    error = None
    for text, result in zip(texts, results):
        try:
            print(f"parsed {text}: {result.get()}")
        except ValueError as error:  # noqa: F841, ruff knows it: unbound after the block
            print(f"could not parse {text}")
    if error is not None:  # naive: Python 3 deleted `error` at the end of the except block
        print("last error:", error)
