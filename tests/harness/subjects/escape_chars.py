# Leaves a child whose command line holds escape sequences, warns from a file whose name and
# message hold one, then warns 2,000 times more, each from a place of its own: what a verdict
# quotes of them must be escaped, and bounded.
import subprocess
import sys
import warnings

child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)",
                          "\x1b[31mred\x1b[0m"])
warnings.warn_explicit("look \x1b[2J here", UserWarning, "evil\x1b[2J.py", 1)
for n in range(2000):
    warnings.warn_explicit("warning %d" % n, UserWarning, "many.py", n + 1)
print("child %d" % child.pid)
