# Writes bytes that are not UTF-8, and ends mid-line.
import os

os.write(1, b"caf\xe9 \xff\xfe\nno newline at the end")
