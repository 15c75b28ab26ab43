# Attaches to a shared-memory segment that another program made after the run began (its name
# arrives in the file SUBJECT_SHM names) and maps it; makes one of its own by os.open, not
# through multiprocessing; prints "attached NAME made OWN", then hangs holding both.
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
own = "psm_own%d" % os.getpid()
own_fd = os.open(os.path.join("/dev/shm", own), os.O_CREAT | os.O_EXCL | os.O_RDWR, 0o600)
print(f"attached {name} made {own}")
sys.stdout.flush()
time.sleep(600)
