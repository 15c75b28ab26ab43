# The naive port: map() is lazy on Python 3, and a map() whose result is never read calls
# nothing: the token is never printed.
import random
import string
from multiprocessing import Pool


def token(_):
    return ''.join(random.choice(string.ascii_letters) for _ in range(20))


def show(text):
    print(text)


if __name__ == '__main__':
    pool = Pool(2)
    tokens = pool.map(token, range(random.randint(1, 2)))
    pool.close()
    pool.join()
    map(show, tokens)
