# A naive port: the print statement converted, the 2.7 workaround kept.
import sys
import multiprocessing
import multiprocessing.pool


class NoDaemonProcess(multiprocessing.Process):
    @property
    def daemon(self):
        return False

    @daemon.setter
    def daemon(self, value):
        pass


class NestablePool(multiprocessing.pool.Pool):
    Process = NoDaemonProcess  # naive: 3.8+ calls Process(ctx, ...): AssertionError


def child(n):
    sys.exit(n * n)


def task(n):
    p = multiprocessing.Process(target=child, args=(n,))
    p.start()
    p.join()
    return p.exitcode


if __name__ == "__main__":
    with NestablePool(2) as pool:
        print("exit codes of the tasks' children:", pool.map(task, [1, 2, 3]))
        pool.close()
        pool.join()
