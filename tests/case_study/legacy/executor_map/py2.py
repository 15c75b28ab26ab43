# Each worker writes a report file; Pool.map is called for that alone, its results unused. 'x'
# fails: map waits for every task, then re-raises its ValueError, uncaught: exit status 1, and
# the reports of 1, 2 and 4 are written.
from multiprocessing import Pool


def save(text):
    value = int(text)
    with open('report-%s.txt' % text, 'w') as f:
        f.write('%d\n' % (value * value))


if __name__ == '__main__':
    pool = Pool(2)
    print 'saving 4 reports'
    pool.map(save, ['1', '2', '4', 'x'])
    pool.close()
    pool.join()
    print 'saved'
