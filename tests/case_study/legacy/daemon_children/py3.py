# The same line. From 3.8 a Pool makes its workers with Process(ctx, ...), a static method, so a
# class put in its place receives the context as its first argument; a context whose Process is
# the non-daemonic class works on 3.6 ... 3.13 (the pool calls ctx.Process on each).
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


class NoDaemonContext(type(multiprocessing.get_context())):
    Process = NoDaemonProcess


class NestablePool(multiprocessing.pool.Pool):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, context=NoDaemonContext(), **kwargs)


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
