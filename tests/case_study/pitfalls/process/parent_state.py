# WRONG under spawn and forkserver: module state set by the parent and read by the child.
# A forked child has a copy of the parent's memory; a spawned child imports the module afresh
# and sees the value the module itself sets (None).
from multiprocessing import Process
import os

LINE = None


def run_task(name):
    print(LINE.format(name=name, pid=os.getpid()))


if __name__ == "__main__":
    LINE = "Child process {name}({pid}) is running."
    print(f"Current process {os.getpid()}.")
    for i in range(5):
        p = Process(target=run_task, args=(str(i),))
        p.start()
        p.join()

    print("Waiting for subprocess done")
