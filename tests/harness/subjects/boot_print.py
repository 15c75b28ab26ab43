# -*- coding: utf-8 -*-
# print() on unicode and on objects whose __str__ gives unicode, with sep and end, and flush;
# what each raises is printed on stderr. Runs on Python 2 and 3. (Not a unicode subclass with
# its own __str__: see the boot's header.)
from __future__ import print_function

import sys


class Unicode(object):
    def __str__(self):
        return u'O \xe9'


for item in [u"\xe9", Unicode(), 2.5, None]:
    try:
        print(item)
        print(item, item, sep=u'\xe9', end='!\n', file=sys.stdout)
    except Exception as e:
        sys.stderr.write('%r\n' % (e,))
print('flushed', flush=True) if sys.version_info[0] >= 3 else print('flushed')
print('same', sys.stdout is sys.__stdout__, end='')
