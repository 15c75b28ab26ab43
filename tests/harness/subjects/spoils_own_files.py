# Puts in place of portproof's files, found named in its environment, what a reader must not
# trust (SUBJECT_SPOIL): "zero", its record a link to /dev/zero (endless); "fifo", its stack
# file a FIFO (an open for reading waits for a writer for ever), then hangs; "deep", a record
# line of 8,000 "[" (too deep for json to parse). Prints "spoiled".
import os
import sys
import time

spoil = os.environ['SUBJECT_SPOIL']
record = os.environ['PORTPROOF_RECORD']
if spoil == 'zero':
    os.remove(record)
    os.symlink('/dev/zero', record)
elif spoil == 'fifo':
    stack = os.path.join(os.environ['PORTPROOF_STACKS'], str(os.getpid()))
    os.remove(stack)
    os.mkfifo(stack)
else:
    with open(record, 'a') as f:
        f.write('[' * 8000 + '\n')
print('spoiled')
sys.stdout.flush()
if spoil == 'fifo':
    while True:
        time.sleep(0.01)
