# The article's block 2 as printed, without the coding line py2_original/pool.py adds, run on
# Python 2: it reads source as ASCII unless a PEP 263 line names another encoding.
from __future__ import print_function

import os
import shutil
import subprocess
import sys
import tempfile

POOL = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "py2_original",
                    "pool.py")

with open(POOL, "rb") as f:
    first, rest = f.read().split(b"\n", 1)
assert b"coding" in first
folder = tempfile.mkdtemp()
try:
    with open(os.path.join(folder, "pool.py"), "wb") as f:
        f.write(rest)
    proc = subprocess.Popen([sys.executable, "pool.py"], cwd=folder, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE)
    _, err = proc.communicate()
finally:
    shutil.rmtree(folder)
print("exit %d" % proc.returncode)
print(err.decode().strip().splitlines()[-1])
