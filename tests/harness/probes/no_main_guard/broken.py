# A Pool made at module level, with no main guard: Python 2 on Linux only forks, so its
# workers never run this file again. Under spawn and forkserver each worker imports this file,
# makes a Pool of its own before it has finished starting and dies of RuntimeError; the pool
# starts another in its place, and map() waits for ever.
from multiprocessing import Pool


def square(x):
    return x * x


pool = Pool(2)
print(pool.map(square, range(5)))
pool.close()
pool.join()
