# Each task returns the keys of a dict it built: on Python 2 a list, which the worker pickles to
# send back to the parent.
from multiprocessing import Pool


def distinct_letters(word):
    seen = {}
    for letter in word:
        seen[letter] = True
    return list(seen.keys())


if __name__ == '__main__':
    words = ['banana', 'kiwi']
    pool = Pool(1)
    results = pool.map(distinct_letters, words)
    pool.close()
    pool.join()
    for word, letters in zip(words, results):
        print(word, ''.join(sorted(letters)))
