# A child meant to die of SIGUSR2 (whose default action ends a process), sent by its parent:
# prints the child's exit code, -12 on Linux, as it is without portproof. Under the start
# method the environment names (SUBJECT_START_METHOD), or fork.
import os
import signal
import sys
import time
from multiprocessing import Event, Process


def wait(ready):
    ready.set()
    while True:
        time.sleep(0.01)


if __name__ == '__main__':
    method = os.environ.get('SUBJECT_START_METHOD', 'fork')
    if sys.version_info[0] >= 3:
        import multiprocessing
        multiprocessing.set_start_method(method)
    ready = Event()
    child = Process(target=wait, args=(ready,))
    child.start()
    ready.wait()
    os.kill(child.pid, signal.SIGUSR2)
    child.join(30)
    print('child exit code %s' % child.exitcode)
    if child.is_alive():
        child.terminate()
