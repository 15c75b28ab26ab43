# Leaves in its working folder files whose names no path can hold: one at the end of folders
# whose path is longer than PATH_MAX (each made from the one above), one named with a newline,
# one named with bytes that are not UTF-8; and 1,500 folders each in the one before (deeper
# than Python's recursion limit). Prints "made".
import os

top = os.open(".", os.O_RDONLY)
os.makedirs("nested")
with open(b"new\nline", "w") as f:
    f.write("newline")
with open(b"\xff\xfe.txt", "w") as f:
    f.write("not utf-8")
os.chdir("nested")
for _ in range(20):  # 20 x 256 bytes: past PATH_MAX (4096)
    os.mkdir("d" * 255)
    os.chdir("d" * 255)
with open("deep.txt", "w") as f:
    f.write("deep")
os.fchdir(top)
for _ in range(1500):
    os.mkdir("n")
    os.chdir("n")
print("made")
