# A child that catches what its target raises and sends the traceback over a Pipe (the
# well-known recipe of a Process that reports its exception); the parent prints it on stdout.
import sys
import traceback
import multiprocessing


class Process(multiprocessing.Process):
    def __init__(self, *args, **kwargs):
        multiprocessing.Process.__init__(self, *args, **kwargs)
        self.parent_end, self.child_end = multiprocessing.Pipe()

    def run(self):
        try:
            multiprocessing.Process.run(self)
            self.child_end.send('no error\n')
        except Exception:
            self.child_end.send(traceback.format_exc())


def work(text):
    return int(text) * 2


if __name__ == '__main__':
    p = Process(target=work, args=('4x',))
    p.start()
    sys.stdout.write(p.parent_end.recv())
    p.join()
    print('child exit code', p.exitcode)
