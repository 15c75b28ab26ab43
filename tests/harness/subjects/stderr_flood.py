# Floods stderr (5 MiB of lines), then dies of an exception: its traceback is the gist.
import sys

for _ in range(5 * 1024):
    sys.stderr.write("noise " * 170 + "\n")
raise ValueError("the end of the flood")
