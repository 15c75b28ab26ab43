# Starts a child that hangs, then hangs itself. Prints both pids.
import os
import subprocess
import sys
import time

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print("pids %d %d" % (os.getpid(), child.pid))
sys.stdout.flush()
time.sleep(600)
