# join_timeout.py ported to Python 3, its child waiting 2 s on an Event (which the parent could
# set to end it early) instead of sleeping: the same lines in real time. `--fast` scales the
# original's sleep and not this wait, so there the two print different lines.
import multiprocessing


def child(stop):
    stop.wait(2)


if __name__ == "__main__":
    stop = multiprocessing.Event()
    p = multiprocessing.Process(target=child, args=(stop,))
    p.start()
    p.join(1)
    print(f"child alive after join(1): {p.is_alive()}")
    p.join()
    print(f"child exit code: {p.exitcode}")
