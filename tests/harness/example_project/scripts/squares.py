# Its faithful port: the same sum, printed the same way.
from multiprocessing import Pool


def square(n):
    return n * n


if __name__ == '__main__':
    with Pool(2) as pool:
        squares = pool.map(square, range(10))
    print(f'sum of squares: {sum(squares)}')
