# Array() takes a size or a sequence: map() is an iterator on Python 3, so make the list.
# Pool.map still returns a list.
from multiprocessing import Array, Pool, Process


def double(numbers):
    for i in range(len(numbers)):
        numbers[i] *= 2


def square(x):
    return x * x


if __name__ == "__main__":
    fields = "3 1 4 1 5".split()
    numbers = Array("i", [int(f) for f in fields])
    p = Process(target=double, args=(numbers,))
    p.start()
    p.join()
    print("doubled:", numbers[:])
    with Pool(2) as pool:
        squares = pool.map(square, numbers[:])
    print(f"squares: {squares} (a {type(squares).__name__})")
