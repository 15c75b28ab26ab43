# Exits at once, leaving a child that hangs holding stdout.
import subprocess
import sys

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print("pids %d" % child.pid)
