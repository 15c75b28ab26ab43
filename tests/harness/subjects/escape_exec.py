# Leaves a grandchild that leaves the process group (SUBJECT_ESCAPE=setpgid), or the session
# too (SUBJECT_ESCAPE=setsid), or stays in both (SUBJECT_ESCAPE=none), then replaces itself with
# a program whose environment is empty, so no token of the run's survives in it. Prints the
# grandchild's pid once it runs the new program.
import os
import sys

ready_read, ready_write = os.pipe()
pid_read, pid_write = os.pipe()
if os.fork() == 0:
    grandchild = os.fork()
    if grandchild == 0:
        if os.environ["SUBJECT_ESCAPE"] == "setsid":
            os.setsid()
        elif os.environ["SUBJECT_ESCAPE"] == "setpgid":
            os.setpgid(0, 0)
        devnull = os.open(os.devnull, os.O_RDWR)
        for fd in (0, 1, 2):
            os.dup2(devnull, fd)
        os.set_inheritable(ready_write, True)
        code = "import os, sys, time; os.write(int(sys.argv[1]), b'x'); time.sleep(600)"
        os.execve(sys.executable, [sys.executable, "-c", code, str(ready_write), "escaped"], {})
    os.write(pid_write, str(grandchild).encode())
    os._exit(0)
os.close(ready_write)
os.close(pid_write)
os.wait()
grandchild = int(os.read(pid_read, 32))
os.read(ready_read, 1)  # the grandchild runs the new program
print("escaped %d" % grandchild)
