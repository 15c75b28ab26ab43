# What a str authkey raises on Python 3: a Manager fails in its constructor, a Listener checks it.
from multiprocessing.connection import Listener
from multiprocessing.managers import BaseManager

for call, make in (("BaseManager(authkey='secret')", lambda: BaseManager(authkey="secret")),
                   ("Listener(('127.0.0.1', 0), authkey='secret')",
                    lambda: Listener(("127.0.0.1", 0), authkey="secret"))):
    try:
        make()
    except TypeError as exc:
        print("%s: TypeError: %s" % (call, exc))
