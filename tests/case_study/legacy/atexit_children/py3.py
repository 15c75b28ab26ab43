# The same lines under fork, spawn and forkserver: the handler is registered under the main guard,
# which runs in the main process only. At module level it would be registered again in every spawn
# child, and in every forkserver child, which import the main module afresh; a spawn child, and
# from 3.13 a forkserver child, runs its handlers when it ends.
import atexit
from multiprocessing import Process, current_process


def clean_up():
    print("cleaning up in", current_process().name)


def work():
    print("working in", current_process().name)


if __name__ == "__main__":
    atexit.register(clean_up)
    p = Process(target=work, name="worker")
    p.start()
    p.join()
    print("worker exit code", p.exitcode)
