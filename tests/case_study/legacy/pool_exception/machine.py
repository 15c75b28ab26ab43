# A worker raises; Pool.map re-raises it in the parent, uncaught: a traceback on stderr and exit
# status 1. Pool.map returns nothing until every task is done, so no result is printed.
from multiprocessing import Pool


def parse(text):
    return int(text)


if __name__ == '__main__':
    pool = Pool(2)
    print('parsing 4 items')
    for value in pool.map(parse, ['1', '2', 'x', '4']):
        print('parsed', value)
    pool.close()
    pool.join()
