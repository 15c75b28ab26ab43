# The process example, valid Python 3, that tries a Python 2 snippet first and logs the
# SyntaxError it caught: a valid script, to be judged by its spec.
from multiprocessing import Process
import logging
import os


def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")


if __name__ == "__main__":
    try:
        compile("print 'legacy'", "<legacy>", "exec")
    except SyntaxError as e:
        logging.warning("skipped a legacy snippet: SyntaxError: %s", e.msg)
    print(f"Current process {os.getpid()}.")
    for i in range(5):
        p = Process(target=run_task, args=(str(i),))
        p.start()
        p.join()

    print("Waiting for subprocess done")
