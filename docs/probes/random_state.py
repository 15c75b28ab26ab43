# Three children each draw from random.random() and from a random.Random() made at module level:
# which draws repeat, per start method.
from __future__ import print_function

import random

import multiprocessing

OWN = random.Random()


def draw(_):
    return random.random(), OWN.random()


def verdict(values):
    return "differ" if len(set(values)) == len(values) else "repeat"


if __name__ == "__main__":
    methods = (multiprocessing.get_all_start_methods()
               if hasattr(multiprocessing, "get_all_start_methods") else ["fork"])
    for method in methods:
        # 2.7 has no contexts: fork is its only start method.
        context = (multiprocessing.get_context(method)
                   if hasattr(multiprocessing, "get_context") else multiprocessing)
        draws = []
        for _ in range(3):
            pool = context.Pool(1)
            draws.append(pool.apply(draw, (0,)))
            pool.close()
            pool.join()
        print("%s: draws of random.random() %s, of a module-level Random() %s"
              % (method, verdict([d[0] for d in draws]), verdict([d[1] for d in draws])))
