# A naive port: the print statements converted, the handler still registered at module level.
import atexit
from multiprocessing import Process, current_process


def clean_up():
    print("cleaning up in", current_process().name)


atexit.register(clean_up)  # naive: registered, and run, in every spawn child too


def work():
    print("working in", current_process().name)


if __name__ == "__main__":
    p = Process(target=work, name="worker")
    p.start()
    p.join()
    print("worker exit code", p.exitcode)
