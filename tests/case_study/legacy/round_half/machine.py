# Prices rounded by a Pool. Python 2's round() takes halves away from zero and returns a float.
from multiprocessing import Pool


def whole(price):
    return price, round(price)


if __name__ == '__main__':
    pool = Pool(2)
    for price, rounded in pool.map(whole, [0.5, 1.5, 2.5, -0.5, 3.49]):
        print(f'{price} rounds to {rounded}')
    pool.close()
    pool.join()
