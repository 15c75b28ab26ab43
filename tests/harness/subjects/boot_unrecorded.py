# Writes one line through sys.stdout, then one each the boot does not record: to file
# descriptor 1, to sys.stdout.buffer (Python 3), and through a sys.stdout the program put in
# place of its own.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: it writes, never prints).
import os
import sys

sys.stdout.write('recorded\n')
sys.stdout.flush()
os.write(1, b'by descriptor\n')
if hasattr(sys.stdout, 'buffer'):
    sys.stdout.buffer.write(b'by buffer\n')
    sys.stdout.buffer.flush()
sys.stdout = os.fdopen(os.dup(1), 'w')
sys.stdout.write('replaced\n')
sys.stdout.flush()
