# Shows what of the caller's environment reached the subject (Python 2 and 3).
from __future__ import print_function

import os
import sys

for name in ("PYTHONUNBUFFERED", "PYTHONWARNINGS", "PYTHONPATH_ODD", "MARK"):
    print(name, os.environ.get(name))
print("odd path", any("odd" in p for p in sys.path))
print("warnings", sys.warnoptions)
print("stdout is a terminal", sys.stdout.isatty())
