# Whether the forkserver has imported `random` (so that its children are reseeded as fork
# children are): this script imports nothing that imports it.
import sys

import multiprocessing


def has_random(_):
    return "random" in sys.modules


if __name__ == "__main__":
    print("parent has random:", "random" in sys.modules)
    pool = multiprocessing.get_context("forkserver").Pool(1)
    print("forkserver child has random:", pool.apply(has_random, (0,)))
    pool.close()
    pool.join()
