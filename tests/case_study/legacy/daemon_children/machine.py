# Tasks that start processes of their own. A Pool's workers are daemonic, and a daemonic process
# may not have children (its start() raises AssertionError): the workaround copied widely for 2.7
# is a Pool whose Process class says it is never daemonic.
import sys
import multiprocessing
import multiprocessing.pool


class NoDaemonProcess(multiprocessing.Process):
    def _get_daemon(self):
        return False

    def _set_daemon(self, value):
        pass

    daemon = property(_get_daemon, _set_daemon)


class NestablePool(multiprocessing.pool.Pool):
    Process = NoDaemonProcess


def child(n):
    sys.exit(n * n)


def task(n):
    p = multiprocessing.Process(target=child, args=(n,))
    p.start()
    p.join()
    return p.exitcode


if __name__ == '__main__':
    pool = NestablePool(2)
    print('exit codes of the tasks\' children:', pool.map(task, [1, 2, 3]))
    pool.close()
    pool.join()
