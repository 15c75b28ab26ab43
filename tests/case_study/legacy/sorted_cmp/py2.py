# Scores computed by a Pool, ranked with a cmp function: best score first, ties by name.
from multiprocessing import Pool


def score(name):
    return name, len(name) % 3


def by_rank(a, b):
    return cmp(b[1], a[1]) or cmp(a[0], b[0])


if __name__ == '__main__':
    pool = Pool(2)
    scores = pool.map(score, ['fred', 'carol', 'al', 'eve', 'dave', 'bob'])
    pool.close()
    pool.join()
    for name, points in sorted(scores, cmp=by_rank):
        print name, points
