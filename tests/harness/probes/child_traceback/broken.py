# A port that made the text bytes: int() fails on b'4x', and says so; the rest, and each line
# number, as the original has it.
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
    p = Process(target=work, args=(b'4x',))
    p.start()
    sys.stdout.write(p.parent_end.recv())
    p.join()
    print('child exit code', p.exitcode)
