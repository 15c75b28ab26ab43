# Attaches to a shared-memory segment that another program made after the run began (its name
# arrives in the file SUBJECT_SHM names), maps it, prints "attached NAME", then hangs holding it.
import mmap
import os
import sys
import time

path = os.environ["SUBJECT_SHM"]
while not os.path.exists(path):
    time.sleep(0.01)
with open(path) as f:
    name = f.read().strip()
fd = os.open(os.path.join("/dev/shm", name), os.O_RDWR)
segment = mmap.mmap(fd, 4096)
print("attached " + name)
sys.stdout.flush()
time.sleep(600)
