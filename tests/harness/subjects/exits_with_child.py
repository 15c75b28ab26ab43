# Exits with status 3, leaving a child that holds stdout and stderr open and runs on.
import subprocess
import sys

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
print("child %d" % child.pid)
sys.stdout.flush()
sys.exit(3)
