# The same line under fork, spawn and forkserver: the workers get the value from the pool's
# initializer, not from a copy of the parent's memory (spawn and forkserver import the main
# module afresh, as __mp_main__, where SCALE is None). get_context() with no argument is the
# default context, and it fixes the default start method: a later set_start_method() without
# force=True raises. Code that must choose a method takes get_context("spawn") instead.
import multiprocessing

SCALE = None


def set_scale(scale):
    global SCALE
    SCALE = scale


def scaled(n):
    return n * SCALE


if __name__ == "__main__":
    context = multiprocessing.get_context()
    with context.Pool(2, initializer=set_scale, initargs=(10,)) as pool:
        print("scaled:", pool.map(scaled, [1, 2, 3]))
