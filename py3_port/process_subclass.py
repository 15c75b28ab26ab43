# Written for this case study, not taken from the article: a Process without
# target runs its run() method.
from multiprocessing import Process
import os


class Worker(Process):
    def run(self):
        print(f"Worker {self.name}({os.getpid()}) is running.")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    w = Worker()
    w.start()
    w.join()
    print(f"Worker exited with code {w.exitcode}.")
    p = Process()
    p.start()
    p.join()
    print(f"Bare Process ({p.pid}) ran nothing and exited with code {p.exitcode}.")
