# Prints how many modules are loaded when the script starts, then which of a few heavy ones.
# Runs on Python 2 and 3 (and stays unchanged under pyupgrade: one string per print).
import sys

HEAVY = ["multiprocessing", "threading", "socket", "pickle", "json", "re"]
print(str(len(sys.modules)))
print(" ".join(["heavy"] + [name for name in HEAVY if name in sys.modules]))
