# Prints one line as soon as its child has ended, and nothing before.
from multiprocessing import Process
import time


def work():
    time.sleep(0.3)


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
    print("after the child")
