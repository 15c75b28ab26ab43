# -*- coding: utf-8 -*-
# The print statement of Python 2 on everything it treats apart: unicode (encoded with the
# stream's encoding, if it has one), subclasses with their own __str__, the soft space (which a
# write clears, and a tab at an item's end leaves off), print >>, raw_input's prompt; what
# each raises is printed on stderr.
import sys


class S(str):
    def __str__(self):
        return 'S.str'


class U(unicode):
    def __str__(self):
        return 'U.str'


class I(int):
    def __str__(self):
        return 'I.str'


class O(object):
    def __str__(self):
        return u'O.unicode \xe9'


class Fails(object):
    def __str__(self):
        raise ValueError('no str')


for item in [S('s'), U(u'u'), I(3), O(), Fails(), 2.5, 1 << 70, u'\xe9', '\xc3\xa9', None,
             (1,), buffer('buf')]:
    try:
        print item
        print >>sys.stdout, item, item,
        print
    except Exception as e:
        sys.stderr.write('%r\n' % (e,))
print 'a',
sys.stdout.write('b')
print 'c'
print 'tab\t',
print 'z'
try:
    sys.stdout.write(u'write \xe9\n')
except Exception as e:
    sys.stderr.write('%r\n' % (e,))
print 'same', sys.stdout is sys.__stdout__, sys.stdout.softspace
try:
    raw_input('prompt ')
except EOFError as e:
    sys.stderr.write('%r\n' % (e,))
print 'end',
