# How an uncaught KeyboardInterrupt ends the interpreter: exit status 1, or killed by SIGINT
# itself (a shell shows 130).
from __future__ import print_function

import subprocess
import sys

code = subprocess.call([sys.executable, "-c", "raise KeyboardInterrupt"],
                       stderr=open("/dev/null", "w"))
print("raise KeyboardInterrupt:", "killed by signal %d" % -code if code < 0 else "exit %d" % code)
