from multiprocessing import Process
import os


def run_task(name):
    print(f"Child process {name}({os.getpid()}) is running.")


if __name__ == "__main__":
    print(f"Current process {os.getpid()}.")
    for i in range(5):
        p = Process(target=run_task, args=(str(i),))
        p.start()
        p.join()

    print("Waiting for subprocess done")
