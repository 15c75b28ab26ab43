# A child that, asked to end (SIGTERM), writes termed.txt in its folder and exits; until then it
# hangs, as does its parent. Prints "ready" once the child's handler is in place.
import os
import signal
import sys
import time


def ended(signum, frame):
    with open("termed.txt", "w") as f:
        f.write("termed")
    os._exit(0)


ready_read, ready_write = os.pipe()
if os.fork() == 0:
    signal.signal(signal.SIGTERM, ended)
    os.write(ready_write, b"x")
    time.sleep(600)
    os._exit(0)
os.read(ready_read, 1)
print("ready")
sys.stdout.flush()
time.sleep(600)
