# A Process subclass that opens its input in __init__, in the parent, and reads it in run(),
# in the child. Python 2 forks: the child has the parent's open file as it is.
from multiprocessing import Process


class Reader(Process):
    def __init__(self, path):
        Process.__init__(self)
        self.source = open(path)

    def run(self):
        print 'child read %s' % self.source.read().strip()


if __name__ == '__main__':
    with open('settings.txt', 'w') as f:
        f.write('retries=3\n')
    reader = Reader('settings.txt')
    reader.start()
    reader.join()
    print 'child exit code %d' % reader.exitcode
