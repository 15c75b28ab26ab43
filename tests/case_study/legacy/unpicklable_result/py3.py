# The same lines. A task's result is pickled to reach the parent, and a dict's keys() is a view on
# 3, which does not pickle: the task returns a list.
from multiprocessing import Pool


def distinct_letters(word):
    seen = {}
    for letter in word:
        seen[letter] = True
    return list(seen)


if __name__ == "__main__":
    words = ["banana", "kiwi"]
    with Pool(1) as pool:
        results = pool.map(distinct_letters, words)
        pool.close()
        pool.join()
    for word, letters in zip(words, results):
        print(word, "".join(sorted(letters)))
