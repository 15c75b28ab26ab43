# print() (from __future__) of a unicode subclass with its own __str__, on Python 2.7: to a real
# file without an encoding, 2.7 writes what __str__ returns; to any other object it hands the
# item itself, whose characters file.write writes. The boot's object cannot tell this write()
# from a direct one. Runs on Python 2 and 3.
from __future__ import print_function


class Text(type(u'')):
    def __str__(self):
        return 'its __str__'


print(Text(u'its characters'))
