# What Python 2.7's own porting warnings (-3, and -Qwarnall for classic division) find in the
# legacy topics' Python 2 programs: a few of the changes, not most.
from __future__ import print_function

import os
import subprocess
import sys

TOPICS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "case_study",
                      "legacy")

if __name__ == "__main__":
    env = dict((k, v) for k, v in os.environ.items() if not k.startswith("PYTHON"))
    for topic in ("dict_order", "lazy_map", "round_half", "sorted_cmp", "non_ascii",
                  "int_division", "xrange_loop"):
        proc = subprocess.Popen([sys.executable, "-3", "-Qwarnall", "py2.py"],
                                cwd=os.path.join(TOPICS, topic), env=env, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        _, err = proc.communicate()
        found = sorted(set(line.split("Warning: ", 1)[1] for line in err.decode().splitlines()
                           if "Warning: " in line))
        print("%s: %s" % (topic, "; ".join(found) if found else "no warning"))
