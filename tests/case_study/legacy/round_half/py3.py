# Python 3's round() rounds halves to even and returns an int; Python 2 took them away from zero
# and returned a float. Decimal's ROUND_HALF_UP does the latter, on the float's exact value.
from decimal import ROUND_HALF_UP, Decimal
from multiprocessing import Pool


def round_py2(x):
    return float(Decimal(x).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def whole(price):
    return price, round_py2(price)


if __name__ == "__main__":
    with Pool(2) as pool:
        for price, rounded in pool.map(whole, [0.5, 1.5, 2.5, -0.5, 3.49]):
            print(f"{price} rounds to {rounded}")
