# Exits at once, leaving a child that looks like multiprocessing's forkserver (its command line
# runs multiprocessing.forkserver's main) and, as the forkserver does, ends once its parent is
# gone: it waits for the end of its stdin, the parent's pipe, then takes SUBJECT_LINGER seconds
# to end (a loaded machine that does not run it at once), or for ever with "never".
import os
import subprocess
import sys

linger = os.environ.get("SUBJECT_LINGER", "1.0")
code = ("from multiprocessing.forkserver import main; import sys, time; sys.stdin.read(); "
        + ("time.sleep(600)" if linger == "never" else "time.sleep(%s)" % float(linger)))
child = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE)
print("child %d" % child.pid)
sys.stdout.flush()
os._exit(0)  # the pipe closes with the process, and the child may end
