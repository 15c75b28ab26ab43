# Writes 5 MiB of lines, then one long line without a newline.
import sys

for _ in range(5 * 1024):
    sys.stdout.write("x" * 1023 + "\n")
sys.stdout.write("y" * (200 * 1024))
