# The mean of each chunk, computed by a Pool. `/` on two ints floors on Python 2.
from multiprocessing import Pool


def mean(xs):
    return sum(xs) / len(xs)


if __name__ == '__main__':
    chunks = [[1, 2], [3, 4, 6], [7]]
    pool = Pool(2)
    means = pool.map(mean, chunks)
    pool.close()
    pool.join()
    for chunk, m in zip(chunks, means):
        print 'mean of %s is %s' % (chunk, m)
    print 'half of the chunks:', len(chunks) / 2
