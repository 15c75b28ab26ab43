# A naive port: the print statement converted, the task's return left as it was.
from multiprocessing import Pool


def distinct_letters(word):
    seen = {}
    for letter in word:
        seen[letter] = True
    return seen.keys()  # naive: a view, which the worker cannot pickle: MaybeEncodingError


if __name__ == "__main__":
    words = ["banana", "kiwi"]
    with Pool(1) as pool:
        results = pool.map(distinct_letters, words)
        pool.close()
        pool.join()
    for word, letters in zip(words, results):
        print(word, "".join(sorted(letters)))
