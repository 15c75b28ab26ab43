# Writes the results to result.txt in the working directory with `print >>f, x,`: the trailing
# comma leaves a "soft space", written only if another item follows on that line.
import os
from multiprocessing import Pool


def cube(n):
    return n ** 3


if __name__ == '__main__':
    pool = Pool(2)
    cubes = pool.map(cube, [1, 2, 3])
    pool.close()
    pool.join()
    out = open('result.txt', 'w')
    for c in cubes:
        print >>out, c,
    print >>out
    out.close()
    print 'wrote', os.path.getsize('result.txt'), 'bytes'
