# A task rejects a negative price with an exception of the program's own. The worker pickles the
# exception to send it to the parent, and pickle rebuilds an exception by calling its class with
# its args: what __init__ passed to Exception.__init__, here (item, price).
from multiprocessing import Pool


class PriceError(Exception):
    def __init__(self, item, price):
        Exception.__init__(self, item, price)
        self.item = item
        self.price = price

    def __str__(self):
        return 'negative price %d for %s' % (self.price, self.item)


def check(entry):
    item, price = entry
    if price < 0:
        raise PriceError(item, price)
    return price


if __name__ == '__main__':
    pool = Pool(2)
    try:
        total = sum(pool.map(check, [('apple', 3), ('pear', -2), ('plum', 4)]))
        print('total:', total)
    except PriceError as e:
        print('rejected:', e)
    pool.close()
    pool.join()
