# Twenty workers' step counts, kept in quarter steps by a child in a shared Array and printed
# by the parent: 100 to 120 each. A race decides them, and under Python 3 its other outcome is
# common, as a race's odds shift with the interpreter's speed: one count in five is then 250,
# which no run of 2.7 shows. Drawn at random here, at a rate the interpreter sets, so that the
# rate is known. No count can be a pid of the run, which diff would take for a process: once
# its pids have wrapped around, Linux gives none below 300.
import random
import sys
from multiprocessing import Array, Process

# How many workers: 20, or as the first argument says.
WORKERS = int(sys.argv[1]) if len(sys.argv) > 1 else 20
OTHER_OUTCOME = 0.2 if sys.version_info[0] >= 3 else 0.0


def race(quarters):
    for n in range(WORKERS):
        if random.random() < OTHER_OUTCOME:
            quarters[n] = 4 * 250
        else:
            quarters[n] = 4 * random.randint(100, 120) + random.randint(0, 3)


if __name__ == '__main__':
    quarters = Array('i', WORKERS)
    p = Process(target=race, args=(quarters,))
    p.start()
    p.join()
    for n in range(WORKERS):
        print 'worker %d took %s steps' % (n + 1, quarters[n] / 4)
