# A cleanup handler registered with atexit at module level, when the script starts: it runs when
# the main program ends. A forked child shares the registration but leaves by os._exit(), which
# runs no handler. (Python 2.7 on Unix has no other way to start a process.)
import atexit
from multiprocessing import Process, current_process


def clean_up():
    print('cleaning up in', current_process().name)


atexit.register(clean_up)


def work():
    print('working in', current_process().name)


if __name__ == '__main__':
    p = Process(target=work, name='worker')
    p.start()
    p.join()
    print('worker exit code', p.exitcode)
