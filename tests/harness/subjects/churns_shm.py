# Makes and drops named semaphores (a Lock keeps its name under spawn and forkserver) and
# shared-memory segments as fast as it can, until it is killed: whenever the run ends, a process
# of it is likely inside a creation. Names carry SUBJECT_TOKEN, so that a test can tell them
# from other programs' (multiprocessing's own names: semprefix, psm_).
import multiprocessing
import os
import sys
from multiprocessing import shared_memory

TOKEN = os.environ["SUBJECT_TOKEN"]
multiprocessing.current_process()._config["semprefix"] = "/mp-" + TOKEN
print("churning")
sys.stdout.flush()
n = 0
while True:
    lock = multiprocessing.Lock()
    del lock
    n += 1
    if n % 4 == 0:
        segment = shared_memory.SharedMemory(name="psm_%s_%d" % (TOKEN, n), create=True, size=64)
        segment.close()
        segment.unlink()
