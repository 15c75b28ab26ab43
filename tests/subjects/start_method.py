# Prints the start method and module name seen by the parent and by a child (Python 2 and 3).
from __future__ import print_function

import multiprocessing


def method():
    return getattr(multiprocessing, "get_start_method", lambda: "fork")()


def child(q):
    q.put((method(), __name__))


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=child, args=(q,))
    p.start()
    print("parent", method())
    print("child %s %s" % q.get())
    p.join()
