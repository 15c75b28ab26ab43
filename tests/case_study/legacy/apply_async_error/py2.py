# Tasks sent with apply_async; 'x' cannot be parsed. A failed task keeps its exception in its
# AsyncResult: one never fetched says nothing, in the worker or the parent. get() re-raises it in
# the parent, where the loop catches it. Python 2 leaves the name of an `except ... as` bound.
from multiprocessing import Pool


def parse(text):
    return int(text)


if __name__ == '__main__':
    pool = Pool(2)
    pool.apply_async(parse, ('never fetched',))
    texts = ['1', 'x', '3']
    results = [pool.apply_async(parse, (t,)) for t in texts]
    pool.close()
    pool.join()
    error = None
    for text, result in zip(texts, results):
        try:
            print 'parsed %s: %s' % (text, result.get())
        except ValueError as error:
            print 'could not parse %s' % text
    if error is not None:
        print 'last error:', error
