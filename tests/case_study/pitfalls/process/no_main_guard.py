# WRONG under spawn and forkserver: no `if __name__ == "__main__":` guard. Those start methods
# import the main script again in each child, which then runs the top-level code again and
# tries to start processes of its own before it has finished starting (RuntimeError).
from multiprocessing import Process
import os


def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")


print(f"Current process {os.getpid()}.")
for i in range(5):
    p = Process(target=run_task, args=(str(i),))
    p.start()
    p.join()

print("Waiting for subprocess done")
