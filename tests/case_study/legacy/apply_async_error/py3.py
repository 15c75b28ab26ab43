# The same lines and exit status 0. error_callback (3.2+) hands each failure to the parent as the
# task fails; get() still re-raises it (on 3.4+ chained to a RemoteTraceback, which str() does not
# show). Python 3 unbinds the name of an `except ... as` at the end of the block, so the last
# error is kept by the callback, not by that name. The task never fetched still says nothing.
from multiprocessing import Pool


def parse(text):
    return int(text)


if __name__ == "__main__":
    errors = []
    texts = ["1", "x", "3"]
    with Pool(2) as pool:
        pool.apply_async(parse, ("never fetched",))
        results = [pool.apply_async(parse, (t,), error_callback=errors.append) for t in texts]
        pool.close()
        pool.join()
    for text, result in zip(texts, results):
        try:
            print(f"parsed {text}: {result.get()}")
        except ValueError:
            print(f"could not parse {text}")
    if errors:
        print("last error:", errors[-1])
