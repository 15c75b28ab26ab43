# Writes a 10 MiB line in pieces, ends it, then one short line.
import sys

for _ in range(10 * 1024):
    sys.stdout.write("z" * 1024)
sys.stdout.write("\nafter\n")
