# Creates a named semaphore (a Lock under spawn or forkserver) and a shared-memory segment,
# prints their /dev/shm names, then hangs. With SUBJECT_TRACKER=kill it first kills its own
# resource tracker, so nothing of the run's is left to unlink them.
import multiprocessing
import os
import signal
import sys
import time
from multiprocessing import resource_tracker, shared_memory

lock = multiprocessing.Lock()
segment = shared_memory.SharedMemory(create=True, size=4096)
names = [segment.name.lstrip("/")]
if lock._semlock.name:  # None under fork: unlinked at once
    names.append("sem." + lock._semlock.name.lstrip("/"))
if os.environ.get("SUBJECT_TRACKER") == "kill":
    os.kill(resource_tracker._resource_tracker._pid, signal.SIGKILL)
print("shm %s" % " ".join(names))
sys.stdout.flush()
time.sleep(600)
