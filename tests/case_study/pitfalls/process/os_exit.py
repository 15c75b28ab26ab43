# WRONG with stdout on a pipe or a file: the child ends with os._exit(), which skips the flush
# that a returning target gets, so its block-buffered line is lost. In a terminal the line was
# already written (line buffering), so nothing shows.
from multiprocessing import Process
import os


def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")
    os._exit(0)


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    for i in range(5):
        p = Process(target=run_task, args=(str(i),))
        p.start()
        p.join()

    print("Waiting for subprocess done")
