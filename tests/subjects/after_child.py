# Prints one line 0.3 s after its child has ended, and nothing before: time enough for portcheck
# to hear the ring of the child's end and find the output empty.
from multiprocessing import Process
import time


def work():
    time.sleep(0.3)


if __name__ == "__main__":
    p = Process(target=work)
    p.start()
    p.join()
    time.sleep(0.3)
    print("after the child")
