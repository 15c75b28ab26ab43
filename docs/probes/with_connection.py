# `with conn:` on a Connection of multiprocessing.Pipe().
from __future__ import print_function

from multiprocessing import Pipe

a, b = Pipe()
try:
    with a:
        pass
    print("with conn: closes it:", a.closed)
except AttributeError as exc:
    print("with conn: AttributeError: %s" % exc)
