# Written for this case study, not taken from the article. It illustrates the
# sentence after block 1: "如果没有指定target,默认执行process.run方法" (with no
# target, a Process runs its run() method): a subclass overrides run(), and a
# bare Process() runs the default run(), which does nothing.
from multiprocessing import Process
import os

class Worker(Process):
    def run(self):
        print(f"Worker {self.name}({os.getpid()}) is running.")

if __name__ == "__main__":
    print("Current process %s." % os.getpid())
    w = Worker()
    w.start()
    w.join()
    print("Worker exited with code %s." % w.exitcode)
    p = Process()
    p.start()
    p.join()
    print(f"Bare Process ({p.pid}) ran nothing and exited with code {p.exitcode}.")
