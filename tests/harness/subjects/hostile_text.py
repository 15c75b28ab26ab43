# Puts what a terminal obeys into everything a report may show of it: ESC (an erase-screen
# sequence), BEL, U+202E (right-to-left override) and a byte that is not UTF-8, in a line it
# prints, its child's name and line, a file name it writes, a warning and the exception it
# raises. Python 3 does each otherwise than Python 2, so that diff reports each, and the machine
# port leaves a line for a person. The suite gives it a name that holds ESC and that byte too.
# Runs on Python 2.7 and 3, and stays unchanged under pyupgrade.
import multiprocessing
import os
import sys
import warnings

PY3 = sys.version_info[0] == 3
# ESC [2J, BEL, U+202E in UTF-8, then a byte that is not UTF-8.
HOSTILE = b"\x1b[2J\x07\xe2\x80\xae\xff"
NAME = "kid\x1b[2J\x07\u202e" if PY3 else "kid\x1b[2J\x07"
KINDS = {"hostile": HOSTILE}.keys()  # a line the machine port changes (to a list)


def say(data):
    sys.stdout.flush()
    os.write(1, data + b"\n")


def child():
    say(b"child " + HOSTILE)


if __name__ == "__main__":
    say(b"side " + (b"3 " if PY3 else b"2 ") + HOSTILE)
    p = multiprocessing.Process(target=child, name=NAME)
    p.start()
    p.join()
    if not PY3:  # left for a person by the machine port: Python 3 has no cmp()
        print(cmp(1, 2))  # noqa: F821
    if PY3:
        with open(b"out" + HOSTILE + b".txt", "wb") as f:
            f.write(HOSTILE)
        warnings.warn("careful \x1b[2J\x07\u202e")  # noqa: B028  (names this line)
        raise ValueError("bad \x1b[2J\x07\u202e")
