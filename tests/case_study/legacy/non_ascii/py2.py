# -*- coding: utf-8 -*-
# Names with accents, described by a Pool. On Python 2 these are byte strings (UTF-8, from the
# coding line): len() counts bytes and upper() changes only ASCII letters.
from multiprocessing import Pool


def describe(name):
    return '%s: %d bytes, upper %s' % (name, len(name), name.upper())


if __name__ == '__main__':
    pool = Pool(2)
    for line in pool.map(describe, ['café', 'naïve', 'zoë']):
        print line
    pool.close()
    pool.join()
    print 'done ✓'
