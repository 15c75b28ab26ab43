# The classic double fork, shared by the subjects that leave a daemon behind.
import os


def daemonize():
    """True in a grandchild in a session of its own, with stdin, stdout and stderr on
    /dev/null, which must end with os._exit(); False in the caller. The child between them
    exits at once."""
    if os.fork() != 0:
        return False
    os.setsid()
    if os.fork() != 0:
        os._exit(0)
    devnull = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(devnull, fd)
    return True
