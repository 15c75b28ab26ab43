# Prints the start method and module name seen by the parent and by a child.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import multiprocessing


def method():
    return getattr(multiprocessing, "get_start_method", lambda: "fork")()


def child(q):
    q.put(" ".join([method(), __name__]))


if __name__ == "__main__":
    q = multiprocessing.Queue()
    p = multiprocessing.Process(target=child, args=(q,))
    p.start()
    print("parent " + method())
    print("child " + q.get())
    p.join()
