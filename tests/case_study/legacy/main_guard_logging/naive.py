# A naive port: the print statement converted, logging still configured under the main guard.
import logging
from multiprocessing import Pool

log = logging.getLogger("prices")


def checked(price):
    if price < 0:
        log.warning("negative price %d counted as 0", price)
        return 0
    return price


if __name__ == "__main__":
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")  # naive: only fork copies it
    with Pool(2) as pool:
        print("total:", sum(pool.map(checked, [3, -2, 5])))
