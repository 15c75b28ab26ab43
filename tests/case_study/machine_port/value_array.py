# Written for this case study, not taken from the article. It illustrates
# "Value+Array" in section 3: shared memory that several processes update,
# guarded by the lock each shared object carries, so the result is exact.
from multiprocessing import Process, Value, Array
import os

def add(name, counter, numbers):
    for i in range(1000):
        with counter.get_lock():
            counter.value += 1
    with numbers.get_lock():
        for i in range(len(numbers)):
            numbers[i] += 1
    print(f"Child process {name}({os.getpid()}) done.")

if __name__ == '__main__':
    print("Current process %s." % os.getpid())
    counter = Value('i', 0)
    numbers = Array('i', list(range(5)))
    processes = [Process(target=add, args=(str(i), counter, numbers)) for i in range(4)]
    for p in processes:
        p.start()
    for p in processes:
        p.join()
    print("Counter: %s" % counter.value)
    print("Numbers: %s" % numbers[:])
