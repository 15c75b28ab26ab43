# The same line. Pickle rebuilds an exception by calling its class with its args, so every
# argument of __init__ goes to super().__init__() (or the class defines __reduce__): an exception
# that cannot be rebuilt kills the pool's result-handler thread in the parent, and map() waits
# for ever.
from multiprocessing import Pool


class PriceError(Exception):
    def __init__(self, item, price):
        super().__init__(item, price)
        self.item = item
        self.price = price

    def __str__(self):
        return f"negative price {self.price} for {self.item}"


def check(entry):
    item, price = entry
    if price < 0:
        raise PriceError(item, price)
    return price


if __name__ == "__main__":
    with Pool(2) as pool:
        try:
            total = sum(pool.map(check, [("apple", 3), ("pear", -2), ("plum", 4)]))
            print("total:", total)
        except PriceError as e:
            print("rejected:", e)
        pool.close()
        pool.join()
