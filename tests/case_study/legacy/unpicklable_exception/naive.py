# A naive port, tidied: the message given to super().__init__(), as Python 3 code often writes it,
# in place of __str__.
from multiprocessing import Pool


class PriceError(Exception):
    def __init__(self, item, price):
        # naive: args is now the message alone, so the parent cannot rebuild the exception
        super().__init__(f"negative price {price} for {item}")
        self.item = item
        self.price = price


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
