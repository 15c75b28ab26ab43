# The print statement writes each item as it is evaluated, with a soft space between items. An
# item that ends in whitespace other than a space (here a tab) leaves no soft space, so no space
# follows it. When get() raises in the middle of a print, the items before it are already
# written, and the next print continues that line.
from multiprocessing import Pool


def square(n):
    return n * n


def parse(text):
    return int(text)


if __name__ == '__main__':
    pool = Pool(2)
    numbers = [1, 2, 3]
    squares = pool.map(square, numbers)
    texts = ['1', 'x']
    results = [pool.apply_async(parse, (t,)) for t in texts]
    pool.close()
    pool.join()
    print('n\t', 'square')
    for n, sq in zip(numbers, squares):
        print('%d\t' % n, sq)
    for text, result in zip(texts, results):
        try:
            print('task', text + ':', result.get())
        except ValueError:
            print('failed')
