# Numbers parsed with map() into a shared Array that a child doubles, then squared by a Pool.
# On Python 2 map() returns a list, which Array() measures with len().
from multiprocessing import Array, Pool, Process


def double(numbers):
    for i in range(len(numbers)):
        numbers[i] *= 2


def square(x):
    return x * x


if __name__ == '__main__':
    fields = '3 1 4 1 5'.split()
    numbers = Array('i', list(map(int, fields)))
    p = Process(target=double, args=(numbers,))
    p.start()
    p.join()
    print('doubled:', numbers[:])
    pool = Pool(2)
    squares = pool.map(square, numbers[:])
    pool.close()
    pool.join()
    print(f'squares: {squares} (a {type(squares).__name__})')
