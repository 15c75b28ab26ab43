# -*- coding: utf-8 -*-
# A print that raises: on Python 2.7, to a stream without an encoding (a pipe).
print(u'caf\xe9')
