# A naive port: round() kept.
from multiprocessing import Pool


def whole(price):
    return price, round(price)  # naive: 0.5 rounds to 0, 2.5 to 2, and ints: 2.7 said 1.0, 3.0


if __name__ == "__main__":
    with Pool(2) as pool:
        for price, rounded in pool.map(whole, [0.5, 1.5, 2.5, -0.5, 3.49]):
            print(f"{price} rounds to {rounded}")
