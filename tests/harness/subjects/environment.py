# Shows what of the caller's environment reached the subject.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import os
import sys

for name in ("PYTHONUNBUFFERED", "PYTHONWARNINGS", "PYTHONPATH_ODD", "MARK", "LANG", "LC_ALL"):
    print(name + " " + str(os.environ.get(name)))
print("odd path " + str(any("odd" in p for p in sys.path)))
print("warnings " + str(sys.warnoptions))
print("stdout is a terminal " + str(sys.stdout.isatty()))
print("own session " + str(os.getsid(0) == os.getpid()))
