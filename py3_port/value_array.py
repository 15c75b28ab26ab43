# Written for this case study, not taken from the article: Value and Array
# updated by several processes under their own locks.
from multiprocessing import Process, Value, Array
import os


def add(name, counter, numbers):
    for _ in range(1000):
        with counter.get_lock():
            counter.value += 1
    with numbers.get_lock():
        for i in range(len(numbers)):
            numbers[i] += 1
    print(f"Child process {name}({os.getpid()}) done.")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    counter = Value("i", 0)
    numbers = Array("i", range(5))
    processes = [Process(target=add, args=(str(i), counter, numbers)) for i in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print(f"Counter: {counter.value}")
    print(f"Numbers: {numbers[:]}")
