# Works in its current folder: reads stdin and its arguments, makes, changes and deletes
# files there, and prints where it is.
import os
import sys

with open("made.txt", "w") as f:
    f.write(sys.stdin.read() + " " + " ".join(sys.argv[1:]))
with open("changed.txt", "a") as f:
    f.write("more")
os.remove("gone.txt")
print(os.getcwd())
