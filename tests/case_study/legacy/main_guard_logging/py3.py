# The same lines under fork, spawn and forkserver: the workers configure logging in the pool's
# initializer (spawn and forkserver import the main module afresh, as __mp_main__, so the main
# guard's basicConfig() never runs there). Under fork the workers inherit the parent's handler,
# and basicConfig() does nothing when the root logger has one.
import logging
from multiprocessing import Pool

log = logging.getLogger("prices")


def configure_logging():
    logging.basicConfig(format="%(levelname)s %(name)s: %(message)s")


def checked(price):
    if price < 0:
        log.warning("negative price %d counted as 0", price)
        return 0
    return price


if __name__ == "__main__":
    configure_logging()
    with Pool(2, initializer=configure_logging) as pool:
        print("total:", sum(pool.map(checked, [3, -2, 5])))
