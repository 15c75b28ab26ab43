# A naive port: spawn chosen for every platform (fork is unsafe with threads, and no longer the
# default everywhere), the global kept.
import multiprocessing

SCALE = None


def scaled(n):
    return n * SCALE


if __name__ == "__main__":
    multiprocessing.set_start_method("spawn")  # naive: the workers import SCALE = None afresh
    SCALE = 10
    with multiprocessing.Pool(2) as pool:
        print("scaled:", pool.map(scaled, [1, 2, 3]))
