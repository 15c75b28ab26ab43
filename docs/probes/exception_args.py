# An exception's args, and whether pickle can rebuild it, when __init__ takes two arguments:
# pickle calls the class with args. Runs on 2.7 and 3.x alike.
import pickle


class NoBaseInit(Exception):
    def __init__(self, item, price):
        self.item = item


class MessageOnly(Exception):
    def __init__(self, item, price):
        Exception.__init__(self, 'negative price %d for %s' % (price, item))


class AllArgs(Exception):
    def __init__(self, item, price):
        Exception.__init__(self, item, price)


for cls in (NoBaseInit, MessageOnly, AllArgs):
    exc = cls('pear', -2)
    try:
        pickle.loads(pickle.dumps(exc))
        rebuilt = 'rebuilt'
    except TypeError:
        rebuilt = 'TypeError when unpickled'
    print('%s: args %r, %s' % (cls.__name__, exc.args, rebuilt))
