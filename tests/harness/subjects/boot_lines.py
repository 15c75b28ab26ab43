# Writes lines to sys.stdout from the main thread before and after threading is imported, from
# another thread and from a forked child; a line in pieces, a line longer than the boot
# records, more lines than it records; then whether sys.stdout is still sys.__stdout__.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: it writes, never prints).
import os
import sys

out = sys.stdout
out.write('main ' + str(os.getpid()) + '\n')
import threading  # noqa: E402  (Python 2 has no thread id before it)

out.write('in ')
out.write('pieces\nnext\n')
thread = threading.Thread(target=lambda: out.write('thread\n'))
thread.start()
thread.join()
pid = os.fork()
if pid == 0:
    out.write('child ' + str(os.getpid()) + '\n')
    out.flush()
    os._exit(0)
os.waitpid(pid, 0)
out.write('x' * 1000 + '\n')
for n in range(400):
    out.write(str(n) + '\n')
out.write('same ' + str(sys.stdout is sys.__stdout__) + '\n')
out.write('no newline')
