# WRONG under spawn and forkserver (the default from Python 3.14 on Linux): a lambda as the
# target. fork copies the parent and never pickles the target; spawn and forkserver must pickle
# it to send it to the child, and a lambda cannot be pickled.
from multiprocessing import Process
import os


def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    for i in range(5):
        p = Process(target=lambda name=str(i): run_task(name))
        p.start()
        p.join()

    print("Waiting for subprocess done")
