# Leaves a temporary file and a multiprocessing temp dir behind, then exits or hangs
# (SUBJECT_END=exit|hang). Prints their paths.
import multiprocessing.util
import os
import sys
import tempfile
import time

fd, path = tempfile.mkstemp()
os.close(fd)
mp_dir = multiprocessing.util.get_temp_dir()
multiprocessing.util._run_finalizers = lambda *args: None  # as if killed: no clean-up at exit
print(f"{path} {mp_dir}")
sys.stdout.flush()
if os.environ["SUBJECT_END"] == "hang":
    time.sleep(600)
